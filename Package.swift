// swift-tools-version:6.0
// ConflictQL: a pipelined query language over the Mali/Sahel conflict briefing and
// real conflict event exports. All logic lives in the `ConflictQL` library; the
// `conflictql` executable is a thin command line over it.
import PackageDescription

let package = Package(
    name: "ConflictQL",
    products: [
        .library(name: "ConflictQL", targets: ["ConflictQL"]),
        .executable(name: "conflictql", targets: ["conflictql"]),
        .executable(name: "conflictql-bench", targets: ["conflictql-bench"]),
        .executable(name: "conflictql-fuzz", targets: ["conflictql-fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // GNU readline, through the system library (apt: libreadline-dev). No `pkgConfig`:
        // Debian's readline.pc adds -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=600, which SwiftPM
        // refuses with a warning on every build; the headers need no flags of their own.
        .systemLibrary(
            name: "CReadline",
            providers: [.apt(["libreadline-dev"])]
        ),
        // The system zlib (apt: zlib1g-dev): .gz files and deflated zip members are inflated
        // with it as they are read (Data/Loading/Gzip.swift, ZipArchive.swift).
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "ConflictQL", dependencies: ["CZlib"]),
        .executableTarget(
            name: "conflictql",
            dependencies: [
                "ConflictQL",
                "CReadline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The events benchmark: load a CSV, answer Q1-Q5, print times, rates and peak memory.
        .executableTarget(name: "conflictql-bench", dependencies: ["ConflictQL"]),
        // Random valid pipelines (QueryFuzzing) and their long run: the query fuzzer and the
        // partitioning oracle. The tests run a few hundred of the same queries on every build.
        .target(name: "QueryFuzzing", dependencies: ["ConflictQL"]),
        .executableTarget(name: "conflictql-fuzz", dependencies: ["ConflictQL", "QueryFuzzing"]),
        .testTarget(
            name: "ConflictQLTests",
            // The executable is a dependency so that it is built for the end-to-end tests.
            dependencies: ["ConflictQL", "QueryFuzzing", "conflictql"],
            // Read by path from the tests, not bundled.
            exclude: ["Fixtures", "Catalogue", "Snapshots"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
