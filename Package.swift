// swift-tools-version: 6.1
// convoy: track convoys on a map from news reports.
//
// Modules, and the one direction their dependencies point:
//   CProj (system PROJ) ← ConvoyGeodesy ← ConvoyGazetteer ← ConvoyRoads ← ConvoyRoute ← ConvoyExport ← ConvoyCLI ← convoy (executable)
//                                        ConvoyGazetteer ← ConvoyScan ← ConvoyCheck ← ConvoyCLI
//                                           CPrefetch (a prefetch hint) ← ConvoyScan
// ConvoyScan is the scan engine (bytes → words → candidate names over the compiled name index: all
// the unsafe, prefetching, archive and cache code), knowing no rule; ConvoyCheck is the rulebook,
// which gives the engine its word classes as data and judges what it finds, in safe Swift.
import PackageDescription

let package = Package(
    name: "convoy",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "convoy", targets: ["convoy"]),
        .library(name: "ConvoyGeodesy", targets: ["ConvoyGeodesy"]),
        .library(name: "ConvoyGazetteer", targets: ["ConvoyGazetteer"]),
        .library(name: "ConvoyRoads", targets: ["ConvoyRoads"]),
        .library(name: "ConvoyRoute", targets: ["ConvoyRoute"]),
        .library(name: "ConvoyCheck", targets: ["ConvoyCheck"]),
        .library(name: "ConvoyExport", targets: ["ConvoyExport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        // C edge: PROJ (geodesic.h and proj.h) from Debian's libproj-dev.
        .systemLibrary(
            name: "CProj",
            pkgConfig: "proj",
            providers: [.apt(["libproj-dev"])]
        ),
        // Geodesy on the WGS84 ellipsoid and CRS transforms, through PROJ.
        .target(name: "ConvoyGeodesy", dependencies: ["CProj"]),
        // Places, their names, name normalisation and the SQLite store.
        .target(
            name: "ConvoyGazetteer",
            dependencies: [
                "ConvoyGeodesy",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The road network: road files, the routable graph, network positions and shortest paths.
        .target(
            name: "ConvoyRoads",
            dependencies: ["ConvoyGeodesy", "ConvoyGazetteer", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // Convoy update logs, replay along road paths, and "where was it at time T".
        .target(
            name: "ConvoyRoute",
            dependencies: [
                "ConvoyGeodesy",
                "ConvoyGazetteer",
                "ConvoyRoads",
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // GeoJSON and the other formats map tools read, written atomically and streamed.
        .target(
            name: "ConvoyExport",
            dependencies: ["ConvoyGeodesy", "ConvoyGazetteer", "ConvoyRoute"]
        ),
        // C edge: the CPU's prefetch hint, for the scan's look-ups in large tables.
        .target(name: "CPrefetch"),
        // The scan engine: words and candidate names of text over the compiled name index, its
        // word tables and its cache files. Knows no rule (word classes come in as data).
        .target(name: "ConvoyScan", dependencies: ["ConvoyGazetteer", "CPrefetch"]),
        // Finding and checking place names in report text: the rulebook, applied to the engine's candidates.
        .target(
            name: "ConvoyCheck",
            dependencies: ["ConvoyGazetteer", "ConvoyScan", .product(name: "Logging", package: "swift-log")]
        ),
        // The commands, as a library so tests run them in-process.
        .target(
            name: "ConvoyCLI",
            dependencies: [
                "ConvoyGeodesy",
                "ConvoyGazetteer",
                "ConvoyRoads",
                "ConvoyRoute",
                "ConvoyExport",
                "ConvoyCheck",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "convoy", dependencies: ["ConvoyCLI"]),
        // Tests only: the folder tests write their files in, removed when the test process exits.
        .target(name: "ConvoyTestSupport", path: "Tests/ConvoyTestSupport"),
        .testTarget(
            name: "ConvoyGeodesyTests",
            dependencies: ["ConvoyGeodesy", "ConvoyTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "ConvoyGazetteerTests",
            dependencies: ["ConvoyGazetteer", "ConvoyTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "ConvoyRoadsTests",
            dependencies: ["ConvoyRoads", "ConvoyGazetteer", "ConvoyGeodesy", "ConvoyTestSupport"]
        ),
        .testTarget(
            name: "ConvoyRouteTests",
            dependencies: ["ConvoyRoute", "ConvoyGazetteer", "ConvoyGeodesy", "ConvoyTestSupport"]
        ),
        .testTarget(
            name: "ConvoyScanTests",
            dependencies: ["ConvoyScan", "ConvoyGazetteer", "ConvoyGeodesy", "ConvoyTestSupport"]
        ),
        .testTarget(
            name: "ConvoyCheckTests",
            dependencies: ["ConvoyCheck", "ConvoyScan", "ConvoyGazetteer", "ConvoyGeodesy", "ConvoyTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "ConvoyExportTests",
            dependencies: ["ConvoyExport", "ConvoyRoute", "ConvoyGeodesy", "ConvoyGazetteer", "ConvoyTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "ConvoyCLITests", dependencies: ["ConvoyCLI", "ConvoyGazetteer", "ConvoyGeodesy", "ConvoyTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
