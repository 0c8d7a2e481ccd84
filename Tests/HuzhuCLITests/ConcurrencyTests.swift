import Foundation
import GRDB
import Testing

@Suite("huzhu: several processes and crashes", .serialized)
struct ConcurrencyTests {
    @Test("4 processes × 200 entries on one file make one unbroken chain with every entry")
    func concurrentClerks() throws {
        let books = try CLILedger()
        let workers = 4
        let perWorker = 200
        // Each worker is a shell loop of separate `huzhu post` processes, as four clerks would run them.
        var processes: [Process] = []
        for worker in 0..<workers {
            let script = """
                for i in $(seq 1 \(perWorker)); do
                  "\(CLI.executable)" post --key clerk.key --date 2026-10-08 --debit 10201=1.00 --credit 40801=1.00 --ref W\(worker)-$i >/dev/null || exit 1
                done
                """
            processes.append(try books.startShell(script))
        }
        for process in processes {
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        #expect(try books.cli.ok(["verify"]).contains("ok:"))
        let queue = try DatabaseQueue(path: books.database)
        let (entries, keys, maxSeq, count) = try queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM events WHERE kind = 'entry.posted'")!,
             try Int.fetchOne(db, sql: "SELECT count(DISTINCT idempotency_key) FROM events WHERE kind = 'entry.posted'")!,
             try Int.fetchOne(db, sql: "SELECT max(seq) FROM events")!,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM events")!)
        }
        #expect(entries == workers * perWorker)
        #expect(keys == workers * perWorker)
        #expect(maxSeq == count)
        #expect(try books.cli.ok(["balance", "--format", "json"]).contains("\"code\":\"10201\",\"creditFen\":0,\"debitFen\":\(workers * perWorker * 100)"))
    }

    @Test("a batch import beside another process's open connection shares the file and commits whole")
    func importBesideOpenConnection() throws {
        let books = try CLILedger()
        let reader = try DatabaseQueue(path: books.database)
        let count = { try reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM events")! } }
        let before = try count()
        var csv = "ref,date,memo,account,debit,credit\n"
        for index in 0..<2_000 { csv += "S\(index),2026-10-08,batch,10201,1.00,\nS\(index),2026-10-08,batch,40801,,1.00\n" }
        try books.write("shared.csv", csv)
        // Taking the file would mean waiting for this process's connection; the import goes on in WAL instead.
        #expect(try books.cli.ok(["post", "--key", "clerk.key", "--file", "shared.csv"]).contains("posted 2000 entries"))
        #expect(try count() == before + 2_000)
        // Written through the WAL (which this connection keeps), not a rollback journal.
        let wal = (try? FileManager.default.attributesOfItem(atPath: books.database + "-wal")[.size] as? Int) ?? 0
        #expect(wal > 1_000_000)
        #expect(!FileManager.default.fileExists(atPath: books.database + "-journal"))
        #expect(try books.cli.ok(["verify"]).contains("ok:"))
    }

    @Test("a batch import killed with SIGKILL mid-write leaves the ledger as it was, and the next command finds it valid")
    func killedImport() throws {
        let books = try CLILedger()
        try books.post(amount: "1.00", ref: "before")
        var csv = "ref,date,memo,account,debit,credit\n"
        let entries = 150_000
        csv.reserveCapacity(entries * 80)
        for index in 0..<entries {
            csv += "B\(index),2026-10-08,batch,10201,1.00,\nB\(index),2026-10-08,batch,40801,,1.00\n"
        }
        try books.write("big.csv", csv)
        let before = try DatabaseQueue(path: books.database).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM events")! }
        let size = { (path: String) in (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }
        let sizeBefore = size(books.database)

        let process = books.cli.start(["post", "--key", "clerk.key", "--file", "big.csv"])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The import has the file to itself, so it writes through the rollback journal: wait
        // until pages of its transaction are in the database file, beside a journal that
        // must undo them.
        let journal = books.database + "-journal"
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if size(books.database) > sizeBefore + 8_000_000 && FileManager.default.fileExists(atPath: journal) { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(process.isRunning, "the import finished before it could be killed; make the batch larger")
        #expect(FileManager.default.fileExists(atPath: journal) && !FileManager.default.fileExists(atPath: books.database + "-wal"))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        #expect(try books.cli.ok(["verify"]).contains("ok:"))
        let after = try DatabaseQueue(path: books.database).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM events")! }
        #expect(after == before)
        // The journal was played back (the file is its old size again) and the file is in WAL mode.
        #expect(!FileManager.default.fileExists(atPath: journal))
        #expect(size(books.database) < sizeBefore + 1_000_000)
        #expect(try DatabaseQueue(path: books.database).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
        // The ledger takes new entries as usual.
        try books.post(amount: "2.00", ref: "after")
        #expect(try books.cli.ok(["verify"]).contains("ok:"))
    }
}
