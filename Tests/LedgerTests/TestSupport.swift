import Foundation
@testable import Ledger

/// A folder under the system's temporary directory, removed when the value is released.
final class TemporaryDirectory: @unchecked Sendable {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "huzhu-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }
}

/// A fresh ledger on a real SQLite file with a real administrator and clerk key.
struct TestLedger {
    let directory = TemporaryDirectory()
    let admin = SigningKey()
    let clerk = SigningKey()
    let ledger: Ledger

    init(pageRelease: BatchPageRelease.Policy = BatchPageRelease.Policy()) throws {
        var bulkWrites = SQLiteLedgerStore.BulkWriteModes()
        bulkWrites.pageRelease = pageRelease
        let store = try SQLiteLedgerStore(path: directory.file("ledger.db"), create: true, bulkWrites: bulkWrites)
        ledger = try Ledger.create(store: store, name: "测试工会互助", admin: admin)
        try ledger.registerKey(clerk.publicKey, roles: [.clerk], holder: "clerk", signer: admin)
    }

    var path: String { directory.file("ledger.db") }

    func entry(_ date: String = "2026-10-08", debit: String = "10201", credit: String = "40801", fen: Int64 = 6000,
               ref: String? = nil, memo: String = "") throws -> JournalEntry {
        try JournalEntry(date: LedgerDate(date), memo: memo,
                         postings: [.debit(AccountCode(debit), Money(fen: fen)), .credit(AccountCode(credit), Money(fen: fen))],
                         idempotencyKey: ref)
    }

    func verify() throws -> VerificationReport {
        try LogVerifier(store: ledger.store, policy: ledger.policy).verify()
    }
}

/// The package's test fixtures folder.
enum Fixtures {
    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    }
}
