import Foundation
import Ledger
@testable import Reports

/// A folder under the system's temporary directory, removed when the value is released.
final class ReportTestDirectory: @unchecked Sendable {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "huzhu-reports-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }
}

/// A ledger on a real SQLite file with real keys, holding a small set of entries whose
/// every report figure is worked out by hand in the tests (in fen):
///
/// | date       | debit            | credit           | fen       |
/// |------------|------------------|------------------|-----------|
/// | 2026-09-10 | 10201 互助金专户  | 40801 互助金收入  |   500,000 |
/// | 2026-09-20 | 50201 住院        | 10201            |   120,000 |
/// | 2026-10-08 | 10201            | 40801            | 1,234,567 |
/// | 2026-10-09 | 11401 应收单位    | 40801            |    60,000 |
/// | 2026-10-15 | 50203 重大疾病    | 22501 应付互助金  |   300,000 |
/// | 2026-10-20 | 22501            | 10201            |   300,000 |
/// | 2026-10-21 | 50701 手续费      | 10201            |         5 |
/// | 2026-10-22 | 10201            | 40801            |     9,999 | reversed 2026-10-23
/// | (checkpoint signed here)                                       |
/// | 2026-11-02 | 10201            | 40802 利息收入    |       100 |
struct ReportTestBooks {
    let directory = ReportTestDirectory()
    let admin = SigningKey()
    let clerk = SigningKey()
    let ledger: Ledger
    let reversedSeq: Int64

    init(withCheckpoint: Bool = true, withNovember: Bool = true) throws {
        let store = try SQLiteLedgerStore(path: directory.file("ledger.db"), create: true)
        ledger = try Ledger.create(store: store, name: "测试市总工会职工医疗互助", admin: admin)
        try ledger.registerKey(clerk.publicKey, roles: [.clerk], holder: "经办员", signer: admin)
        let outcomes = try ledger.post([
            try Self.entry("2026-09-10", "10201", "40801", 500_000, "单位互助金 9 月"),
            try Self.entry("2026-09-20", "50201", "10201", 120_000, "住院医疗互助金"),
            try Self.entry("2026-10-08", "10201", "40801", 1_234_567, "单位互助金 10 月"),
            try Self.entry("2026-10-09", "11401", "40801", 60_000, "应收单位互助金"),
            try Self.entry("2026-10-15", "50203", "22501", 300_000, "重大疾病互助金核定"),
            try Self.entry("2026-10-20", "22501", "10201", 300_000, "重大疾病互助金支付"),
            try Self.entry("2026-10-21", "50701", "10201", 5, "银行手续费"),
            try Self.entry("2026-10-22", "10201", "40801", 9_999, "录错的一笔"),
        ], signer: clerk)
        guard case let .recorded(seq, _) = outcomes.last! else { fatalError("the last entry was not recorded") }
        reversedSeq = seq
        _ = try ledger.reverse(seq: seq, date: LedgerDate("2026-10-23"), reason: "金额录错", signer: clerk)
        if withCheckpoint { _ = try ledger.signCheckpoint(signer: admin) }
        if withNovember {
            _ = try ledger.post([try Self.entry("2026-11-02", "10201", "40802", 100, "利息")], signer: clerk)
        }
    }

    static func entry(_ date: String, _ debit: String, _ credit: String, _ fen: Int64, _ memo: String) throws -> JournalEntry {
        try JournalEntry(date: LedgerDate(date), memo: memo,
                         postings: [.debit(AccountCode(debit), Money(fen: fen)), .credit(AccountCode(credit), Money(fen: fen))])
    }

    static let october = ReportPeriod(month: try! Period("2026-10"))
    static let preparedOn = try! LedgerDate("2026-11-05")

    func document(_ report: some Report, _ period: ReportPeriod = ReportTestBooks.october) throws -> ReportDocument {
        try ReportRunner.run(report, on: ledger, period: period, preparedOn: ReportTestBooks.preparedOn)
    }

    /// Runs `body` with a context for `period`, as a report would get it.
    func withContext<T>(_ period: ReportPeriod = ReportTestBooks.october, _ body: (ReportContext) throws -> T) throws -> T {
        try ledger.read { reader in try body(try ReportContext(ledger: ledger.info, period: period, reader: reader)) }
    }
}
