import ArgumentParser
import Audit
import Ledger

struct PeriodCloseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Close a month: sign a checkpoint and record the closing balances; nothing dated in it is accepted after.",
        discussion: """
            Refused (exit 2, nothing written) while the month has not ended, is already closed, an earlier \
            month with entries is still open (months close in order; closing one shuts every month before \
            it), or the trial balance of the month or through its end is not zero.

            Records a period.closed event signed by an administrator, carrying a checkpoint over the log as \
            it stands and the digest of every account's debits and credits through the month's last day. \
            Corrections go into an open month, with a memo or reversal naming what they correct.

            Examples:
              huzhu period close 2026-10 --key admin.key
            """
    )

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var signer: KeyOptions

    @Argument(help: ArgumentHelp("The month to close.", valueName: "YYYY-MM"))
    var month: String

    func validate() throws {
        _ = try Period(month)
    }

    func run() throws {
        let period = try Period(month)
        let opened = try ledger.openLedger()
        let closed: PeriodCloser.Closed
        do {
            closed = try PeriodCloser(ledger: opened, rules: PeriodCloser.ledgerRules() + [UnpaidClaimsCloseRule()])
                .close(period, signer: signer.loadKey())
        } catch let refused as PeriodCloseRefused {
            throw LedgerInputError(field: "month", value: month, reason: "cannot be closed: " + refused.reasons.joined(separator: "; "))
        }
        let (debit, credit) = try closed.balances.sums()
        print("closed \(period) at seq \(closed.seq): \(closed.balances.totals.count) accounts, debits \(debit.formatted()), credits \(credit.formatted())")
        print("checkpoint: tree size \(closed.checkpoint.treeSize), root \(closed.checkpoint.rootHash.hex)")
        print("closing balances digest \(try closed.balances.digest.hex)")
    }
}
