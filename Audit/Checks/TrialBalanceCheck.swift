import Ledger

/// The trial balance is zero: over all accounts, total debits equal total credits.
///
/// With a database, the check reads the balances every report reads (the per-day account
/// totals), so a projection edited behind the log's back shows here as well as in the
/// replay comparison. From a bundle, it sums the events' postings.
public struct TrialBalanceCheck: AuditCheck {
    public let name = "books.trial-balance"
    var debitFen: Int64 = 0
    var creditFen: Int64 = 0
    var overflowed = false

    public init() {}

    public mutating func inspect(_ audited: AuditedEvent, into findings: inout [Finding]) {
        guard case let .success(postings) = audited.postings else { return }
        for posting in postings {
            let (sum, overflow) = posting.side == .debit
                ? debitFen.addingReportingOverflow(posting.amount.fen) : creditFen.addingReportingOverflow(posting.amount.fen)
            if overflow { overflowed = true } else if posting.side == .debit { debitFen = sum } else { creditFen = sum }
        }
    }

    public mutating func finish(_ context: AuditContext, into findings: inout [Finding]) throws {
        var debit = Money.zero
        var credit = Money.zero
        let source: String
        if let reader = context.reader {
            source = "the account balances in the ledger file"
            do {
                for totals in try reader.totals(from: nil, through: nil).values {
                    debit = try debit.adding(totals.debit)
                    credit = try credit.adding(totals.credit)
                }
            } catch let error as MoneyError {
                findings.append(Finding(.error, check: name, "the account balances overflow when added: \(error)"))
                return
            }
        } else {
            source = "the postings of the events"
            guard !overflowed else {
                findings.append(Finding(.error, check: name, "the postings overflow when added"))
                return
            }
            debit = Money(fen: debitFen)
            credit = Money(fen: creditFen)
        }
        if debit != credit {
            findings.append(Finding(.error, check: name, """
                the trial balance is not zero: \(source) total debits \(debit.formatted()) and credits \(credit.formatted())
                """))
        }
    }
}
