import Foundation
import LedgerPostgres

/// A fresh ledger in a temporary folder, made through the `huzhu` binary the benchmarks
/// time: an administrator, a registered clerk, and `HUZHU_DB` pointing at the file, or
/// at a new database on the PostgreSQL server `postgres` names.
struct BenchLedger {
    let huzhu: String
    let directory: String
    let environment: [String: String]
    var admin: String { directory + "/admin.key" }
    var clerk: String { directory + "/clerk.key" }

    /// The `huzhu` built next to this benchmark binary.
    static var huzhuBinary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("huzhu").path
    }

    init(file: String, postgres: String? = nil) throws {
        huzhu = BenchLedger.huzhuBinary
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("huzhu-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let database = try postgres.map { server in
            try PostgresLedgerStore.createDatabase("huzhu_bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12),
                                                   server: server)
        }
        environment = ["HUZHU_DB": database ?? directory + "/" + file]
        try run(["init", "--name", "bench", "--key", admin])
        try run(["key", "new", "--out", clerk])
        try run(["key", "register", "--key", admin, "--key-file", clerk, "--roles", "clerk", "--holder", "bench"])
    }

    /// Runs `huzhu ARGS` on this ledger and requires success.
    @discardableResult
    func run(_ arguments: [String]) throws -> ChildRun {
        let result = try runChild(huzhu, arguments, environment: environment)
        guard result.status == 0 else {
            throw NSError(domain: "bench", code: 1, userInfo: [NSLocalizedDescriptionKey: "huzhu \(arguments.first ?? "") failed: \(result.output)"])
        }
        return result
    }

    /// Runs `huzhu ARGS --format json` and returns the array it prints.
    func jsonList(_ arguments: [String]) throws -> [[String: Any]] {
        let result = try runChild(huzhu, arguments + ["--format", "json"], environment: environment)
        guard result.status == 0, let list = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]] else {
            throw NSError(domain: "bench", code: 1, userInfo: [NSLocalizedDescriptionKey: "huzhu \(arguments.first ?? "") gave no list: \(result.output.prefix(300))"])
        }
        return list
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}
