// swift-tools-version: 6.1
import PackageDescription

// Dependencies point one way: Ledger ← MutualAid ← MutualAidSQLite, Audit, Reports ← huzhu.
// Ledger is a general signed double-entry log and must not learn of mutual aid; MutualAid
// is the domain and knows no store: its register lives behind ports (Sources/MutualAid/Ports),
// which MutualAidSQLite implements for a ledger file.
let package = Package(
    name: "Huzhu",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "huzhu", targets: ["huzhu"]),
        .library(name: "Ledger", targets: ["Ledger"]),
        .library(name: "MutualAid", targets: ["MutualAid"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    ],
    targets: [
        .target(
            name: "Ledger",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Ledger",
            resources: [.copy("Charts")]
        ),
        // The ledger core's store on PostgreSQL (docs/OPERATIONS.md), beside the SQLite one in Ledger.
        .target(name: "LedgerPostgres", dependencies: ["Ledger", .product(name: "PostgresNIO", package: "postgres-nio")], path: "LedgerPostgres"),
        .target(name: "MutualAid", dependencies: ["Ledger"], path: "Sources/MutualAid", resources: [.copy("ExamplePlans")]),
        // The mutual-aid register in a ledger file: the ports' SQL, the schema and its migrations.
        .target(name: "MutualAidSQLite", dependencies: ["Ledger", "MutualAid", .product(name: "GRDB", package: "GRDB.swift"),
                                                        .product(name: "GRDBSQLite", package: "GRDB.swift")],
                path: "Sources/MutualAidSQLite"),
        // The mutual-aid register on PostgreSQL, beside the ledger's own tables (LedgerPostgres).
        .target(name: "MutualAidPostgres", dependencies: ["Ledger", "LedgerPostgres", "MutualAid", .product(name: "PostgresNIO", package: "postgres-nio")],
                path: "Sources/MutualAidPostgres"),
        // The audit replays the log into a scratch ledger file, so it makes the register's tables there (MutualAidSQLite).
        .target(name: "Audit", dependencies: ["Ledger", "MutualAid", "MutualAidSQLite"], path: "Audit"),
        .target(name: "Reports", dependencies: ["Ledger", "MutualAid"], path: "Reports"),
        .executableTarget(
            name: "huzhu",
            dependencies: [
                "Ledger", "LedgerPostgres", "MutualAid", "MutualAidSQLite", "MutualAidPostgres", "Audit", "Reports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/huzhu"
        ),
        // The fuzz targets, their libFuzzer program (scripts/fuzz) and the corpus test.
        .target(name: "FuzzTargets", dependencies: ["Ledger", "MutualAid"], path: "Fuzz/Targets"),
        .executableTarget(name: "huzhu-fuzz", dependencies: ["FuzzTargets"], path: "Fuzz/Runner"),
        .testTarget(name: "FuzzTests", dependencies: ["FuzzTargets"], path: "Tests/FuzzTests"),
        .executableTarget(
            name: "huzhu-bench",
            dependencies: ["Ledger", "LedgerPostgres", "MutualAid", "MutualAidSQLite", "Audit", "Reports", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Benchmarks"
        ),
        .testTarget(name: "LedgerTests", dependencies: ["Ledger", .product(name: "GRDB", package: "GRDB.swift")], path: "Tests/LedgerTests",
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "StoreConformanceTests", dependencies: ["Ledger", "LedgerPostgres"], path: "Tests/StoreConformanceTests"),
        .testTarget(name: "MutualAidTests", dependencies: ["MutualAid", "MutualAidSQLite", .product(name: "GRDB", package: "GRDB.swift")],
                    path: "Tests/MutualAidTests", exclude: ["Fixtures"]),
        .testTarget(name: "AuditTests", dependencies: ["Audit"], path: "Tests/AuditTests"),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "MutualAid", "MutualAidSQLite", .product(name: "GRDB", package: "GRDB.swift")], path: "Tests/ReportsTests"),
        .testTarget(name: "HuzhuCLITests", dependencies: ["huzhu", "Ledger", "LedgerPostgres", "MutualAid", "MutualAidSQLite", "MutualAidPostgres",
                                                       .product(name: "GRDB", package: "GRDB.swift")],
                    path: "Tests/HuzhuCLITests"),
    ],
    swiftLanguageModes: [.v6]
)
