import Foundation
import GRDB
import Testing
@testable import Ledger

/// A batch that takes the file for itself (`WriteShape.bulk`, which the SQLite store writes as `WriteSharing.exclusiveWhenAlone`) writes its
/// pages into the database file before it commits, with a rollback journal beside it.
/// These tests make it spill pages early (a page cache of a few pages) so that the journal
/// really has to undo them.
@Suite("Ledger: batches that take the file for themselves")
struct WriteSharingTests {
    /// The connection's journal mode, and whether a rollback journal file is beside it.
    static func journal(_ writer: any LedgerStoreWriter, path: String) throws -> (mode: String?, journalFile: Bool) {
        let db = try #require(writer as? SQLiteLedgerStore.Transaction).db
        return (try String.fetchOne(db, sql: "PRAGMA journal_mode"), FileManager.default.fileExists(atPath: path + "-journal"))
    }

    /// Appends `count` entries with a page cache of ten pages, so they spill into the file.
    /// Events reach the store a signing round (1,024) at a time, and a session keeps up to
    /// four rounds in flight: past 5,120 at least one round has been written.
    static func appendSpilling(_ test: TestLedger, _ session: AppendSession, count: Int, refPrefix: String) throws {
        let db = try #require(session.store as? SQLiteLedgerStore.Transaction).db
        try db.execute(sql: "PRAGMA cache_size = 10")
        defer { try? db.execute(sql: "PRAGMA cache_size = -65536") }
        for index in 0..<count {
            try session.append(try test.entry(fen: Int64(index + 1), ref: "\(refPrefix)-\(index)", memo: String(repeating: "互助", count: 40)).draft)
        }
    }

    /// A ledger whose batches, with `releasingPages`, write out and drop their pages from the
    /// page cache every 500 events, keeping none (`BatchPageRelease`).
    static func shape(releasingPages: Bool) -> WriteShape {
        releasingPages ? .bulkWrittenOnce : .bulk
    }

    static func ledger(releasingPages: Bool) throws -> TestLedger {
        try TestLedger(pageRelease: releasingPages ? BatchPageRelease.Policy(interval: 500, keptBytes: 0) : BatchPageRelease.Policy())
    }

    /// Requires that the batch released pages when it was meant to, and only then.
    static func expectReleases(_ session: AppendSession, _ releasingPages: Bool) throws {
        let releases = try #require(session.store as? SQLiteLedgerStore.Transaction).pageRelease?.releases ?? 0
        #expect(releasingPages ? releases > 0 : releases == 0)
    }

    static func fileSize(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    }

    @Test("a batch alone with the file writes through the rollback journal, then returns the file to WAL", arguments: [false, true])
    func aloneUsesRollbackJournal(releasingPages: Bool) throws {
        let test = try Self.ledger(releasingPages: releasingPages)
        let before = try test.ledger.read { try $0.size() }
        try test.ledger.append(signer: test.clerk, shape: Self.shape(releasingPages: releasingPages)) { session in
            let sizeAtStart = try Self.fileSize(test.path)
            try Self.appendSpilling(test, session, count: 6_000, refPrefix: "A")
            let journal = try Self.journal(session.store, path: test.path)
            #expect(journal.mode == "delete" && journal.journalFile)
            #expect(try Self.fileSize(test.path) > sizeAtStart)  // pages already in the file
            try Self.expectReleases(session, releasingPages)
        }
        #expect(try test.ledger.read { try $0.size() } == before + 6_000)
        #expect(!FileManager.default.fileExists(atPath: test.path + "-journal"))
        let reopened = try DatabaseQueue(path: test.path)
        #expect(try reopened.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
        #expect(try test.verify().isValid)
        // A plain write afterwards is back in WAL.
        let mode = try test.ledger.append(signer: test.clerk) { session in try Self.journal(session.store, path: test.path).mode }
        #expect(mode == "wal")
    }

