import Foundation
import Ledger
import LedgerPostgres
import Testing

/// `huzhu db copy` and `huzhu db info`: a ledger moved from a file into PostgreSQL and back
/// is the same ledger, byte for byte, and a copy that cannot be verified on arrival is not kept.
@Suite("huzhu db copy and db info")
struct DbCopyCLITests {
    /// Every row of every table of a ledger file, sorted: two files with the same dump hold
    /// the same events, Merkle nodes, register and personal data.
    static func dump(_ path: String, in directory: String) throws -> [String] {
        let result = try ExternalTool.run(["sqlite3"], [path, ".dump"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init).sorted()
    }

    static func events(in url: String) throws -> Int64 {
        try PostgresLedgerStore(url: url).read { try $0.size() }
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("the demo ledger copied into PostgreSQL and back is the same file, row for row, and audits clean in the database")
    func roundTrip() throws {
        let books = try CLILedger()
        try books.cli.ok(["demo", "--dir", "year"])
        let file = books.path("year/huzhu.db"), back = books.path("back.db")
        let database = try CLILedger.freshDatabase()

        let there = try Self.json(try books.cli.ok(["db", "copy", file, database, "--format", "json"]))
        let info = try Self.json(try books.cli.ok(["db", "info", "--db", file, "--format", "json"]))
        let head = try #require(info["head"] as? [String: Any])
        #expect(there["rootHash"] as? String == head["rootHash"] as? String)
        #expect(there["events"] as? Int == head["seq"] as? Int)
        #expect((there["personalData"] as? [String: Int])?["members"] ?? 0 > 5000, "\(there)")
        #expect(there["statementIndexSeq"] as? Int != nil, "\(there)")
        #expect((there["checkpointsVerified"] as? Int ?? 0) > 10, "\(there)")

        let inDatabase = try Self.json(try books.cli.ok(["db", "info", "--db", database, "--format", "json"]))
        #expect(inDatabase["store"] as? String == "PostgreSQL" && info["store"] as? String == "SQLite")
        #expect((inDatabase["head"] as? [String: Any])?["rootHash"] as? String == head["rootHash"] as? String)
        #expect(inDatabase["ledger"] as? String == info["ledger"] as? String)
        #expect((inDatabase["schemaVersions"] as? [String])?.first == "ledger-v1")
        #expect(!(inDatabase["location"] as? String ?? "").contains("password"))
        let audit = try books.cli.run(["audit", "--db", database])
        #expect(audit.status == 0 && audit.stdout.contains("no findings"), "\(audit.stdout)\(audit.stderr)")
        for command in [["report", "fund", "--year", "2026"], ["claim", "list", "--year", "2026", "--format", "json"],
                        ["member", "list", "--year", "2026"]] {
            #expect(try books.cli.ok(command + ["--db", database]) == (try books.cli.ok(command + ["--db", file])), "\(command)")
        }

        let text = try books.cli.ok(["db", "copy", database, back])
        #expect(text.contains("copied \(head["seq"] as? Int ?? 0) events") && text.contains("statement index of seq"), "\(text)")
        #expect(try Self.dump(back, in: books.directory) == (try Self.dump(file, in: books.directory)))
    }

    @Test("a source that does not verify is refused, naming the seq, and leaves no file and an empty database")
    func refusesBrokenSource() throws {
        let plan = try MutualAidBooks(members: 3)
        let (claim, _) = try plan.file(plan.members[0], settlement: "C1", extra: plan.medical(ownShare: "1000"))
        try plan.approveFully(claim)
        try LedgerSurgeon(plan.books).execute("UPDATE events SET signature = zeroblob(64) WHERE seq = \(claim)")

        let database = try CLILedger.freshDatabase()
        for target in [plan.books.path("copy.db"), database] {
            let refused = try plan.cli.run(["db", "copy", plan.books.database, target])
            #expect(refused.status == 1 && refused.stderr.contains("not kept") && refused.stderr.contains("seq \(claim)"), "\(refused.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: plan.books.path("copy.db")))
        #expect(try Self.events(in: database) == 0)

        // The empty tables a refused copy leaves take the next copy, of a sound ledger.
        let sound = try CLILedger()
        try sound.post()
        try sound.cli.ok(["db", "copy", sound.database, database])
        #expect(try Self.events(in: database) == (try Ledger(store: try SQLiteLedgerStore(path: sound.database)).read { try $0.size() }))
    }

    @Test("a target that holds a ledger, or the source itself, is refused and left as it was")
    func refusesTargetWithLedger() throws {
        let books = try CLILedger()
        try books.post()
        let other = try CLILedger(store: .postgres)
        let before = try Self.events(in: other.location)
        let intoDatabase = try books.cli.run(["db", "copy", books.database, other.location])
        #expect(intoDatabase.status == 2 && intoDatabase.stderr.contains("already holds a ledger"), "\(intoDatabase.stderr)")
        #expect(try Self.events(in: other.location) == before)

        let copy = books.path("copy.db")
        try books.cli.ok(["db", "copy", books.database, copy])
        let again = try books.cli.run(["db", "copy", books.database, copy])
        #expect(again.status == 2 && again.stderr.contains("already exists"), "\(again.stderr)")
        let itself = try books.cli.run(["db", "copy", books.database, books.database])
        #expect(itself.status == 2 && itself.stderr.contains("same file"), "\(itself.stderr)")
        let missing = try books.cli.run(["db", "copy", books.path("none.db"), books.path("x.db")])
        #expect(missing.status == 2 && !FileManager.default.fileExists(atPath: books.path("x.db")), "\(missing.stderr)")
    }

    @Test("db info names the store, its schema, size and head, and the head is verify's root")
    func info() throws {
        let books = try CLILedger()
        try books.post()
        try books.cli.ok(["checkpoint", "--key", "admin.key"])
        let text = try books.cli.ok(["db", "info"])
        #expect(text.contains("store     SQLite") && text.contains("schema    ledger-v1, mutual-aid-v1"), "\(text)")
        let verify = try Self.json(try books.cli.ok(["verify", "--format", "json"]))
        #expect(text.contains("root \(verify["rootHash"] as? String ?? "-")"), "\(text)")
        #expect(text.contains("signed    checkpoint at tree size"), "\(text)")
    }
}
