import Ledger

/// 收入支出表: revenue and expenditure by account for the period and the year to date,
/// and the surplus, with charts of expenditure by account and the surplus by month.
public struct IncomeExpenditureReport: Report {
    public static let kind = "income-expenditure"
    public static let title = "收入支出表"
    public static let englishTitle = "Income and expenditure"

    /// Which accounts are listed.
    public var rows: AccountRowFilter

    public init(levelMax: Int? = nil, includeIdle: Bool = false) {
        rows = AccountRowFilter(levelMax: levelMax, includeIdle: includeIdle)
    }

    public func content(in context: ReportContext) throws -> ReportContent {
        let statement = try IncomeExpenditure(context: context)
        var table = ReportTable(key: "incomeExpenditure", title: "收入支出表", columns: [
            ReportColumn("code", "科目编码"), ReportColumn("item", "项目"),
            ReportColumn("period", "本期数", .money), ReportColumn("yearToDate", "本年累计数", .money),
        ], indentedColumn: 1)
        func section(_ heading: String, _ lines: [IncomeExpenditure.Line]) {
            table.add([.empty, .text(heading), .empty, .empty], role: .heading)
            for line in lines where rows.lists(line.account.code, isIdle: line.period == .zero && line.yearToDate == .zero) {
                table.add([.text(line.account.code.value), .text(line.account.name), .money(line.period), .money(line.yearToDate)],
                          level: line.account.code.level)
            }
        }
        section("一、收入", statement.revenue)
        table.add([.empty, .text("收入合计"), .money(statement.totalRevenue.period), .money(statement.totalRevenue.yearToDate)], role: .subtotal)
        section("二、支出", statement.expenditure)
        table.add([.empty, .text("支出合计"), .money(statement.totalExpenditure.period), .money(statement.totalExpenditure.yearToDate)],
                  role: .subtotal)
        table.add([.empty, .text("三、本期结余（收入 - 支出）"), .money(statement.surplus.period), .money(statement.surplus.yearToDate)],
                  role: .total)

        var charts: [ReportChart] = []
        let payouts = statement.expenditure.filter { !$0.hasSubaccounts(in: statement.expenditure) && $0.period != .zero }
        if !payouts.isEmpty {
            charts.append(ReportChart(key: "expenditureByAccount", title: "本期支出（明细科目）", style: .horizontalBars,
                                      bars: payouts.map { .init("\($0.account.code) \($0.account.name)", $0.period) }))
        }
        var surplusByMonth: [ReportChart.Bar] = []
        let types = Dictionary(context.accounts.map { ($0.code, $0.type) }, uniquingKeysWith: { first, _ in first })
        for (month, totals) in try context.monthlyMovements(context.chartMonths) {
            surplusByMonth.append(.init(month.text, try IncomeExpenditure.surplus(of: totals, types: types)))
        }
        charts.append(ReportChart(key: "surplusByMonth", title: "每月结余（收入 - 支出）", style: .columns, bars: surplusByMonth))
        return ReportContent(tables: [table], checks: statement.checks, charts: charts, notes: [
            "本期数为 \(context.period.startDate.text) 至 \(context.period.endDate.text)；本年累计数为 \(context.period.yearToDate.startDate.text) 至 \(context.period.endDate.text)。",
        ])
    }
}

extension IncomeExpenditure.Line {
    /// Whether another line of `lines` is a sub-account of this one: the chart shows a leaf's
    /// bar only, so a payout is not drawn twice.
    func hasSubaccounts(in lines: [IncomeExpenditure.Line]) -> Bool {
        lines.contains { $0.account.code.parent == account.code }
    }
}
