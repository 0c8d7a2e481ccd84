import Ledger

/// 资产负债表: assets, liabilities and net assets at the period's start and end, with the
/// period's surplus in net assets so the sheet balances, and the identity shown.
public struct BalanceSheetReport: Report {
    public static let kind = "balance-sheet"
    public static let title = "资产负债表"
    public static let englishTitle = "Balance sheet"

    /// Which accounts are listed.
    public var rows: AccountRowFilter
    /// The account whose month-end balance is charted: 102 银行存款 in the union chart.
    public var fundAccount: AccountCode?

    public init(levelMax: Int? = nil, includeIdle: Bool = false, fundAccount: AccountCode? = BankAccount.defaultCode) {
        rows = AccountRowFilter(levelMax: levelMax, includeIdle: includeIdle)
        self.fundAccount = fundAccount
    }

    public func content(in context: ReportContext) throws -> ReportContent {
        let sheet = try BalanceSheet(context: context)
        var table = ReportTable(key: "balanceSheet", title: "资产负债表（\(context.period.endDate.text)）", columns: [
            ReportColumn("code", "科目编码"), ReportColumn("item", "项目"),
            ReportColumn("opening", "期初数", .money), ReportColumn("closing", "期末数", .money),
        ], indentedColumn: 1)
        func section(_ heading: String, _ lines: [BalanceSheet.Line]) {
            table.add([.empty, .text(heading), .empty, .empty], role: .heading)
            for line in lines where rows.lists(line.account.code, isIdle: line.opening == .zero && line.closing == .zero) {
                table.add([.text(line.account.code.value), .text(line.account.name), .money(line.opening), .money(line.closing)],
                          level: line.account.code.level)
            }
        }
        section("一、资产", sheet.assets)
        table.add([.empty, .text("资产合计"), .money(sheet.totalAssets.opening), .money(sheet.totalAssets.closing)], role: .subtotal)
        section("二、负债", sheet.liabilities)
        table.add([.empty, .text("负债合计"), .money(sheet.totalLiabilities.opening), .money(sheet.totalLiabilities.closing)], role: .subtotal)
        section("三、净资产", sheet.netAssets)
        table.add([.empty, .text("累计结余（未结转）"), .money(sheet.priorSurplus), .money(sheet.priorSurplus)])
        table.add([.empty, .text("本期结余"), .money(.zero), .money(sheet.currentSurplus)])
        table.add([.empty, .text("净资产合计"), .money(sheet.totalNetAssets.opening), .money(sheet.totalNetAssets.closing)], role: .subtotal)
        table.add([.empty, .text("负债和净资产合计"), .money(sheet.totalLiabilitiesAndNetAssets.opening),
                   .money(sheet.totalLiabilitiesAndNetAssets.closing)], role: .total)

        var charts: [ReportChart] = []
        let assetBars = sheet.assets.filter { $0.account.code.level == 1 && $0.closing != .zero }
        if !assetBars.isEmpty {
            charts.append(ReportChart(key: "assetsAtEnd", title: "期末资产构成（一级科目）", style: .horizontalBars,
                                      bars: assetBars.map { .init("\($0.account.code) \($0.account.name)", $0.closing) }))
        }
        if let bank = try BankAccount.monthEndChart(context: context, code: fundAccount) { charts.append(bank) }
        return ReportContent(tables: [table], checks: sheet.checks, charts: charts, notes: [
            "期初数为 \(context.period.dayBeforeStart.text) 日终余额，期末数为 \(context.period.endDate.text) 日终余额。",
            "累计结余为本期以前的收入减支出中尚未结转入净资产科目的部分；本期结余为本期收入减支出。",
        ])
    }
}
