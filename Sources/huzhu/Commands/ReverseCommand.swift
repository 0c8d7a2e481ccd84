import ArgumentParser
import Ledger

struct ReverseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reverse",
        abstract: "Reverse an entry: post its lines on the opposite sides, naming the entry reversed.",
        discussion: """
            Nothing is ever edited or deleted; a mistake is corrected by a reversing entry. It is dated
            today (UTC+8) unless --date says otherwise, and must fall in an open month. The mutual-aid
            plan's money steps (contributions, subsidies, claim approvals and payments) are not reversed
            here: the command refuses and names the plan's own correction where there is one.

            Example:
              huzhu reverse 1234 --reason "duplicate voucher" --key clerk.key
            """
    )

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var signer: KeyOptions

    @Argument(help: "The seq of the entry to reverse.")
    var seq: Int64

    @Option(help: "Why the entry is reversed.")
    var reason: String

    @Option(help: "The reversal's date in the books (default: today).")
    var date: String?

    func run() throws {
        let day = try date.map(LedgerDate.init) ?? LedgerDate.today()
        let outcome = try ledger.openLedger().reverse(seq: seq, date: day, reason: reason, signer: signer.loadKey())
        switch outcome {
        case let .recorded(reversal, _): print("reversed seq \(seq) by seq \(reversal)")
        case let .duplicate(reversal): print("seq \(seq) was already reversed by seq \(reversal)")
        }
    }
}
