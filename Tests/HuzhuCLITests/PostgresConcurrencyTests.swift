import Foundation
import Ledger
import LedgerPostgres
import Testing

/// Many clerks on one PostgreSQL ledger, each a separate `huzhu` process on its own
/// connection, and a clerk's process killed mid-import: one chain, every entry once, and
/// nothing of a transaction that did not commit.
@Suite("huzhu on PostgreSQL: several processes and a killed import", .serialized)
struct PostgresConcurrencyTests {
    static func csv(_ prefix: String, entries: Int) -> String {
        var csv = "ref,date,memo,account,debit,credit\n"
        csv.reserveCapacity(entries * 80)
        for index in 0..<entries { csv += "\(prefix)\(index),2026-10-08,batch,10201,1.00,\n\(prefix)\(index),2026-10-08,batch,40801,,1.00\n" }
        return csv
    }

    /// Runs a psql query on the database and returns its unaligned output.
    static func psql(_ url: String, _ sql: String, in directory: String) throws -> String {
        let result = try ExternalTool.run(["psql"], ["-X", "-q", "-t", "-A", url, "-c", sql], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("8 processes, four posting one entry at a time and four importing files, into one database give one chain with every entry once")
    func eightClerks() throws {
        let books = try CLILedger(store: .postgres)
        let posts = 40, imported = 300
        var processes: [Process] = []
        for worker in 0..<8 {
            let script: String
            if worker < 4 {
                script = """
                    for i in $(seq 1 \(posts)); do
                      "\(CLI.executable)" post --key clerk.key --date 2026-10-08 --debit 10201=1.00 --credit 40801=1.00 --ref P\(worker)-$i >/dev/null || exit 1
                    done
                    """
            } else {
                try books.write("batch-\(worker).csv", Self.csv("F\(worker)-", entries: imported))
                // Each file twice: the second import finds every entry recorded and adds none.
                script = """
                    "\(CLI.executable)" post --key clerk.key --file batch-\(worker).csv >/dev/null || exit 1
                    "\(CLI.executable)" post --key clerk.key --file batch-\(worker).csv >/dev/null || exit 1
                    """
            }
            processes.append(try books.startShell(script))
        }
        for process in processes {
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        let expected = 4 * posts + 4 * imported
        #expect(try books.cli.ok(["verify"]).contains("ok:"))
        let counts = try Self.psql(books.location, """
            SELECT count(*), count(DISTINCT idempotency_key), max(seq) = (SELECT count(*) FROM events) FROM events WHERE kind = 'entry.posted'
            """, in: books.directory)
        #expect(counts == "\(expected)|\(expected)|t", "\(counts)")
        #expect(try books.cli.ok(["balance", "--format", "json"]).contains("\"code\":\"10201\",\"creditFen\":0,\"debitFen\":\(expected * 100)"))
        #expect(try books.cli.run(["audit"]).status == 0)
    }

    @Test("an import killed with SIGKILL mid-write leaves the database as it was, and the next clerk writes at once")
    func killedImport() throws {
        let books = try CLILedger(store: .postgres)
        try books.post(amount: "1.00", ref: "before")
        try books.write("big.csv", Self.csv("B", entries: 60_000))
        let before = try PostgresLedgerStore(url: books.location).read { try $0.size() }

        let process = books.cli.start(["post", "--key", "clerk.key", "--file", "big.csv"])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the import's transaction has written rows on the server (it then has a
        // transaction id), and a little more, so the kill lands amid its inserts.
        let deadline = Date().addingTimeInterval(120)
        var writing = false
        while Date() < deadline, process.isRunning, !writing {
            writing = try Self.psql(books.location, """
                SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL
                """, in: books.directory) != "0"
            if !writing { Thread.sleep(forTimeInterval: 0.05) }
        }
        Thread.sleep(forTimeInterval: 0.5)
        #expect(writing && process.isRunning, "the import finished before it could be killed; make the batch larger")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        // The server rolls the transaction back when the connection drops; the lock is free.
        let started = Date()
        try books.post(amount: "2.00", ref: "after")
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(try PostgresLedgerStore(url: books.location).read { try $0.size() } == before + 1)
        #expect(try Self.psql(books.location, "SELECT count(*) FROM events WHERE idempotency_key LIKE 'B%'", in: books.directory) == "0")
        #expect(try books.cli.ok(["verify"]).contains("ok:"))
    }
}
