import ArgumentParser
import Ledger

struct ReverseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reverse",
        abstract: "Reverse an entry: post its lines on the opposite sides, naming the entry reversed.",
        discussion: """
            Nothing is ever edited or deleted; a mistake is corrected by a reversing entry. It is dated \
            today (UTC+8) unless --date says otherwise, must fall in an open month, and may not be \
            dated before the entry it reverses. An entry is reversed once; a reversal is not reversed. \
            Running the command again with the same date and reason answers with the reversal already \
            recorded (exit 0); with another date or reason it is refused.

            The mutual-aid plan's money steps are reversed the plan's way, and its registers follow:
            a bill, receipt or refund (contribution.reversed: the unit's figures less it), the union's \
            subsidy (subsidy.reversed), a claim's approval (claim.approval-revoked: the claim is reviewed \
            again; an approver signs) and a claim's payment (claim.payment-returned: approved and \
            unpaid again). `huzhu claim revoke-approval` and `huzhu claim return-payment` find the \
            claim's seq for you. A step recorded again afterwards (the receipt against the right unit, \
            the claim paid anew) is a new event.

            Examples:
              huzhu reverse 1234 --reason "duplicate voucher" --key clerk.key
              huzhu log --kind contribution.received      # find a receipt's seq
              huzhu reverse 88 --reason "到账单位录错，应为 U002" --date 2026-01-05 \\
                  --key clerk.key
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
        let books = try ledger.openLedger()
        let outcome = try books.reverse(seq: seq, date: day, reason: reason, signer: signer.loadKey())
        let kinds = try books.read { reader in
            try [seq, outcome.seq].map { try reader.storedEvent(seq: $0).map { try RecordedEvent(body: $0.body, signature: []).kind.name } ?? "?" }
        }
        switch outcome {
        case let .recorded(reversal, _): print("reversed seq \(seq) (\(kinds[0])) by seq \(reversal) (\(kinds[1]))")
        case let .duplicate(reversal): print("seq \(seq) was already reversed by seq \(reversal)")
        }
    }
}
