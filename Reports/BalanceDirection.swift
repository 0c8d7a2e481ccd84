import Ledger

/// A balance as union account books print it: an amount that is never negative, with its
/// direction 借 (debit), 贷 (credit), or 平 (nil: zero).
///
/// Books show an asset that has been overdrawn as "贷 120.00" rather than "−120.00", so the
/// direction column, not a minus sign, tells which side a balance lies on.
public struct BalanceDirection: Sendable, Hashable {
    /// Debit or credit; nil when the balance is zero (平).
    public let side: Side?
    /// The size of the balance, never negative.
    public let amount: Money

    /// The balance of `totals`: debits - credits lands on the debit side when positive.
    public init(totals: AccountTotals) throws(MoneyError) {
        let net = try totals.debit.subtracting(totals.credit)
        if net.fen > 0 {
            side = .debit
            amount = net
        } else if net.fen < 0 {
            side = .credit
            amount = try net.negated()
        } else {
            side = nil
            amount = .zero
        }
    }

    /// 借, 贷 or 平.
    public var label: String { side?.chineseLabel ?? "平" }

    /// The amount on the debit side, or zero.
    public var debit: Money { side == .debit ? amount : .zero }
    /// The amount on the credit side, or zero.
    public var credit: Money { side == .credit ? amount : .zero }
}
