import Ledger

/// How one journal tool spells the books: the file's opening lines, one transaction, and
/// its closing lines. `JournalExport` streams the log through it.
public protocol JournalSyntax {
    /// Comments, options and whatever must come before the transactions.
    func preamble(ledger: LedgerInfo, provenance: ReportProvenance, accounts: [Account]) -> String
    func transaction(_ entry: ExportedEntry) -> String
    /// What follows the transactions. `openDate` is the earliest entry's date (or the
    /// export day when there are none); `assertionDate` the day after the latest entry.
    func epilogue(accounts: [Account], balances: [AccountCode: AccountTotals], openDate: LedgerDate,
                  assertionDate: LedgerDate?) -> String
}

extension JournalSyntax {
    /// One line of text: line breaks and tabs become spaces, since both formats are line-based.
    func singleLine(_ text: String) -> String {
        String(text.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 })
    }
}
