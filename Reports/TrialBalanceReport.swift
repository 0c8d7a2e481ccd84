import Ledger

/// 科目余额表: the trial balance as the union form prints it, with the tie-out shown.
public struct TrialBalanceReport: Report {
    public static let kind = "trial-balance"
    public static let title = "科目余额表"
    public static let englishTitle = "Trial balance"

    /// Which accounts are listed.
    public var rows: AccountRowFilter
    /// The account whose month-end balance is charted: 102 银行存款 in the union chart.
    public var fundAccount: AccountCode?

    public init(levelMax: Int? = nil, includeIdle: Bool = false, fundAccount: AccountCode? = BankAccount.defaultCode) {
        rows = AccountRowFilter(levelMax: levelMax, includeIdle: includeIdle)
        self.fundAccount = fundAccount
    }

    public func content(in context: ReportContext) throws -> ReportContent {
        let trialBalance = try TrialBalance(context: context)
        var table = ReportTable(key: "accounts", title: "科目余额表", columns: [
            ReportColumn("code", "科目编码"), ReportColumn("name", "科目名称"),
            ReportColumn("openingSide", "方向"), ReportColumn("opening", "期初余额", .money),
            ReportColumn("debit", "本期借方", .money), ReportColumn("credit", "本期贷方", .money),
            ReportColumn("closingSide", "方向"), ReportColumn("closing", "期末余额", .money),
        ], indentedColumn: 1)
        for line in trialBalance.lines where rows.lists(line.account.code, isIdle: line.isIdle) {
            table.add([.text(line.account.code.value), .text(line.account.name), .text(line.opening.label), .money(line.opening.amount),
                       .money(line.movement.debit), .money(line.movement.credit), .text(line.closing.label), .money(line.closing.amount)],
                      level: line.account.code.level)
        }
        var totals = ReportTable(key: "totals", title: "合计（一级科目）", columns: [
            ReportColumn("item", "项目"), ReportColumn("debit", "借方", .money), ReportColumn("credit", "贷方", .money),
        ])
        totals.add([.text("期初余额"), .money(trialBalance.openingTotals.debit), .money(trialBalance.openingTotals.credit)], role: .subtotal)
        totals.add([.text("本期发生额"), .money(trialBalance.movementTotals.debit), .money(trialBalance.movementTotals.credit)], role: .subtotal)
        totals.add([.text("期末余额"), .money(trialBalance.closingTotals.debit), .money(trialBalance.closingTotals.credit)], role: .total)

        var charts: [ReportChart] = []
        if let bank = try BankAccount.monthEndChart(context: context, code: fundAccount) { charts.append(bank) }
        let movers = trialBalance.lines.filter { $0.account.code.level == 1 && $0.movement.debit != .zero }
        if !movers.isEmpty {
            charts.append(ReportChart(key: "debitsByAccount", title: "本期借方发生额（一级科目）", style: .horizontalBars,
                                      bars: movers.map { .init("\($0.account.code) \($0.account.name)", $0.movement.debit) }))
        }
        return ReportContent(tables: [table, totals], checks: trialBalance.checks, charts: charts,
                             notes: ["余额方向：借 = 借方余额，贷 = 贷方余额，平 = 无余额；上级科目为其下级科目之和。"])
    }
}
