import Ledger

/// The trial balance (科目余额表) of a period: per account, at every level of the chart,
/// the opening balance, the period's debits and credits, and the closing balance.
///
/// Parents show the sum of their sub-accounts. The tie-out is taken over first-level
/// accounts, which hold every leaf exactly once: opening debit balances equal opening
/// credit balances, period debits equal period credits, and closing balances tie likewise.
/// If any does not, an entry was unbalanced or the projection is damaged.
public struct TrialBalance: Sendable {
    public struct Line: Sendable, Hashable {
        public let account: Account
        /// 期初余额: balance at the end of the day before the period.
        public let opening: BalanceDirection
        /// 本期发生额: debits and credits dated inside the period.
        public let movement: AccountTotals
        /// 期末余额: opening plus the period's movement.
        public let closing: BalanceDirection
        /// Opening and closing on the account's normal side, negative when on the other.
        public let openingNormal: Money
        public let closingNormal: Money

        public var isIdle: Bool {
            opening.side == nil && closing.side == nil && movement.debit == .zero && movement.credit == .zero
        }
    }

    /// One side's totals over first-level accounts.
    public struct Totals: Sendable, Hashable {
        public var debit = Money.zero
        public var credit = Money.zero
    }

    public let period: ReportPeriod
    /// Every account of the chart, in code order, parents before their sub-accounts.
    public let lines: [Line]
    public let openingTotals: Totals
    public let movementTotals: Totals
    public let closingTotals: Totals

    /// Builds the trial balance from per-leaf totals before the period and inside it.
    public init(period: ReportPeriod, accounts: [Account], openingTotals opening: [AccountCode: AccountTotals],
                movements: [AccountCode: AccountTotals]) throws {
        let openingBalances = try AccountBalances(accounts: accounts, leafTotals: opening)
        let movementBalances = try AccountBalances(accounts: accounts, leafTotals: movements)
        precondition(openingBalances.lines.count == movementBalances.lines.count)
        var lines: [Line] = []
        var openingSum = Totals()
        var movementSum = Totals()
        var closingSum = Totals()
        for (before, during) in zip(openingBalances.lines, movementBalances.lines) {
            precondition(before.account.code == during.account.code, "both roll-ups list the chart in code order")
            let closingTotals = AccountTotals(debit: try before.totals.debit.adding(during.totals.debit),
                                              credit: try before.totals.credit.adding(during.totals.credit))
            let line = Line(account: before.account, opening: try BalanceDirection(totals: before.totals), movement: during.totals,
                            closing: try BalanceDirection(totals: closingTotals), openingNormal: before.balance,
                            closingNormal: try closingTotals.balance(for: before.account.type))
            if line.account.code.level == 1 {
                try openingSum.add(line.opening.debit, line.opening.credit)
                try movementSum.add(line.movement.debit, line.movement.credit)
                try closingSum.add(line.closing.debit, line.closing.credit)
            }
            lines.append(line)
        }
        // The roll-up to first-level accounts must hold every leaf: compare with the leaves' own sums.
        guard movementSum.debit == movementBalances.totalDebit && movementSum.credit == movementBalances.totalCredit else {
            throw ReportError.rollUpMismatch(level1: movementSum.debit, leaves: movementBalances.totalDebit)
        }
        self.period = period
        self.lines = lines
        self.openingTotals = openingSum
        self.movementTotals = movementSum
        self.closingTotals = closingSum
    }

    /// Reads the two sets of totals the trial balance needs from `context`.
    public init(context: ReportContext) throws {
        try self.init(period: context.period, accounts: context.accounts, openingTotals: try context.openingTotals(),
                      movements: try context.movements())
    }

    public func line(_ code: String) -> Line? { lines.first { $0.account.code.value == code } }

    /// The three tie-outs every trial balance must pass.
    public var checks: [ReportCheck] {
        [
            ReportCheck("期初余额试算平衡", "借方余额合计", openingTotals.debit, "贷方余额合计", openingTotals.credit),
            ReportCheck("本期发生额试算平衡", "借方发生额合计", movementTotals.debit, "贷方发生额合计", movementTotals.credit),
            ReportCheck("期末余额试算平衡", "借方余额合计", closingTotals.debit, "贷方余额合计", closingTotals.credit),
        ]
    }
}

extension TrialBalance.Totals {
    mutating func add(_ debit: Money, _ credit: Money) throws(MoneyError) {
        self.debit = try self.debit.adding(debit)
        self.credit = try self.credit.adding(credit)
    }
}
