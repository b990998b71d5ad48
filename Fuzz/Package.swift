// swift-tools-version: 6.1
// libFuzzer harnesses for convoy's parsers of untrusted input, built apart from the main package
// (so its `swift build` is unchanged) with `--sanitize=fuzzer --sanitize=address`: run them with
// scripts/fuzz.sh (README.md, "Tests"). Each harness is an executable whose entry point is
// libFuzzer's `LLVMFuzzerTestOneInput`; libFuzzer supplies `main`.
import PackageDescription

/// A harness: one file in Sources/NAME defining `LLVMFuzzerTestOneInput`, no top-level code.
func harness(_ name: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport"],
        swiftSettings: [.unsafeFlags(["-parse-as-library"])]
    )
}

let package = Package(
    name: "convoy-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "convoy", path: ".."),
    ],
    targets: [
        // What every harness shares: the bundled gazetteer's store, roads and name index, made
        // once per process, and the steps a log or a report goes through.
        .target(
            name: "FuzzSupport",
            dependencies: [
                .product(name: "ConvoyGeodesy", package: "convoy"),
                .product(name: "ConvoyGazetteer", package: "convoy"),
                .product(name: "ConvoyRoute", package: "convoy"),
                .product(name: "ConvoyExport", package: "convoy"),
                .product(name: "ConvoyCheck", package: "convoy"),
            ]
        ),
        harness("fuzz-log-csv"),
        harness("fuzz-log-jsonl"),
        harness("fuzz-gazetteer"),
        harness("fuzz-geonames"),
        harness("fuzz-check"),
        harness("fuzz-cache"),
    ],
    swiftLanguageModes: [.v6]
)