    @Test("a batch that fails after its pages reached the file leaves the ledger exactly as it was", arguments: [false, true])
    func failureRollsBack(releasingPages: Bool) throws {
        let test = try Self.ledger(releasingPages: releasingPages)
        _ = try test.ledger.post([try test.entry(ref: "kept")], signer: test.clerk)
        let before = try test.ledger.read { try $0.size() }
        let rootBefore = try test.ledger.root(size: before)
        struct Refused: Error {}
        var sizeAtStart = 0
        #expect(throws: Refused.self) {
            try test.ledger.append(signer: test.clerk, shape: Self.shape(releasingPages: releasingPages)) { session in
                // The file as the batch found it (the WAL copied in when the journal changed).
                sizeAtStart = try Self.fileSize(test.path)
                try Self.appendSpilling(test, session, count: 6_000, refPrefix: "B")
                #expect(try Self.fileSize(test.path) > sizeAtStart)
                try Self.expectReleases(session, releasingPages)
                throw Refused()
            }
        }
        #expect(try test.ledger.read { try $0.size() } == before)
        #expect(try test.ledger.root(size: before) == rootBefore)
        #expect(try Self.fileSize(test.path) == sizeAtStart)
        #expect(try test.verify().isValid)
        // The same refs go in afterwards: nothing of the failed batch was left to collide.
        try test.ledger.append(signer: test.clerk, shape: Self.shape(releasingPages: releasingPages)) { session in
            try Self.appendSpilling(test, session, count: 10, refPrefix: "B")
        }
        #expect(try test.ledger.read { try $0.size() } == before + 10)
    }

    @Test("a crash mid-batch leaves a file that opens as the ledger before the batch", arguments: [false, true])
    func crashLeavesLedgerBefore(releasingPages: Bool) throws {
        let test = try Self.ledger(releasingPages: releasingPages)
        let crashed = TemporaryDirectory()
        let before = try test.ledger.read { try $0.size() }
        try test.ledger.append(signer: test.clerk, shape: Self.shape(releasingPages: releasingPages)) { session in
            let sizeAtStart = try Self.fileSize(test.path)
            try Self.appendSpilling(test, session, count: 6_000, refPrefix: "C")
            #expect(try Self.fileSize(test.path) > sizeAtStart)
            try Self.expectReleases(session, releasingPages)
            // What a crash now leaves on disk: the file with the pages spilled so far, and the journal.
            try FileManager.default.copyItem(atPath: test.path, toPath: crashed.file("ledger.db"))
            try FileManager.default.copyItem(atPath: test.path + "-journal", toPath: crashed.file("ledger.db-journal"))
        }
        #expect(try test.ledger.read { try $0.size() } == before + 6_000)

        let store = try SQLiteLedgerStore(path: crashed.file("ledger.db"))
        #expect(try store.read { try $0.size() } == before)
        #expect(try store.read { try $0.storedEvent(seq: before)?.hash } == test.ledger.read { try $0.storedEvent(seq: before)?.hash })
        let report = try LogVerifier(store: store, policy: test.ledger.policy).verify()
        #expect(report.isValid && report.eventCount == before)
        #expect(!FileManager.default.fileExists(atPath: crashed.file("ledger.db-journal")))
        #expect(try store.queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
    }

    @Test("a batch shares the file, in WAL, when another connection has it open")
    func sharesWhenNotAlone() throws {
        let test = try TestLedger()
        let other = try DatabaseQueue(path: test.path)
        let before = try other.read { try Int64.fetchOne($0, sql: "SELECT max(seq) FROM events") }
        try test.ledger.append(signer: test.clerk, shape: .bulk) { session in
            try Self.appendSpilling(test, session, count: 200, refPrefix: "D")
            #expect(try Self.journal(session.store, path: test.path).mode == "wal")
            // The other connection goes on reading the last commit meanwhile.
            #expect(try other.read { try Int64.fetchOne($0, sql: "SELECT max(seq) FROM events") } == before)
        }
        #expect(try other.read { try Int64.fetchOne($0, sql: "SELECT max(seq) FROM events") } == (before ?? 0) + 200)
        #expect(try test.verify().isValid)
    }

    @Test("a ledger opened during an exclusive batch waits for its commit and sees it whole")
    func openerWaitsForCommit() throws {
        let test = try TestLedger()
        let before = try test.ledger.read { try $0.size() }
        let seen = LockedValue<(size: Result<Int64, any Error>, at: Date)?>(nil)
        let done = DispatchSemaphore(value: 0)
        var bodyEnded = Date.distantFuture
        try test.ledger.append(signer: test.clerk, shape: .bulk) { session in
            try Self.appendSpilling(test, session, count: 10, refPrefix: "E")  // held off from BEGIN on, before any spill
            let path = test.path
            Thread.detachNewThread {
                let size = Result { try SQLiteLedgerStore(path: path).read { try $0.size() } }
                seen.set((size, Date()))
                done.signal()
            }
            // Give the opener time to try; it cannot read while the batch holds the file.
            Thread.sleep(forTimeInterval: 0.5)
            try Self.appendSpilling(test, session, count: 6_000, refPrefix: "E2")
            bodyEnded = Date()
        }
        done.wait()
        let opener = try #require(seen.get())
        #expect(opener.at > bodyEnded)
        #expect(try opener.size.get() == before + 6_010)
        #expect(try test.verify().isValid)
    }
}

/// A value shared with a thread the test starts.
final class LockedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func set(_ newValue: Value) { lock.withLock { value = newValue } }
    func get() -> Value { lock.withLock { value } }
}
