import Ledger
import MutualAid

/// The fund's money movements in a span of days, read off the plan accounts'
/// totals (the `account_day_totals` projection), never off events.
///
/// Billing debits the receivables and credits revenue; a receipt credits a receivable
/// against the bank; a refund debits revenue; an approval debits a benefit's expense
/// account against the claims payable; a payment debits the payable against the bank. A
/// reversal posts its step's lines on the opposite sides, in the month it is dated.
struct FundMovements: Sendable {
    /// 单位互助金开单: debits of the units' receivable, net of bills reversed.
    let billedUnit: Money
    /// 单位互助金到账: credits of the units' receivable, net of receipts reversed.
    let receivedUnit: Money
    /// 退还: debits of the contribution revenue, net of refunds reversed.
    let refunded: Money
    /// 互助金收入 net (credits − debits).
    let contributionRevenue: Money
    let billedSubsidy: Money
    let receivedSubsidy: Money
    /// 上级互助补助收入 net.
    let subsidyRevenue: Money
    /// 核定赔付: the benefits' expense accounts, debits − credits, by account.
    let payoutsByAccount: [(account: AccountCode, amount: Money)]
    let payouts: Money
    /// 已支付 net of payments the bank returned. The claims payable is credited by approvals
    /// and returned payments and debited by payments and revoked approvals, while the benefits'
    /// expense accounts carry the approvals less the revocations; so
    /// payments − returns = (payable debits − credits) + (expense debits − credits).
    let paidOut: Money

    /// - Parameter corrections: the reversals of bills, receipts, refunds and subsidies dated
    ///   in the same span, netted out of the lines they would otherwise swell: a reversed
    ///   receipt debits the receivable as a bill does, a reversed bill credits it as a receipt.
    init(plans: PublishedPlans, totals: [AccountCode: AccountTotals], corrections: ContributionReversalSums = .init()) throws {
        let unitReceivable = try plans.contributionsReceivable.totals(in: totals)
        let subsidyReceivable = try plans.subsidyReceivable.totals(in: totals)
        let contribution = try plans.contributionRevenue.totals(in: totals)
        let subsidy = try plans.subsidyRevenue.totals(in: totals)
        billedUnit = try unitReceivable.debit.subtracting(corrections.receipts).subtracting(corrections.billUnit)
        receivedUnit = try unitReceivable.credit.subtracting(corrections.billUnit).subtracting(corrections.receipts)
        refunded = try contribution.debit.subtracting(corrections.billUnit).subtracting(corrections.refunds)
        contributionRevenue = try contribution.credit.subtracting(contribution.debit)
        billedSubsidy = try subsidyReceivable.debit.subtracting(corrections.subsidies).subtracting(corrections.billSubsidy)
        receivedSubsidy = try subsidyReceivable.credit.subtracting(corrections.billSubsidy).subtracting(corrections.subsidies)
        subsidyRevenue = try subsidy.credit.subtracting(subsidy.debit)
        var byAccount: [(AccountCode, Money)] = []
        var payouts = Money.zero
        for code in plans.benefitExpense {
            let line = try [code].totals(in: totals)
            let amount = try line.debit.subtracting(line.credit)
            byAccount.append((code, amount))
            payouts = try payouts.adding(amount)
        }
        payoutsByAccount = byAccount
        self.payouts = payouts
        let payable = try plans.claimsPayable.totals(in: totals)
        paidOut = try payable.debit.subtracting(payable.credit).adding(payouts)
    }

    /// 收入合计: contributions and the union's subsidy, net of refunds.
    var revenue: Money { get throws { try contributionRevenue.adding(subsidyRevenue) } }
    /// 结余: revenue − payouts.
    var surplus: Money { get throws { try revenue.subtracting(payouts) } }
}

/// The fund balance (互助金结余) at the end of a day: what the fund holds less what it owes.
///
///     互助金结余 = 互助金专户 + 应收单位互助金 + 应收上级互助补助 − 应付互助金 − 应退互助金
///
/// Each term is the closing balance (期末余额) of that plan account, with its
/// sub-accounts, exactly as the trial balance prints it for the same day.
struct FundBalance: Sendable, Hashable {
    let bank: Money
    let unitReceivable: Money
    let subsidyReceivable: Money
    let claimsPayable: Money
    let refundsPayable: Money

    /// - Parameter totals: every entry from the start of the books through the day.
    init(plans: PublishedPlans, totals: [AccountCode: AccountTotals]) throws {
        bank = try plans.bank.totals(in: totals).balance(for: .asset)
        unitReceivable = try plans.contributionsReceivable.totals(in: totals).balance(for: .asset)
        subsidyReceivable = try plans.subsidyReceivable.totals(in: totals).balance(for: .asset)
        claimsPayable = try plans.claimsPayable.totals(in: totals).balance(for: .liability)
        refundsPayable = try plans.refundsPayable.totals(in: totals).balance(for: .liability)
    }

    var balance: Money {
        get throws {
            try bank.adding(unitReceivable).adding(subsidyReceivable).subtracting(claimsPayable).subtracting(refundsPayable)
        }
    }
}

extension Dictionary where Key == AccountCode, Value == AccountTotals {
    /// These totals with `other` added, account by account: a running total over months.
    func merging(_ other: [AccountCode: AccountTotals]) throws(MoneyError) -> [AccountCode: AccountTotals] {
        var result = self
        for (code, line) in other {
            var sum = result[code, default: AccountTotals()]
            sum.debit = try sum.debit.adding(line.debit)
            sum.credit = try sum.credit.adding(line.credit)
            result[code] = sum
        }
        return result
    }
}
