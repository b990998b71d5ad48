// swift-tools-version: 6.1
// Benchmarks for convoy, built in release mode apart from the main package so that the test
// command never builds them. Run through `make bench` (see BENCHMARKS.md).
import PackageDescription

let package = Package(
    name: "convoy-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "convoy", path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Only for roads-bench's side-by-side measurement; convoy itself does not depend on it.
        .package(url: "https://github.com/davecom/SwiftGraph", exact: "4.0.0"),
    ],
    targets: [
        .executableTarget(
            name: "where-bench",
            dependencies: [
                .product(name: "ConvoyRoute", package: "convoy"),
                .product(name: "ConvoyGazetteer", package: "convoy"),
                .product(name: "ConvoyGeodesy", package: "convoy"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "check-bench",
            dependencies: [
                .product(name: "ConvoyCheck", package: "convoy"),
                .product(name: "ConvoyGazetteer", package: "convoy"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "export-bench",
            dependencies: [
                .product(name: "ConvoyExport", package: "convoy"),
                .product(name: "ConvoyGeodesy", package: "convoy"),
                .product(name: "ConvoyGazetteer", package: "convoy"),
            ]
        ),
        .executableTarget(
            name: "where-batch-bench",
            dependencies: [
                .product(name: "ConvoyRoute", package: "convoy"),
                .product(name: "ConvoyGazetteer", package: "convoy"),
                .product(name: "ConvoyGeodesy", package: "convoy"),
            ]
        ),
        .executableTarget(
            name: "roads-bench",
            dependencies: [
                .product(name: "ConvoyRoads", package: "convoy"),
                .product(name: "ConvoyGazetteer", package: "convoy"),
                .product(name: "ConvoyGeodesy", package: "convoy"),
                .product(name: "SwiftGraph", package: "SwiftGraph"),
            ]
        ),
        .executableTarget(
            name: "geodesic-bench",
            dependencies: [
                .product(name: "ConvoyGeodesy", package: "convoy"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
