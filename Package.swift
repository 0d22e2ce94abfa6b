// swift-tools-version:6.1
// ConflictQL: a pipelined query language over the Mali/Sahel conflict briefing and
// real conflict event exports. All logic lives in the `ConflictQL` library; the
// `conflictql` executable is a thin command line over it.
import PackageDescription

let package = Package(
    name: "ConflictQL",
    // Synchronization's Mutex and Atomic need macOS 15. Linux is what CI builds and tests.
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ConflictQL", targets: ["ConflictQL"]),
        .executable(name: "conflictql", targets: ["conflictql"]),
        .executable(name: "conflictql-bench", targets: ["conflictql-bench"]),
        .executable(name: "conflictql-fuzz", targets: ["conflictql-fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // PostgreSQL's wire protocol for remote execution (ConflictQLRemote), with the NIO,
        // TLS and logging packages it is built on, named because that target imports them.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.25.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.3"),
        // Spark Connect (ConflictQLSpark): gRPC over HTTP/2 and the protobuf messages
        // generated once from Spark's .proto files (Sources/ConflictQLSpark/Generated).
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        // The HTTP example only (Sources/conflictql-http-example); no default traits, so
        // swift-configuration is not built.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0", traits: []),
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
        // The system zstd (apt: libzstd-dev): Parquet pages compressed with ZSTD
        // (Data/Loading/Parquet/ParquetCompression.swift).
        .systemLibrary(
            name: "CZstd",
            providers: [.apt(["libzstd-dev"])]
        ),
        // RE2 (apt: libre2-dev) behind a few C functions: the regular expressions of `matches`
        // and `extract`, matched in time linear in the text, as DuckDB and BigQuery match them.
        .target(
            name: "CRE2",
            linkerSettings: [.linkedLibrary("re2")]
        ),
        // SIMD for the CSV loader's structural index (AVX2 or SSE2, chosen at run time; plain C
        // on other processors): which bytes of the text are quotes and separators.
        .target(name: "CCSVScan"),
        // The library, one module per layer. Each depends only on the layers below it, so an
        // upward use does not compile:
        //
        //   ConflictQLCore      source text, ranges, diagnostics, values, columns, tables
        //   ConflictQLSyntax    tokens, lexer, parser, AST
        //   ConflictQLData      the briefing's tables, the actor names, the loaders
        //   ConflictQLFunctions one descriptor per scalar function: check, kernel, SQL, help
        //   ConflictQLSemantics names and types checked, the logical plan
        //   ConflictQLPlanning  the physical plan: pruning, top-N, pushdown
        //   ConflictQLEngine    columnar operators, functions, aggregates, explain
        //   ConflictQLSQL       the pipeline compiled to each SQL dialect
        //   ConflictQLOutput    tables, CSV, JSON, Markdown, charts
        //   ConflictQLRemote    engines reached over the network: PostgreSQL's catalogue and rows
        //   ConflictQLSpark     a Spark Connect server's catalogue and rows (gRPC, Arrow)
        //   ConflictQL          the session, the interactive core, the public face
        .target(name: "ConflictQLCore", dependencies: ["CRE2"]),
        .target(name: "ConflictQLSyntax", dependencies: ["ConflictQLCore"]),
        .target(name: "ConflictQLData", dependencies: ["ConflictQLSyntax", "CZlib", "CZstd", "CCSVScan"]),
        .target(name: "ConflictQLFunctions", dependencies: ["ConflictQLData"]),
        .target(name: "ConflictQLSemantics", dependencies: ["ConflictQLFunctions"]),
        .target(name: "ConflictQLPlanning", dependencies: ["ConflictQLSemantics"]),
        .target(name: "ConflictQLEngine", dependencies: ["ConflictQLPlanning"]),
        .target(name: "ConflictQLSQL", dependencies: ["ConflictQLPlanning"]),
        .target(name: "ConflictQLOutput", dependencies: ["ConflictQLEngine"]),
        .target(
            name: "ConflictQLRemote",
            dependencies: [
                "ConflictQLSQL",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "ConflictQLSpark",
            dependencies: [
                "ConflictQLRemote",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            exclude: ["Generated/README.md"]
        ),
        .target(
            name: "ConflictQL",
            dependencies: ["ConflictQLOutput", "ConflictQLSQL", "ConflictQLEngine", "ConflictQLRemote", "ConflictQLSpark"]
        ),
        // The language server (`conflictql lsp`): diagnostics, completion, hover, definitions,
        // semantic tokens and formatting over the Language Server Protocol, built on the
        // library's parser, checker, completer and help (JSON through Foundation).
        .target(name: "ConflictQLLanguageServer", dependencies: ["ConflictQL"]),
        .executableTarget(
            name: "conflictql",
            dependencies: [
                "ConflictQL",
                "ConflictQLLanguageServer",
                "CReadline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            plugins: ["BuildCommitPlugin"]
        ),
        // `conflictql --version` names the commit it was built from: this writes it at build time.
        .plugin(name: "BuildCommitPlugin", capability: .buildTool(), path: "Sources/BuildCommitPlugin"),
        // The events benchmark: load a CSV, answer Q1-Q5, print times, rates and peak memory.
        .executableTarget(name: "conflictql-bench", dependencies: ["ConflictQL", "ConflictQLLanguageServer"]),
        // Random valid pipelines (QueryFuzzing) and their long run: the query fuzzer and the
        // partitioning oracle. The tests run a few hundred of the same queries on every build.
        .target(name: "QueryFuzzing", dependencies: ["ConflictQL"]),
        .executableTarget(name: "conflictql-fuzz", dependencies: ["ConflictQL", "QueryFuzzing"]),
        // Embedding.md's HTTP example: `POST /query` answered with JSON by an AsyncSession.
        .executableTarget(
            name: "conflictql-http-example",
            dependencies: ["ConflictQL", .product(name: "Hummingbird", package: "hummingbird")]
        ),
        .testTarget(
            name: "ConflictQLTests",
            // The executables are dependencies so that they are built for the end-to-end tests.
            dependencies: ["ConflictQL", "ConflictQLLanguageServer", "QueryFuzzing", "conflictql", "conflictql-http-example", "CCSVScan"],
            // Read by path from the tests, not bundled.
            exclude: ["Fixtures", "Catalogue", "Snapshots"]
        ),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
