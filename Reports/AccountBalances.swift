import Ledger

/// Balances per account with parents rolled up from their sub-accounts.
public struct AccountBalances: Sendable {
    public struct Line: Sendable {
        public let account: Account
        public let totals: AccountTotals
        /// On the account type's normal side.
        public let balance: Money
    }

    /// Every account, in code order, parents before their sub-accounts.
    public let lines: [Line]
    /// Over leaf accounts only, so nothing is counted twice.
    public let totalDebit: Money
    public let totalCredit: Money

    public init(accounts: [Account], leafTotals: [AccountCode: AccountTotals]) throws {
        var rolled: [AccountCode: AccountTotals] = [:]
        var totalDebit = Money.zero
        var totalCredit = Money.zero
        for (code, totals) in leafTotals {
            totalDebit = try totalDebit.adding(totals.debit)
            totalCredit = try totalCredit.adding(totals.credit)
            var current: AccountCode? = code
            while let level = current {
                var sum = rolled[level, default: AccountTotals()]
                sum.debit = try sum.debit.adding(totals.debit)
                sum.credit = try sum.credit.adding(totals.credit)
                rolled[level] = sum
                current = level.parent
            }
        }
        lines = try accounts.sorted { $0.code < $1.code }.map { account in
            let totals = rolled[account.code] ?? AccountTotals()
            return Line(account: account, totals: totals, balance: try totals.balance(for: account.type))
        }
        self.totalDebit = totalDebit
        self.totalCredit = totalCredit
    }
}
