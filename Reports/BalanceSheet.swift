import Ledger

/// The balance sheet (资产负债表) at the period's end, beside the same figures at its start.
///
/// Revenue and expenditure accounts are not closed into net assets by Huzhu; a year-end
/// closing entry may do that, or not. So net assets here are the net-asset accounts plus
/// the surplus not yet carried into them: 累计结余 (revenue - expenditure before the
/// period) and 本期结余 (revenue - expenditure of the period). With both, the identity
/// 资产 = 负债 + 净资产 holds whether or not closing entries were posted.
public struct BalanceSheet: Sendable {
    /// An account's balance on its normal side at the start and end of the period.
    public struct Line: Sendable, Hashable {
        public let account: Account
        public let opening: Money
        public let closing: Money
    }

    /// An opening and a closing figure.
    public struct Pair: Sendable, Hashable {
        public var opening = Money.zero
        public var closing = Money.zero
    }

    public let period: ReportPeriod
    public let assets: [Line]
    public let liabilities: [Line]
    public let netAssets: [Line]
    public let totalAssets: Pair
    public let totalLiabilities: Pair
    /// The net-asset accounts alone.
    public let netAssetAccounts: Pair
    /// Revenue - expenditure dated before the period, not closed into net assets.
    public let priorSurplus: Money
    /// Revenue - expenditure dated inside the period (本期结余).
    public let currentSurplus: Money
    public let totalNetAssets: Pair
    public let totalLiabilitiesAndNetAssets: Pair

    public init(period: ReportPeriod, accounts: [Account], openingTotals opening: [AccountCode: AccountTotals],
                movements: [AccountCode: AccountTotals]) throws {
        let trialBalance = try TrialBalance(period: period, accounts: accounts, openingTotals: opening, movements: movements)
        func lines(_ type: AccountType) -> [Line] {
            trialBalance.lines.filter { $0.account.type == type }
                .map { Line(account: $0.account, opening: $0.openingNormal, closing: $0.closingNormal) }
        }
        func total(_ lines: [Line]) throws -> Pair {
            var pair = Pair()
            for line in lines where line.account.code.level == 1 {
                pair.opening = try pair.opening.adding(line.opening)
                pair.closing = try pair.closing.adding(line.closing)
            }
            return pair
        }
        func surplus(_ lines: [Line], _ keyPath: KeyPath<Line, Money>) throws -> Money {
            try lines.filter { $0.account.code.level == 1 }.reduce(Money.zero) { try $0.adding($1[keyPath: keyPath]) }
        }
        assets = lines(.asset)
        liabilities = lines(.liability)
        netAssets = lines(.netAssets)
        let revenue = lines(.revenue)
        let expense = lines(.expense)
        totalAssets = try total(assets)
        totalLiabilities = try total(liabilities)
        netAssetAccounts = try total(netAssets)
        priorSurplus = try surplus(revenue, \.opening).subtracting(try surplus(expense, \.opening))
        let closingSurplus = try surplus(revenue, \.closing).subtracting(try surplus(expense, \.closing))
        currentSurplus = try closingSurplus.subtracting(priorSurplus)
        totalNetAssets = Pair(opening: try netAssetAccounts.opening.adding(priorSurplus),
                              closing: try netAssetAccounts.closing.adding(closingSurplus))
        totalLiabilitiesAndNetAssets = Pair(opening: try totalLiabilities.opening.adding(totalNetAssets.opening),
                                            closing: try totalLiabilities.closing.adding(totalNetAssets.closing))
        self.period = period
    }

    public init(context: ReportContext) throws {
        try self.init(period: context.period, accounts: context.accounts, openingTotals: try context.openingTotals(),
                      movements: try context.movements())
    }

    /// 资产 = 负债 + 净资产, at the start and at the end of the period.
    public var checks: [ReportCheck] {
        [
            ReportCheck("期初：资产 = 负债 + 净资产", "资产合计", totalAssets.opening, "负债和净资产合计", totalLiabilitiesAndNetAssets.opening),
            ReportCheck("期末：资产 = 负债 + 净资产", "资产合计", totalAssets.closing, "负债和净资产合计", totalLiabilitiesAndNetAssets.closing),
        ]
    }
}
