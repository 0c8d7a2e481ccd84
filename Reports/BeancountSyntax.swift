import Ledger

/// Writes the books as a beancount journal that `bean-check` accepts.
///
/// - `open` directives for every account of the chart, with the Chinese name, the code
///   and the type as metadata. Beancount reads directives in date order wherever they
///   stand in the file, so they follow the transactions, dated on the earliest entry's
///   day: that way the export is written in one pass over the log.
/// - One transaction per event with postings, reversals included, with `seq`, `kind`,
///   `hash` (and `ref`, `reverses`) metadata tying it to the signed log.
/// - A `balance` assertion per account, dated the day after the latest entry, holding
///   Huzhu's balance from its projection, so `bean-check` itself proves the two agree.
///   Beancount's balance includes sub-accounts, as Huzhu's parent balances do.
public struct BeancountSyntax: JournalSyntax {
    public init() {}

    public func preamble(ledger: LedgerInfo, provenance: ReportProvenance, accounts: [Account]) -> String {
        var text = """
            ; \(singleLine(ledger.name)): the books exported by huzhu for beancount.
            ; Ledger \(ledger.id); tree size \(provenance.treeSize), root \(provenance.rootHash.hex).
            ; Accounts are Root:<level-1 code>:<level-2 code>…; the Chinese name is the open directive's name metadata.
            ; Debits are positive, credits negative. open directives and balance assertions follow the transactions.

            option "title" "\(quoted(ledger.name))"
            option "operating_currency" "\(JournalAmount.commodity)"

            """
        if let checkpoint = provenance.checkpoint?.checkpoint {
            text += "; Newest checkpoint: tree size \(checkpoint.treeSize), root \(checkpoint.rootHash.hex), signed \(checkpoint.time.text).\n"
        }
        return text + "\n"
    }

    public func transaction(_ entry: ExportedEntry) -> String {
        var text = "\(entry.date.text) * \"\(quoted(entry.narration))\"\n"
        text += "  seq: \(entry.seq)\n  kind: \"\(entry.kind.name)\"\n  hash: \"\(entry.hash.hex)\"\n"
        if let reference = entry.reference { text += "  ref: \"\(quoted(reference))\"\n" }
        if let reverses = entry.reverses { text += "  reverses: \(reverses)\n" }
        for (posting, name) in zip(entry.postings, entry.accountNames) {
            text += "  \(name)  \(JournalAmount.text(posting))\n"
        }
        return text + "\n"
    }

    public func epilogue(accounts: [Account], balances: [AccountCode: AccountTotals], openDate: LedgerDate,
                         assertionDate: LedgerDate?) -> String {
        var text = "\(openDate.text) commodity \(JournalAmount.commodity)\n  name: \"人民币\"\n\n"
        for account in accounts {
            text += "\(openDate.text) open \(JournalAccountName.name(of: account)) \(JournalAmount.commodity)\n"
            text += "  name: \"\(quoted(account.name))\"\n  code: \"\(account.code.value)\"\n  type: \"\(account.type.rawValue)\"\n"
        }
        guard let assertionDate else { return text }
        text += "\n; Huzhu's balance of every account (sub-accounts included) after the latest entry.\n"
        let rolled = JournalExport.rolledUp(balances, accounts: accounts)
        for account in accounts {
            text += "\(assertionDate.text) balance \(JournalAccountName.name(of: account)) \(JournalAmount.text(fen: rolled[account.code] ?? 0))\n"
        }
        return text
    }

    /// A beancount string body: backslashes and quotes escaped, on one line.
    func quoted(_ text: String) -> String {
        singleLine(text).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
