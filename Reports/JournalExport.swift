import Foundation
import Ledger

/// Writes the books as a beancount or hledger journal, from the events' postings.
///
/// The export reads the signed log, not the balance projection: every event with
/// postings becomes one transaction, reversals included. It then compares the sums of
/// what it wrote with the projection the reports read, account by account, and fails if
/// they differ, so an export that does not match Huzhu's trial balance is never produced.
/// All of it runs in one read snapshot.
///
/// ```swift
/// let summary = try JournalExport.write(ledger, format: .hledger, to: OutputFile(path: "books.journal", overwrite: true))
/// ```
public enum JournalExport {
    public struct Summary: Sendable {
        public var entries = 0
        public var reversals = 0
        public var accounts = 0
        public var firstDate: LedgerDate?
        public var lastDate: LedgerDate?
    }

    /// Streams the export into `output`.
    public static func write(_ ledger: Ledger, format: JournalFormat, to output: inout some TextOutputStream) throws -> Summary {
        let syntax = format.syntax
        return try ledger.read { reader in
            let accounts = try reader.accounts().sorted { $0.code < $1.code }
            let names = Dictionary(accounts.map { ($0.code, JournalAccountName.name(of: $0)) }, uniquingKeysWith: { first, _ in first })
            let provenance = try ReportProvenance(reader: reader, ledger: ledger.info)
            output.write(syntax.preamble(ledger: ledger.info, provenance: provenance, accounts: accounts))
            var summary = Summary(accounts: accounts.count)
            var logTotals: [AccountCode: AccountTotals] = [:]
            try reader.forEachStoredEvent(from: 1, through: provenance.treeSize) { stored in
                let event = try RecordedEvent(body: stored.body, signature: stored.signature)
                guard let entry = try ExportedEntry(event, names: names) else { return true }
                output.write(syntax.transaction(entry))
                for posting in entry.postings { try logTotals[posting.account, default: AccountTotals()].add(posting) }
                summary.entries += 1
                if entry.reverses != nil { summary.reversals += 1 }
                summary.firstDate = min(summary.firstDate ?? entry.date, entry.date)
                summary.lastDate = max(summary.lastDate ?? entry.date, entry.date)
                return true
            }
            let projection = try reader.totals(from: nil, through: nil)
            try compare(log: logTotals, projection: projection)
            output.write(syntax.epilogue(accounts: accounts, balances: projection, openDate: summary.firstDate ?? .today(),
                                         assertionDate: summary.lastDate?.adding(days: 1)))
            return summary
        }
    }

    /// Writes the export to `file` (`OutputFile`: whole or not at all), so a failed export
    /// leaves no half-written journal behind.
    public static func write(_ ledger: Ledger, format: JournalFormat, to file: OutputFile) throws -> Summary {
        try file.write { handle in
            var output = BufferedOutput(handle: handle)
            let summary = try write(ledger, format: format, to: &output)
            try output.finish()
            return summary
        }
    }

    /// Fails unless the log's postings and the projection agree on every account.
    static func compare(log: [AccountCode: AccountTotals], projection: [AccountCode: AccountTotals]) throws {
        for code in Set(log.keys).union(projection.keys).sorted() {
            let fromLog = JournalAmount.signedFen(log[code] ?? AccountTotals())
            let fromProjection = JournalAmount.signedFen(projection[code] ?? AccountTotals())
            guard fromLog == fromProjection else {
                throw ExportError.projectionMismatch(account: code.value, logFen: fromLog, projectionFen: fromProjection)
            }
        }
    }

    /// Debit-positive balances with every parent holding its sub-accounts, as the tools
    /// report a parent (beancount's balance, hledger's tree view).
    static func rolledUp(_ totals: [AccountCode: AccountTotals], accounts: [Account]) -> [AccountCode: Int64] {
        var rolled: [AccountCode: Int64] = [:]
        for (code, line) in totals {
            var current: AccountCode? = code
            while let level = current {
                rolled[level, default: 0] += JournalAmount.signedFen(line)
                current = level.parent
            }
        }
        return rolled
    }
}
