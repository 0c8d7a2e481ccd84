import Foundation
import LedgerPostgres
import Testing

/// What docs/OPERATIONS.md tells an office's IT staff, done on clusters of this test's own
/// (`scripts/test-postgres`): a backup with pg_dump restored and verified, audits and
/// reports on a streaming replica that refuses writes, and a failover to it after which
/// the chain goes on unbroken.
@Suite("PostgreSQL operations: backup, replica, failover", .serialized)
struct PostgresOperationsTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/test-postgres").standardized.path

    /// Runs `scripts/test-postgres ARGS` and returns what it printed (a URL, for start and standby).
    @discardableResult
    static func cluster(_ arguments: [String]) throws -> String {
        let result = try ExternalTool.run(["bash"], [script] + arguments, in: NSTemporaryDirectory(), timeoutSeconds: 120)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func database(_ server: String, _ name: String) -> String {
        server.replacingOccurrences(of: "/postgres?", with: "/\(name)?")
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func root(_ cli: CLI) throws -> String {
        try #require(try json(try cli.ok(["verify", "--format", "json"]))["rootHash"] as? String)
    }

    @Test("pg_dump restored into a new database verifies with the same root; a hot standby audits and reports and refuses writes; after failover to it the chain goes on")
    func backupReplicaFailover() throws {
        let folder = NSTemporaryDirectory() + "huzhu-ops-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let primaryDir = folder + "-primary", standbyDir = folder + "-standby"
        defer {
            _ = try? Self.cluster(["stop", standbyDir])
            _ = try? Self.cluster(["stop", primaryDir])
            try? FileManager.default.removeItem(atPath: folder)
        }
        let primary = try Self.cluster(["start", primaryDir])
        let ledger = try PostgresLedgerStore.createDatabase("ledger", server: primary)
        let cli = CLI(directory: folder, environment: ["HUZHU_DB": ledger])
        try cli.ok(["init", "--name", "运维测试工会", "--key", "admin.key"])
        try cli.ok(["key", "new", "--out", "clerk.key"])
        try cli.ok(["key", "register", "--key", "admin.key", "--key-file", "clerk.key", "--roles", "clerk", "--holder", "经办员"])
        for day in 8...12 {
            try cli.ok(["post", "--key", "clerk.key", "--date", "2026-10-\(day)", "--debit", "10201=60.00", "--credit", "40801=60.00", "--ref", "D\(day)"])
        }
        try cli.ok(["checkpoint", "--key", "admin.key"])
        let root = try Self.root(cli)

        // A backup as the server's own tools make it, restored into another database.
        let dump = try ExternalTool.run(["pg_dump"], ["--format=custom", "--file=\(folder)/ledger.dump", ledger], in: folder)
        #expect(dump.status == 0, "\(dump.stderr)")
        let restored = try PostgresLedgerStore.createDatabase("restored", server: primary)
        let restore = try ExternalTool.run(["pg_restore"], ["--no-owner", "--dbname=\(restored)", "\(folder)/ledger.dump"], in: folder)
        #expect(restore.status == 0, "\(restore.stderr)")
        let fromBackup = CLI(directory: folder, environment: ["HUZHU_DB": restored])
        #expect(try Self.root(fromBackup) == root)
        #expect(try fromBackup.run(["audit"]).status == 0)

        // A streaming replica: reads on it see the primary's books; writes are refused.
        let standby = Self.database(try Self.cluster(["standby", standbyDir, primary]), "ledger")
        let replica = CLI(directory: folder, environment: ["HUZHU_DB": standby])
        try cli.ok(["post", "--key", "clerk.key", "--date", "2026-10-13", "--debit", "10201=60.00", "--credit", "40801=60.00", "--ref", "D13"])
        let head = try Self.root(cli)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, (try? Self.root(replica)) != head { Thread.sleep(forTimeInterval: 0.1) }
        #expect(try Self.root(replica) == head)
        let audit = try replica.run(["audit", "--state", "replica-audit.json"])
        #expect(audit.status == 0 && audit.stdout.contains("books.replay                0         0     0"), "\(audit.stdout)\(audit.stderr)")
        #expect(try replica.ok(["report", "trial-balance", "--year", "2026"]) == (try cli.ok(["report", "trial-balance", "--year", "2026"])))
        let refused = try replica.run(["post", "--key", "clerk.key", "--date", "2026-10-14", "--debit", "10201=1.00", "--credit", "40801=1.00"])
        #expect(refused.status != 0 && refused.stderr.contains("read-only"), "\(refused.stderr)")

        // Failover: the primary is gone, the standby promoted; clerks point at it and the chain goes on.
        let size = try #require(try Self.json(try cli.ok(["db", "info", "--format", "json"]))["head"] as? [String: Any])["seq"] as? Int
        try Self.cluster(["stop", primaryDir])
        try Self.cluster(["promote", standbyDir])
        var posted: CLI.Result?
        let promoted = Date().addingTimeInterval(30)
        repeat {
            posted = try replica.run(["post", "--key", "clerk.key", "--date", "2026-10-14", "--debit", "10201=60.00", "--credit", "40801=60.00", "--ref", "D14"])
            if posted?.status != 0 { Thread.sleep(forTimeInterval: 0.2) }
        } while posted?.status != 0 && Date() < promoted
        #expect(posted?.status == 0 && posted?.stdout.contains("seq \(size! + 1)") == true, "\(posted?.stdout ?? "")\(posted?.stderr ?? "")")
        #expect(try replica.ok(["verify"]).hasPrefix("ok: "))
        #expect(try replica.run(["audit"]).status == 0)
    }
}
