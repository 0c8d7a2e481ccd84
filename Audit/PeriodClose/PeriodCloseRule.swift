import Ledger

/// A reason a month may not close yet. `PeriodCloser` asks every rule inside the closing
/// write transaction, so the rules see exactly the books that close, and a refusal writes
/// nothing.
///
/// The ledger's own rules are below. The mutual-aid domain adds its own as new types, e.g.
/// "claims approved in the month are unpaid past the plan's payment limit", which reads the
/// claims projection and returns the claim numbers; append it to `PeriodCloser.rules`.
public protocol PeriodCloseRule {
    /// The rule's name, shown with its refusal.
    var name: String { get }
    /// Why `period` may not close, or nil when this rule allows it.
    func refusal(closing period: Period, today: LedgerDate, reader: any LedgerStoreReader) throws -> String?
}

/// A month closes once, and only after its last day (in the books' time zone), so
/// nothing still to happen in it is shut out.
public struct MonthEndedRule: PeriodCloseRule {
    public let name = "month-ended"
    public init() {}

    public func refusal(closing period: Period, today: LedgerDate, reader: any LedgerStoreReader) throws -> String? {
        if let seq = try reader.closedPeriods()[period] { return "\(period) was already closed at seq \(seq)" }
        if today <= period.lastDay { return "\(period) has not ended yet (today is \(today)); close it from \(period.lastDay.adding(days: 1)) on" }
        return nil
    }
}

/// Months close in order: a month closes only when no earlier month with entries is still
/// open. Closing it then shuts every earlier month too (the append path refuses anything
/// dated on or before the latest closed month), so empty months need no closing of their own.
///
/// Why in order: a month's closing balances are cumulative. If an earlier month stayed
/// open, an entry dated into it later would change the closing balances of a month
/// already closed and published — the digest in its `period.closed` event would no longer
/// be what the books say. Union finance closes months in sequence (月结) for the same
/// reason: each month's closing balance is the next one's opening balance.
public struct ClosingOrderRule: PeriodCloseRule {
    public let name = "closing-order"
    /// How far back to look for the oldest open month to name in a refusal: 50 years.
    static let monthsSearchedMax = 600

    public init() {}

    public func refusal(closing period: Period, today: LedgerDate, reader: any LedgerStoreReader) throws -> String? {
        let latest = try reader.closedPeriods().keys.max()
        if let latest, period < latest {
            return "\(latest) is already closed, which shuts every month before it"
        }
        let from = latest.map { $0.next.firstDay }
        let earlier = try reader.totals(from: from, through: period.previous.lastDay)
        guard earlier.values.contains(where: { $0.debit != .zero || $0.credit != .zero }) else { return nil }
        var open: [Period] = []
        var month = period.previous
        for _ in 0..<ClosingOrderRule.monthsSearchedMax {
            if let latest, month <= latest { break }
            if !(try reader.totals(from: month.firstDay, through: month.lastDay)).isEmpty { open.append(month) }
            month = month.previous
        }
        let oldest = open.min().map(\.text) ?? "the earlier months"
        return "earlier months with entries are still open (\(open.sorted().map(\.text).joined(separator: ", "))); close \(oldest) first"
    }
}

/// The trial balance is zero: over the month's entries, and over all entries through
/// its last day. A close records these balances as final, so they must add up.
public struct TrialBalanceRule: PeriodCloseRule {
    public let name = "trial-balance"
    public init() {}

    public func refusal(closing period: Period, today: LedgerDate, reader: any LedgerStoreReader) throws -> String? {
        let month = ClosingBalances(period: period, totals: try reader.totals(from: period.firstDay, through: period.lastDay))
        let (debit, credit) = try month.sums()
        if debit != credit {
            return "the trial balance of \(period) is not zero: debits \(debit.formatted()), credits \(credit.formatted()); run `huzhu audit`"
        }
        let (totalDebit, totalCredit) = try ClosingBalances(period: period, reader: reader).sums()
        if totalDebit != totalCredit {
            return "the trial balance through \(period.lastDay) is not zero: debits \(totalDebit.formatted()), credits \(totalCredit.formatted()); run `huzhu audit`"
        }
        return nil
    }
}
