import Ledger

/// Writes the books as an hledger journal that `hledger bal` reads (hledger 1.25 and later).
///
/// - A `commodity` directive fixing the display to two decimals, no thousands separator.
/// - An `account` directive per account of the chart, with `name:` (the Chinese name),
///   `code:` and `type:` tags, so `hledger bal` lists idle accounts and knows the classes.
/// - One transaction per event with postings, reversals included, tagged with `seq`,
///   `kind` and `hash` (and `ref`, `reverses`). A `;` in a memo would start an hledger
///   comment, so it is written as the full-width `；`; a `,` in a tag value as `，`.
public struct HledgerSyntax: JournalSyntax {
    public init() {}

    public func preamble(ledger: LedgerInfo, provenance: ReportProvenance, accounts: [Account]) -> String {
        var text = """
            ; \(singleLine(ledger.name)): the books exported by huzhu for hledger.
            ; Ledger \(ledger.id); tree size \(provenance.treeSize), root \(provenance.rootHash.hex).
            ; Accounts are Root:<level-1 code>:<level-2 code>…; the Chinese name is the account directive's name tag.
            ; Debits are positive, credits negative.

            """
        if let checkpoint = provenance.checkpoint?.checkpoint {
            text += "; Newest checkpoint: tree size \(checkpoint.treeSize), root \(checkpoint.rootHash.hex), signed \(checkpoint.time.text).\n"
        }
        text += "\ncommodity 1000.00 \(JournalAmount.commodity)\n\n"
        for account in accounts {
            text += "account \(JournalAccountName.name(of: account))  ; name: \(tagValue(account.name)), code: \(account.code.value), "
            text += "type: \(JournalAccountName.hledgerType(of: account.type))\n"
        }
        return text + "\n"
    }

    public func transaction(_ entry: ExportedEntry) -> String {
        let description = singleLine(entry.narration).replacingOccurrences(of: ";", with: "；")
        var tags = "seq:\(entry.seq), kind:\(entry.kind.name), hash:\(entry.hash.hex)"
        if let reference = entry.reference { tags += ", ref:\(tagValue(reference))" }
        if let reverses = entry.reverses { tags += ", reverses:\(reverses)" }
        var text = "\(entry.date.text) * \(description)  ; \(tags)\n"
        for (posting, name) in zip(entry.postings, entry.accountNames) {
            text += "    \(name)  \(JournalAmount.text(posting))\n"
        }
        return text + "\n"
    }

    public func epilogue(accounts: [Account], balances: [AccountCode: AccountTotals], openDate: LedgerDate,
                         assertionDate: LedgerDate?) -> String {
        ""
    }

    /// A tag value on one line, without the comma that would end it.
    func tagValue(_ text: String) -> String {
        singleLine(text).replacingOccurrences(of: ",", with: "，").replacingOccurrences(of: ";", with: "；")
    }
}
