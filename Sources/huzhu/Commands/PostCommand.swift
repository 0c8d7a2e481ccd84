import ArgumentParser
import Foundation
import Ledger
import MutualAid

struct PostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post",
        abstract: "Post a balanced journal entry, or every entry of a CSV or JSON Lines file in one transaction.",
        discussion: """
            From options, each --debit/--credit is ACCOUNT=AMOUNT in yuan ("1,234.50" is fine). \
            --ref is the entry's idempotency key: posting the same ref again returns the original entry.

            Once a plan is published, its accounts (the fund's bank account, receivables, payables, \
            benefit expenses and the fund) move only through the plan's own steps or an entry proposed \
            with --propose: it posts nothing until an approver other than the proposer approves it \
            (`huzhu entry approve SEQ`), two distinct approvers at or over the plan's large-amount \
            threshold, and lapses unapproved after --lapses-in days. Benefit expenses move only through \
            claims. Other accounts (the basic account 10202, say) take a clerk's entry as it is.

            From a file, all entries are recorded or none. While it runs, the import has the ledger file to \
            itself if no other process has it open (other commands wait for it to commit). \
            CSV columns: ref,date,memo,account,debit,credit, one posting per row, consecutive rows with one \
            ref forming one entry (UTF-8 or GB18030). JSON Lines, one entry per line:

              {"ref":"V-01","date":"2026-10-08","memo":"手续费","postings":[P1,P2,…]}

            where each posting is {"account":"50701","side":"debit","amount":"12.00"}.

            Examples:
              huzhu post --key clerk.key --date 2026-10-08 --ref BANK-20261008-01 \\
                  --debit 10201=12,000.00 --credit 40801=12000 \\
                  --memo "市机械厂 2026 年互助金"
              huzhu post --key clerk.key --file vouchers-2026-10.csv
              huzhu post --propose --key clerk.key --date 2026-10-31 --ref V-2026-10-07 \\
                  --debit 50701=35.00 --credit 10201=35.00 --memo "10 月专户手续费"
            """
    )

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var signer: KeyOptions
    @OptionGroup var progress: ProgressOptions

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

    @Flag(help: "Propose the entry for an approver instead of posting it (needed on the plan's accounts).")
    var propose = false

    @Option(help: "With --propose: the days after the entry's date within which it must be approved (1–90).")
    var lapsesIn: Int = PlanControls.lapseDaysDefault

    func validate() throws {
        if file != nil {
            guard !propose else { throw ValidationError("--propose takes one entry from options; propose the entries of a file one by one") }
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
            let line = progress.line("posting entries")
            let summary = try ledger.post(file: reader, signer: key) { done in line.update(Int64(done)) }
            line.finish()
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
        if propose {
            let proposed = try MutualAidBook(ledger: ledger).propose(EntryProposal(entry: entry, lapseDays: lapsesIn), signer: key)
            switch proposed.outcome {
            case let .recorded(seq, _):
                print("proposed entry at seq \(seq); it posts once \(proposed.approvalsNeeded == 2 ? "two approvers approve" : "an approver approves") it: huzhu entry approve \(seq) --key approver.key")
            case let .duplicate(seq): print("already proposed at seq \(seq) (ref \(ref ?? "")); nothing new recorded")
            }
            return
        }
        let outcome = try ledger.post([entry], signer: key)[0]
        switch outcome {
        case let .recorded(seq, hash): print("posted entry at seq \(seq) (hash \(hash.hex))")
        case let .duplicate(seq): print("already recorded at seq \(seq) (ref \(ref ?? "")); nothing new posted")
        }
    }
}
