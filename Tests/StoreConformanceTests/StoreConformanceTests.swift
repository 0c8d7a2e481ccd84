import Foundation
import Ledger
import LedgerPostgres
import Testing

/// The `LedgerStore` contract, run against every store Huzhu ships: a SQLite file in a
/// temporary folder, and a fresh database on the PostgreSQL cluster `scripts/test` starts
/// (`HUZHU_TEST_POSTGRES`). Each test builds books through the Ledger itself and reads them
/// back through the store, so a store that stores, orders, sums or locks differently fails.
@Suite("the LedgerStore contract, on SQLite and on PostgreSQL")
struct StoreConformanceTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case sqlite, postgres
        var testDescription: String { rawValue }
    }

    /// A fresh, empty store of `kind`, and a way to open another connection to the same one.
    final class FreshStore: @unchecked Sendable {
        let kind: Kind
        let location: String
        let folder: String

        init(_ kind: Kind) throws {
            self.kind = kind
            folder = NSTemporaryDirectory() + "huzhu-store-" + UUID().uuidString
            switch kind {
            case .sqlite:
                location = folder + "/huzhu.db"
            case .postgres:
                let admin = try #require(ProcessInfo.processInfo.environment["HUZHU_TEST_POSTGRES"],
                                         "scripts/test starts a PostgreSQL cluster and sets HUZHU_TEST_POSTGRES; run the tests through it")
                location = try PostgresLedgerStore.createDatabase("huzhu_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased(),
                                                                  server: admin)
            }
            // Made once every property is set, so that a failure from here on runs deinit and removes it.
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }

        deinit { try? FileManager.default.removeItem(atPath: folder) }

        func open(create: Bool = false) throws -> any LedgerStore {
            switch kind {
            case .sqlite: return try SQLiteLedgerStore(path: location, create: create)
            case .postgres: return try PostgresLedgerStore(url: location, create: create)
            }
        }

        /// Runs SQL on the store behind the Ledger's back (psql, or the sqlite3 shell).
        @discardableResult
        func raw(_ sql: String) throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = kind == .sqlite ? ["sqlite3", location, sql] : ["psql", "-X", "-q", "-t", "-A", location, "-c", sql]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, output)
        }
    }

    static let admin = SigningKey()
    static let clerk = SigningKey()

    func entry(_ day: Int, fen: Int64, key: String? = nil) throws -> JournalEntry {
        try JournalEntry(date: LedgerDate(year: 2026, month: 10, day: day), memo: "互助金 \(day)", postings: [
            .debit(try AccountCode("10201"), Money(fen: fen)), .credit(try AccountCode("40801"), Money(fen: fen)),
        ], idempotencyKey: key)
    }

    /// What `books` wrote: the seq before the first entry, and the seqs it refers to.
    struct Books {
        let ledger: Ledger
        let base: Int64
        var entry10: Int64 { base + 10 }
        var reversal: Int64 { base + 21 }
        var checkpoint: Int64 { base + 22 }
        var last: Int64 { base + 23 }
    }

    /// Books every store must hold alike: the shipped chart, a clerk's key, twenty entries,
    /// a reversal, a checkpoint and one more entry.
    func books(_ store: any LedgerStore) throws -> Books {
        let ledger = try Ledger.create(store: store, name: "测试工会职工医疗互助", admin: Self.admin)
        _ = try ledger.registerKey(Self.clerk.publicKey, roles: [.clerk], holder: "经办员", signer: Self.admin)
        let base = try ledger.read { try $0.size() }
        _ = try ledger.post((1...20).map { try entry($0, fen: Int64($0) * 100, key: "e\($0)") }, signer: Self.clerk)
        _ = try ledger.reverse(seq: base + 10, date: try LedgerDate(year: 2026, month: 10, day: 25), reason: "录入错误", signer: Self.clerk)
        _ = try ledger.signCheckpoint(signer: Self.admin)
        _ = try ledger.post([try entry(28, fen: 5000, key: "after")], signer: Self.clerk)
        return Books(ledger: ledger, base: base)
    }

    @Test("books written through the Ledger read back whole: events, keys, accounts, totals, checkpoints, reversals, Merkle nodes and proofs",
          arguments: Kind.allCases)
    func roundTrip(kind: Kind) throws {
        let fresh = try FreshStore(kind)
        let books = try books(try fresh.open(create: true))
        let report = try LogVerifier(store: try fresh.open(), policy: .ledgerCore).verify()
        #expect(report.failures.isEmpty, "\(report.failures)")
        #expect(report.eventCount == books.last && report.checkpointsVerified == 1 && report.signaturesVerified == books.last)
        try fresh.open().read { reader in
            #expect(try reader.ledgerInfo()?.name == "测试工会职工医疗互助")
            #expect(try reader.size() == books.last)
            #expect(try reader.keys().map(\.id) == [Self.admin.publicKey.id, Self.clerk.publicKey.id])
            #expect(try reader.key(Self.clerk.publicKey.id)?.roles == [.clerk])
            let codes = try reader.accounts().map(\.code.value)
            #expect(codes.contains("10201") && codes.contains("40801") && codes == codes.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
            #expect(try reader.account(try AccountCode("10201"))?.name != nil)
            // 1..20 yuan posted, entry 10's 10 yuan reversed, 50 yuan after: 21,000 + 5,000 fen debited to the bank, 1,000 credited.
            let totals = try reader.totals(from: nil, through: nil)
            #expect(totals[try AccountCode("10201")] == AccountTotals(debit: Money(fen: 26_000), credit: Money(fen: 1_000)))
            let october = try reader.totals(from: try LedgerDate(year: 2026, month: 10, day: 1), through: try LedgerDate(year: 2026, month: 10, day: 20))
            #expect(october[try AccountCode("40801")]?.credit == Money(fen: 21_000))
            #expect(try reader.debitsTotalFen() == 27_000)
            #expect(try reader.reversal(of: books.entry10) == books.reversal)
            #expect(try reader.seq(idempotencyKey: "entry:after") == books.last)
            #expect(try reader.seqs(ofKind: .checkpointSigned) == [books.checkpoint])
            #expect(try reader.checkpoints().map(\.seq) == [books.checkpoint])
            var seqs: [Int64] = []
            try reader.forEachStoredEvent(from: 5, through: 8) { seqs.append($0.seq); return true }
            #expect(seqs == [5, 6, 7, 8])
            var count: Int64 = 0
            try reader.forEachStoredEvent(from: 1, through: nil) { _ in count += 1; return true }
            #expect(count == books.last)
            #expect(try reader.storedEvent(seq: books.last + 1) == nil)
            let stored = try #require(try reader.storedEvent(seq: books.base + 12))
            #expect(MerkleHashing.leafHash(stored.body) == stored.hash)
        }
        // Proofs from the store's nodes check against its root.
        let proof = try books.ledger.inclusionProof(seq: books.base + 17)
        #expect(proof.verify() && proof.rootHash == report.rootHash)
        #expect(try books.ledger.consistencyProof(oldSize: 9, newSize: books.last).verify())
    }

    @Test("a batch of 2,500 entries over 28 days in one write: every event, node and day total arrives (the PostgreSQL store sends them in multi-row statements)",
          arguments: Kind.allCases)
    func largeBatch(kind: Kind) throws {
        let fresh = try FreshStore(kind)
        let books = try books(try fresh.open(create: true))
        let batch = try (0..<2_500).map { try entry(1 + $0 % 28, fen: 100 + Int64($0 % 7), key: "batch-\($0)") }
        let outcomes = try books.ledger.post(batch, signer: Self.clerk)
        #expect(outcomes.map(\.seq) == Array((books.last + 1)...(books.last + 2_500)))
        let report = try LogVerifier(store: try fresh.open(), policy: .ledgerCore).verify()
        #expect(report.failures.isEmpty && report.eventCount == books.last + 2_500, "\(report.failures.prefix(3))")
        let expected = batch.reduce(Int64(26_000)) { $0 + $1.postings[0].amount.fen }
        let bank = try AccountCode("10201")
        let (debited, lastKey) = try fresh.open().read { reader -> (Money?, Int64?) in
            (try reader.totals(from: nil, through: nil)[bank]?.debit, try reader.seq(idempotencyKey: "entry:batch-2499"))
        }
        #expect(debited == Money(fen: expected) && lastKey == books.last + 2_500)
        #expect(try books.ledger.inclusionProof(seq: books.last + 1_777).verify())
    }

    @Test("a write that throws leaves the store as it was; an entry posted again is the one recorded, another under its key refused", arguments: Kind.allCases)
    func atomicWrites(kind: Kind) throws {
        let fresh = try FreshStore(kind)
        let books = try books(try fresh.open(create: true))
        let ledger = books.ledger
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            _ = try ledger.append(signer: Self.clerk) { session in
                _ = try session.append(try self.entry(29, fen: 100).draft)
                throw Stop()
            }
        }
        // The same entry posted again is answered with the one recorded; another entry under its key is refused.
        #expect(try ledger.post([try entry(28, fen: 5000, key: "after")], signer: Self.clerk).map(\.seq) == [books.last])
        #expect(throws: (any Error).self) { _ = try ledger.post([try entry(29, fen: 100, key: "after")], signer: Self.clerk) }
        // A statement the store refuses (a second account under one code) fails the whole write, with the
        // store's reason, though PostgreSQL is sent such writes without waiting for each.
        let code = try AccountCode("10299")
        do {
            try fresh.open().write { writer in
                try writer.insertAccount(Account(code: code, name: "一", type: .asset, openedSeq: books.last))
                try writer.insertAccount(Account(code: code, name: "二", type: .asset, openedSeq: books.last))
                try writer.insertClosedPeriod(try Period("2026-01"), seq: books.last)
            }
            Issue.record("a write that broke a primary key was kept")
        } catch {
            #expect("\(error)".contains("duplicate key") || "\(error)".contains("UNIQUE"), "\(error)")
        }
        #expect(try fresh.open().read { (try $0.account(code), try $0.closedPeriods()) } == (nil, [:]))
        let report = try LogVerifier(store: try fresh.open(), policy: .ledgerCore).verify()
        #expect(report.eventCount == books.last && report.failures.isEmpty)
    }

    @Test("the log refuses UPDATE and DELETE behind the Ledger's back", arguments: Kind.allCases)
    func appendOnly(kind: Kind) throws {
        let fresh = try FreshStore(kind)
        let books = try books(try fresh.open(create: true))
        #expect(try fresh.raw("UPDATE events SET kind = 'x' WHERE seq = 3").output.contains("append-only"))
        #expect(try fresh.raw("DELETE FROM events WHERE seq = \(books.last)").output.contains("append-only"))
        #expect(try fresh.raw("DELETE FROM merkle_nodes").output.contains("append-only"))
        #expect(try LogVerifier(store: try fresh.open(), policy: .ledgerCore).verify().eventCount == books.last)
    }

    @Test("events deleted behind the log's back, more than a page of them, are found as a gap naming the next event stored", arguments: Kind.allCases)
    func gapPastAPage(kind: Kind) throws {
        let fresh = try FreshStore(kind)
        let books = try books(try fresh.open(create: true))
        _ = try books.ledger.post((1...4_300).map { try entry(1 + $0 % 28, fen: 100, key: "bulk-\($0)") }, signer: Self.clerk)
        let edit = kind == .sqlite ? "DROP TRIGGER events_refuse_delete; " : "ALTER TABLE events DISABLE TRIGGER USER; "
        #expect(try fresh.raw(edit + "DELETE FROM events WHERE seq BETWEEN 2040 AND 4200").status == 0)
        let report = try LogVerifier(store: try fresh.open(), policy: .ledgerCore).verify()
        #expect(report.failures.first?.seq == 2040, "\(report.failures.prefix(3))")
        #expect(report.failures.first?.reason.contains("the next stored event is 4201") == true, "\(report.failures.prefix(3))")
    }

    @Test("a Merkle node rewritten with the triggers out of the way is found by verify, at the event that completes it", arguments: Kind.allCases)
    func alteredNode(kind: Kind) throws {
        let fresh = try FreshStore(kind)
        _ = try books(try fresh.open(create: true))
        let zeros = String(repeating: "00", count: 32)
        let edit = kind == .sqlite
            ? "DROP TRIGGER merkle_nodes_refuse_update; UPDATE merkle_nodes SET hash = x'\(zeros)' WHERE level = 4 AND idx = 1"
            : "ALTER TABLE merkle_nodes DISABLE TRIGGER USER; UPDATE merkle_nodes SET hash = '\\x\(zeros)' WHERE level = 4 AND idx = 1"
        let result = try fresh.raw(edit)
        #expect(result.status == 0, "\(result.output)")
        let report = try LogVerifier(store: try fresh.open(), policy: .ledgerCore).verify()
        #expect(report.failures.contains { $0.seq == 32 && $0.reason.contains("level 4, index 1") }, "\(report.failures)")
    }

    @Test("PostgreSQL keeps the chain's head in the row writers lock, and an append trusts it only where the events table ends as it says")
    func keptChainHead() throws {
        let fresh = try FreshStore(.postgres)
        let books = try books(try fresh.open(create: true))
        let kept = try fresh.raw("SELECT tree_size, length(frontier), debits_fen FROM ledger_lock")
        let debits = try fresh.open().read { try $0.debitsTotalFen() }
        #expect(kept.output.trimmingCharacters(in: .whitespacesAndNewlines)
                == "\(books.last)|\(32 * books.last.nonzeroBitCount)|\(debits)", "\(kept.output)")
        // A head one event short (as a copy or an older Huzhu leaves it), then one whose last
        // hash is not the log's: each append reads the head from the log instead, and writes it again.
        let zeros = String(repeating: "00", count: 32)
        for (index, edit) in ["UPDATE ledger_lock SET tree_size = tree_size - 1", "UPDATE ledger_lock SET last_hash = '\\x\(zeros)'",
                              "UPDATE ledger_lock SET tree_size = NULL"].enumerated() {
            #expect(try fresh.raw(edit).status == 0)
            _ = try books.ledger.post([try entry(27, fen: 700, key: "head-\(index)")], signer: Self.clerk)
        }
        let report = try LogVerifier(store: try fresh.open(), policy: .ledgerCore).verify()
        #expect(report.failures.isEmpty && report.eventCount == books.last + 3, "\(report.failures.prefix(3))")
        #expect(try fresh.raw("SELECT tree_size, debits_fen FROM ledger_lock").output.trimmingCharacters(in: .whitespacesAndNewlines)
                == "\(books.last + 3)|\(debits + 2100)")
        #expect(try fresh.open().read { try $0.debitsTotalFen() } == debits + 2100)
    }

    @Test("a key column that holds one idempotency key twice is found by the store's scan, with its unique index dropped", arguments: Kind.allCases)
    func repeatedKeys(kind: Kind) throws {
        let fresh = try FreshStore(kind)
        let books = try books(try fresh.open(create: true))
        #expect(try fresh.open().read { try $0.repeatedIdempotencyKeys(limit: 10) }.isEmpty)
        let edit = kind == .sqlite
            ? "DROP TRIGGER events_refuse_update; DROP INDEX events_by_idempotency_key; "
            : "ALTER TABLE events DISABLE TRIGGER USER; DROP INDEX events_by_idempotency_key; "
        let result = try fresh.raw(edit + "UPDATE events SET idempotency_key = 'entry:after' WHERE seq IN (\(books.base + 3), \(books.base + 12))")
        #expect(result.status == 0, "\(result.output)")
        let repeats = try fresh.open().read { try $0.repeatedIdempotencyKeys(limit: 10) }
        #expect(repeats.map(\.key) == ["entry:after"])
        #expect(repeats.first?.seqs == [books.base + 3, books.base + 12, books.last])
    }

    @Test("8 writers on their own connections at once make one unbroken chain with every entry once", arguments: Kind.allCases)
    func concurrentWriters(kind: Kind) throws {
        let fresh = try FreshStore(kind)
        let books = try books(try fresh.open(create: true))
        let writers = 8, each = 25
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: writers) { writer in
            do {
                let ledger = try Ledger(store: try fresh.open())
                for index in 0..<each {
                    _ = try ledger.post([try self.entry(1 + index % 28, fen: 100, key: "w\(writer)-\(index)")], signer: Self.clerk)
                }
            } catch {
                failures.add("\(error)")
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all)")
        let store = try fresh.open()
        let report = try LogVerifier(store: store, policy: .ledgerCore).verify()
        #expect(report.failures.isEmpty && report.eventCount == books.last + Int64(writers * each), "\(report.failures)")
        let missing = try store.read { reader -> [String] in
            var missing: [String] = []
            for writer in 0..<writers {
                for index in 0..<each where try reader.seq(idempotencyKey: "entry:w\(writer)-\(index)") == nil { missing.append("w\(writer)-\(index)") }
            }
            return missing
        }
        #expect(missing.isEmpty, "entries lost: \(missing)")
    }

    @Test("PostgreSQL: a URL without a database, or a server that is not there, is a sentence naming it; the password is never printed")
    func postgresErrors() throws {
        #expect(throws: LedgerInputError.self) { try PostgresLedgerStore(url: "postgres://huzhu@127.0.0.1:1") }
        do {
            _ = try PostgresLedgerStore(url: "postgres://huzhu:secret-pw@127.0.0.1:1/ledger?sslmode=disable")
            Issue.record("connected to nothing")
        } catch {
            let text = "\(error)"
            #expect(text.contains("cannot connect to postgres://huzhu@127.0.0.1:1/ledger") && !text.contains("secret-pw"), "\(text)")
        }
        let fresh = try FreshStore(.postgres)
        #expect(throws: LedgerStoreError.self) { try PostgresLedgerStore(url: fresh.location) }
        _ = try PostgresLedgerStore(url: fresh.location, create: true)
        #expect(throws: LedgerInputError.self) { try PostgresLedgerStore(url: fresh.location, create: true) }
        #expect(try PostgresLedgerStore(url: fresh.location).schemaVersions() == ["ledger-v1", "ledger-v2-chain-head"])
    }
}

/// Errors collected from concurrent writers.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ text: String) { lock.withLock { list.append(text) } }
    var all: [String] { lock.withLock { list } }
}
