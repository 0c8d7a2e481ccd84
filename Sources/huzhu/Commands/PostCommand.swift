import ArgumentParser
import Foundation
import Ledger

struct PostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post",
        abstract: "Post a balanced journal entry, or every entry of a CSV or JSON Lines file in one transaction.",
        discussion: """
            From options, each --debit/--credit is ACCOUNT=AMOUNT in yuan ("1,234.50" is fine).
            --ref is the entry's idempotency key: posting the same ref again returns the original entry.

            From a file, all entries are recorded or none. While it runs, the import has the ledger file to
            itself if no other process has it open (other commands wait for it to commit).
            CSV columns: ref,date,memo,account,debit,credit, one posting per row, consecutive rows with one
            ref forming one entry (UTF-8 or GB18030).
            JSON Lines: {"ref":…,"date":…,"memo":…,"postings":[{"account":…,"side":"debit","amount":"60.00"},…]}.

            Examples:
              huzhu post --key clerk.key --date 2026-10-08 --ref BANK-20261008-01 \\
                  --debit 10201=12,000.00 --credit 40801=12000 --memo "市机械厂 2026 年互助金"
              huzhu post --key clerk.key --file vouchers-2026-10.csv
            """
    )

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var signer: KeyOptions

    @Option(help: "The entry's date in the books (YYYY-MM-DD).")
    var date: String?

    @Option(help: "ACCOUNT=AMOUNT on the debit side; repeat for more lines.")
    var debit: [String] = []

    @Option(help: "ACCOUNT=AMOUNT on the credit side; repeat for more lines.")
    var credit: [String] = []

    @Option(help: "What the entry is for.")
    var memo: String = ""

    @Option(help: "The entry's idempotency key (a voucher number, a bank reference).")
    var ref: String?

    @Option(help: "Post every entry of this .csv or .jsonl file instead.")
    var file: String?

    func validate() throws {
        if file != nil {
            guard date == nil, debit.isEmpty, credit.isEmpty, ref == nil else {
                throw ValidationError("--file takes its entries from the file; do not combine it with --date, --debit, --credit or --ref")
            }
        } else {
            guard date != nil else { throw ValidationError("pass --date, or --file for a batch") }
            guard !debit.isEmpty, !credit.isEmpty else { throw ValidationError("an entry needs at least one --debit and one --credit") }
        }
    }

    func run() throws {
        let ledger = try self.ledger.openLedger()
        let key = try signer.loadKey()
        if let file {
            let reader = try EntryFileReader(path: file)
            let started = Date()
            let summary = try ledger.post(file: reader, signer: key) { done in
                note("  \(done) entries…")
            }
            let seconds = Date().timeIntervalSince(started)
            let range = summary.firstSeq.map { "seq \($0)–\(summary.lastSeq!)" } ?? "no new events"
            print("posted \(summary.recorded) entries (\(range)); \(summary.duplicates) already recorded; \(String(format: "%.1f", seconds)) s")
            return
        }
        var postings: [Posting] = []
        for (side, lines) in [(Side.debit, debit), (Side.credit, credit)] {
            for line in lines {
                let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else {
                    throw LedgerInputError(field: "--\(side.rawValue)", value: line, reason: "write ACCOUNT=AMOUNT, e.g. 10201=60.00")
                }
                do {
                    postings.append(try Posting(account: AccountCode(parts[0]), side: side, amount: Money(parsingPositive: parts[1])))
                } catch let error as MoneyError {
                    throw LedgerInputError(field: "--\(side.rawValue)", value: line, reason: error.description)
                }
            }
        }
        let entry = try JournalEntry(date: LedgerDate(date!), memo: memo, postings: postings, idempotencyKey: ref)
        let outcome = try ledger.post([entry], signer: key)[0]
        switch outcome {
        case let .recorded(seq, hash): print("posted entry at seq \(seq) (hash \(hash.hex))")
        case let .duplicate(seq): print("already recorded at seq \(seq) (ref \(ref ?? "")); nothing new posted")
        }
    }
}
