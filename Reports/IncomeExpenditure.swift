import Ledger

/// The income and expenditure statement (收入支出表): revenue and expenditure per
/// account for the period and for the year to date (本年累计), and the surplus (结余).
public struct IncomeExpenditure: Sendable {
    /// An account's net movement on its normal side: revenue credits - debits, expenditure
    /// debits - credits (a refund of a payout lowers the payout line).
    public struct Line: Sendable, Hashable {
        public let account: Account
        public let period: Money
        public let yearToDate: Money
    }

    public struct Pair: Sendable, Hashable {
        public var period = Money.zero
        public var yearToDate = Money.zero
    }

    public let period: ReportPeriod
    public let revenue: [Line]
    public let expenditure: [Line]
    public let totalRevenue: Pair
    public let totalExpenditure: Pair
    /// 结余: revenue - expenditure.
    public let surplus: Pair
    /// The same surplus computed from the leaf accounts directly, without the roll-up.
    public let surplusFromLeaves: Pair

    public init(period: ReportPeriod, accounts: [Account], movements: [AccountCode: AccountTotals],
                yearToDate: [AccountCode: AccountTotals]) throws {
        let inPeriod = try AccountBalances(accounts: accounts, leafTotals: movements)
        let inYear = try AccountBalances(accounts: accounts, leafTotals: yearToDate)
        var revenue: [Line] = []
        var expenditure: [Line] = []
        var totalRevenue = Pair()
        var totalExpenditure = Pair()
        for (during, year) in zip(inPeriod.lines, inYear.lines) {
            precondition(during.account.code == year.account.code, "both roll-ups list the chart in code order")
            let line = Line(account: during.account, period: during.balance, yearToDate: year.balance)
            switch during.account.type {
            case .revenue:
                revenue.append(line)
                if line.account.code.level == 1 { try totalRevenue.add(line) }
            case .expense:
                expenditure.append(line)
                if line.account.code.level == 1 { try totalExpenditure.add(line) }
            case .asset, .liability, .netAssets:
                continue
            }
        }
        self.period = period
        self.revenue = revenue
        self.expenditure = expenditure
        self.totalRevenue = totalRevenue
        self.totalExpenditure = totalExpenditure
        surplus = Pair(period: try totalRevenue.period.subtracting(totalExpenditure.period),
                       yearToDate: try totalRevenue.yearToDate.subtracting(totalExpenditure.yearToDate))
        let types = Dictionary(accounts.map { ($0.code, $0.type) }, uniquingKeysWith: { first, _ in first })
        surplusFromLeaves = Pair(period: try IncomeExpenditure.surplus(of: movements, types: types),
                                 yearToDate: try IncomeExpenditure.surplus(of: yearToDate, types: types))
    }

    public init(context: ReportContext) throws {
        try self.init(period: context.period, accounts: context.accounts, movements: try context.movements(),
                      yearToDate: try context.movements(in: context.period.yearToDate))
    }

    /// Revenue - expenditure straight from leaf totals: (credit - debit) over both classes.
    static func surplus(of totals: [AccountCode: AccountTotals], types: [AccountCode: AccountType]) throws(MoneyError) -> Money {
        var surplus = Money.zero
        for (code, line) in totals where types[code] == .revenue || types[code] == .expense {
            surplus = try surplus.adding(line.credit).subtracting(line.debit)
        }
        return surplus
    }

    /// The roll-up must reproduce the surplus of the leaves, for the period and the year.
    public var checks: [ReportCheck] {
        [
            ReportCheck("本期：收入合计 - 支出合计 = 本期结余", "按一级科目", surplus.period, "按明细科目", surplusFromLeaves.period),
            ReportCheck("本年累计：收入合计 - 支出合计 = 本年结余", "按一级科目", surplus.yearToDate, "按明细科目", surplusFromLeaves.yearToDate),
        ]
    }
}

extension IncomeExpenditure.Pair {
    mutating func add(_ line: IncomeExpenditure.Line) throws(MoneyError) {
        period = try period.adding(line.period)
        yearToDate = try yearToDate.adding(line.yearToDate)
    }
}
