import Ledger

/// The fund's money movements in a span of days, read off the plan accounts'
/// totals (the `account_day_totals` projection), never off events.
///
/// Billing debits the receivables and credits revenue; a receipt credits a receivable
/// against the bank; a refund debits revenue; an approval debits a benefit's expense
/// account against the claims payable; a payment debits the payable against the bank.
struct FundMovements: Sendable {
    /// 单位互助金开单: debits of the units' receivable.
    let billedUnit: Money
    /// 单位互助金到账: credits of the units' receivable.
    let receivedUnit: Money
    /// 退还: debits of the contribution revenue.
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
    /// 已支付: debits of the claims payable.
    let paidOut: Money

    init(plans: PublishedPlans, totals: [AccountCode: AccountTotals]) throws {
        let unitReceivable = try plans.contributionsReceivable.totals(in: totals)
        let subsidyReceivable = try plans.subsidyReceivable.totals(in: totals)
        let contribution = try plans.contributionRevenue.totals(in: totals)
        let subsidy = try plans.subsidyRevenue.totals(in: totals)
        billedUnit = unitReceivable.debit
        receivedUnit = unitReceivable.credit
        refunded = contribution.debit
        contributionRevenue = try contribution.credit.subtracting(contribution.debit)
        billedSubsidy = subsidyReceivable.debit
        receivedSubsidy = subsidyReceivable.credit
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
        paidOut = try plans.claimsPayable.totals(in: totals).debit
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
