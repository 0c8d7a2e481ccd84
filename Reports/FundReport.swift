import Ledger
import MutualAid

/// 互助金收支情况表: the mutual-aid fund's month (or range, or year) and year to date.
///
/// - contributions billed and received, refunds and the union's subsidy, off the plan
///   accounts (`account_day_totals`);
/// - payouts by benefit with person-times (人次: claims finally approved in the period)
///   and amounts approved and paid, off the `claims` table's date indexes;
/// - claims pending at the period's end and claims rejected in it, with reasons grouped;
/// - the fund balance (互助金结余) at the period's start and end, both as plan assets less
///   plan liabilities and as cumulative revenue less payouts, and month by month;
/// - the payout ratio (赔付率) as an exact fraction.
///
/// Checks: the claims table's approvals and payments equal the expense and payable
/// accounts' movements (period and year to date), and the closing fund balance read off
/// the trial balance's roll-up equals the month-by-month series.
public struct FundReport: Report {
    public static let kind = "fund"
    public static let title = "互助金收支情况表"
    public static let englishTitle = "Mutual-aid fund report"

    public init() {}

    public func content(in context: ReportContext) throws -> ReportContent {
        let records = try context.records()
        let plans = try PublishedPlans(records: records)
        let period = context.period
        let year = period.yearToDate
        let inPeriod = try FundMovements(plans: plans, totals: try context.movements(),
                                         corrections: records.contributionReversals(from: period.startDate, through: period.endDate))
        let inYear = try FundMovements(plans: plans, totals: try context.movements(in: year),
                                       corrections: records.contributionReversals(from: year.startDate, through: year.endDate))

        let approved = (period: try records.approvedClaims(from: period.startDate, through: period.endDate, planYear: nil),
                        year: try records.approvedClaims(from: year.startDate, through: year.endDate, planYear: nil))
        let paid = (period: try records.paidClaims(from: period.startDate, through: period.endDate),
                    year: try records.paidClaims(from: year.startDate, through: year.endDate))

        let opening = try context.openingTotals()
        let closing = try opening.merging(try context.movements())
        let balances = (opening: try FundBalance(plans: plans, totals: opening), closing: try FundBalance(plans: plans, totals: closing))
        let byMonth = try fundBalanceByMonth(context, plans: plans)
        let closingByRollUp = try fundBalanceByRollUp(context, plans: plans, totals: closing)

        var checks: [ReportCheck] = []
        checks.append(ReportCheck("本期核定赔付：理赔登记 = 互助项目支出科目", "理赔（按审批日）", try approved.period.total().amount,
                                  "支出科目借方 - 贷方", inPeriod.payouts))
        checks.append(ReportCheck("本年累计核定赔付：理赔登记 = 互助项目支出科目", "理赔（按审批日）", try approved.year.total().amount,
                                  "支出科目借方 - 贷方", inYear.payouts))
        checks.append(ReportCheck("本期支付：理赔登记 = 应付互助金减少额 + 核定赔付", "理赔（按支付日，扣除退回）", try paid.period.total().amount,
                                  "应付互助金借方 - 贷方 + 支出科目借方 - 贷方", inPeriod.paidOut))
        checks.append(ReportCheck("期末互助金结余：科目余额表 = 每月结余", "科目余额表期末余额", closingByRollUp,
                                  "每月结余（\(period.last.text)）", byMonth.last?.balance ?? .zero))

        let tables = [
            try fundTable(plans: plans, period: inPeriod, year: inYear),
            try payoutsTable(plans: plans, approved: approved, paid: paid),
            try pendingTable(plans: plans, pending: try records.pendingClaims(at: period.endDate)),
            try rejectionsTable(period: try records.rejectedClaims(from: period.startDate, through: period.endDate),
                                year: try records.rejectedClaims(from: year.startDate, through: year.endDate)),
            try balanceTable(plans: plans, balances: balances,
                             cumulative: try FundMovements(plans: plans, totals: closing),
                             cumulativeOpening: try FundMovements(plans: plans, totals: opening)),
            try ratioTable(records: records, plans: plans, context: context, approved: approved, inPeriod: inPeriod, inYear: inYear),
        ]

        let charts = [
            ReportChart(key: "payoutsByBenefit", title: "本期核定赔付（按互助项目）", style: .horizontalBars,
                        bars: benefitCodes(plans, approved.period, paid.period).map {
                            .init(plans.name(ofBenefit: $0), approved.period[$0]?.amount ?? .zero)
                        }),
            ReportChart(key: "fundBalanceByMonth", title: "互助金结余（月末）", style: .columns,
                        bars: byMonth.map { .init($0.month.text, $0.balance) }),
        ]
        return ReportContent(tables: tables, checks: checks, charts: charts, notes: [
            "本期为 \(period.startDate.text) 至 \(period.endDate.text)；本年累计为 \(year.startDate.text) 至 \(period.endDate.text)。",
            "人次：本期终审核定（两人审批的大额理赔以第二人审批日为准）的理赔件数；核定金额为审批金额，支付金额按支付日。",
            "撤销审批、支付退回计入其发生的期间（人次 −1、金额为负），原审批、支付所在期间的数字不变。",
            "期末待审批：期末日及以前受理、至期末日既未核定也未被驳回的理赔，按受理时核算金额（核定前）。",
            "不予给付：规则驳回按受理日、审批驳回按驳回日计入期间；按原因分组。",
            "互助金结余 = 互助金专户 + 应收单位互助金 + 应收上级互助补助 − 应付互助金 − 应退互助金，各项为科目余额表同日期末余额（含明细科目）。",
            "赔付率 = 核定赔付 ÷ 互助金收入（含工会补助，扣除退还）；计划年度口径以该年度应缴互助金为分母。百分比由两项分值精确计算，四舍五入到两位小数。",
            "人次、待审批、不予给付及单位缴费数据取自理赔与缴费投影表（按日期索引），金额数据取自科目日汇总表，均不扫描事件日志。",
        ])
    }

    // MARK: Tables

    func fundTable(plans: PublishedPlans, period: FundMovements, year: FundMovements) throws -> ReportTable {
        var table = ReportTable(key: "fund", title: "互助金收支", columns: [
            ReportColumn("item", "项目"), ReportColumn("account", "科目"),
            ReportColumn("period", "本期", .money), ReportColumn("yearToDate", "本年累计", .money),
        ], indentedColumn: 0)
        func codes(_ list: [AccountCode]) -> ReportCell { .text(list.map(\.value).joined(separator: ",")) }
        func line(_ item: String, _ account: ReportCell, _ value: (FundMovements) throws -> Money,
                  role: ReportRow.Role = .line, level: Int = 2) throws {
            table.add([.text(item), account, .money(try value(period)), .money(try value(year))], role: role, level: level)
        }
        table.add([.text("一、互助金收入"), .empty, .empty, .empty], role: .heading)
        try line("单位互助金开单", codes(plans.contributionsReceivable), { $0.billedUnit })
        try line("单位互助金到账", codes(plans.contributionsReceivable), { $0.receivedUnit })
        try line("退还单位互助金", codes(plans.contributionRevenue), { $0.refunded })
        try line("互助金收入（净额）", codes(plans.contributionRevenue), { $0.contributionRevenue })
        try line("工会补助开单", codes(plans.subsidyReceivable), { $0.billedSubsidy })
        try line("工会补助到账", codes(plans.subsidyReceivable), { $0.receivedSubsidy })
        try line("上级互助补助收入（净额）", codes(plans.subsidyRevenue), { $0.subsidyRevenue })
        try line("收入合计", .empty, { try $0.revenue }, role: .subtotal, level: 1)
        table.add([.text("二、互助金支出（核定赔付）"), .empty, .empty, .empty], role: .heading)
        for (index, entry) in period.payoutsByAccount.enumerated() {
            precondition(year.payoutsByAccount[index].account == entry.account, "both periods list the same expense accounts")
            let name = plans.benefitNames(chargedTo: entry.account)
            table.add([.text(name.isEmpty ? entry.account.value : name), .text(entry.account.value), .money(entry.amount),
                       .money(year.payoutsByAccount[index].amount)], level: 2)
        }
        try line("支出合计", .empty, { $0.payouts }, role: .subtotal, level: 1)
        try line("三、结余（收入合计 - 支出合计）", .empty, { try $0.surplus }, role: .total, level: 1)
        try line("已支付互助金（支付 − 退回）", codes(plans.claimsPayable), { $0.paidOut }, level: 1)
        return table
    }

    func payoutsTable(plans: PublishedPlans, approved: (period: [String: ClaimTally], year: [String: ClaimTally]),
                      paid: (period: [String: ClaimTally], year: [String: ClaimTally])) throws -> ReportTable {
        var table = ReportTable(key: "payoutsByBenefit", title: "互助项目赔付（人次与金额）", columns: [
            ReportColumn("benefit", "项目代码"), ReportColumn("name", "互助项目"),
            ReportColumn("personTimes", "本期人次", .count), ReportColumn("approved", "本期核定金额", .money),
            ReportColumn("paidCount", "本期支付笔数", .count), ReportColumn("paid", "本期支付金额", .money),
            ReportColumn("personTimesYearToDate", "本年人次", .count), ReportColumn("approvedYearToDate", "本年核定金额", .money),
            ReportColumn("paidYearToDate", "本年支付金额", .money),
        ])
        let codes = benefitCodes(plans, approved.year, paid.year)
        func cells(_ label: [ReportCell], _ a: ClaimTally, _ p: ClaimTally, _ ay: ClaimTally,
                   _ py: ClaimTally) -> [ReportCell] {
            label + [.count(a.count), .money(a.amount), .count(p.count), .money(p.amount), .count(ay.count), .money(ay.amount), .money(py.amount)]
        }
        for code in codes {
            table.add(cells([.text(code), .text(plans.name(ofBenefit: code))], approved.period[code] ?? .init(), paid.period[code] ?? .init(),
                            approved.year[code] ?? .init(), paid.year[code] ?? .init()))
        }
        table.add(cells([.empty, .text("合计")], try approved.period.total(), try paid.period.total(), try approved.year.total(),
                        try paid.year.total()), role: .total)
        return table
    }

    func pendingTable(plans: PublishedPlans, pending: [String: ClaimTally]) throws -> ReportTable {
        var table = ReportTable(key: "pending", title: "期末待审批理赔", columns: [
            ReportColumn("benefit", "项目代码"), ReportColumn("name", "互助项目"),
            ReportColumn("count", "件数", .count), ReportColumn("assessed", "核算金额", .money),
        ])
        for code in benefitCodes(plans, pending, [:]) where pending[code] != nil {
            let tally = pending[code]!
            table.add([.text(code), .text(plans.name(ofBenefit: code)), .count(tally.count), .money(tally.amount)])
        }
        let total = try pending.total()
        table.add([.empty, .text("合计"), .count(total.count), .money(total.amount)], role: .total)
        return table
    }

    func rejectionsTable(period: [ClaimRejectionRecord], year: [ClaimRejectionRecord]) throws -> ReportTable {
        var table = ReportTable(key: "rejected", title: "不予给付（按原因）", columns: [
            ReportColumn("reason", "原因"), ReportColumn("code", "代码"),
            ReportColumn("count", "本期件数", .count), ReportColumn("countYearToDate", "本年件数", .count),
        ])
        // Rules' rejections group by rule (their sentences carry each claim's own figures);
        // approvers' by the reason they wrote.
        func group(_ rejection: ClaimRejectionRecord) -> String {
            let label = ClaimLabels.rejection(code: rejection.code)
            return rejection.code == ClaimLabels.approverRejectionCode ? "\(label)：\(rejection.reason)" : label
        }
        var codes: [String: String] = [:]
        var inPeriod: [String: Int64] = [:]
        var inYear: [String: Int64] = [:]
        for rejection in period { inPeriod[group(rejection), default: 0] += 1; codes[group(rejection)] = rejection.code }
        for rejection in year { inYear[group(rejection), default: 0] += 1; codes[group(rejection)] = rejection.code }
        let groups = Set(inPeriod.keys).union(inYear.keys).sorted {
            (inYear[$0, default: 0], $1) > (inYear[$1, default: 0], $0)
        }
        for name in groups {
            table.add([.text(name), .text(codes[name] ?? ""), .count(inPeriod[name, default: 0]), .count(inYear[name, default: 0])])
        }
        table.add([.text("合计"), .empty, .count(Int64(period.count)), .count(Int64(year.count))], role: .total)
        return table
    }

    func balanceTable(plans: PublishedPlans, balances: (opening: FundBalance, closing: FundBalance),
                      cumulative: FundMovements, cumulativeOpening: FundMovements) throws -> ReportTable {
        var table = ReportTable(key: "fundBalance", title: "互助金结余", columns: [
            ReportColumn("item", "项目"), ReportColumn("account", "科目"),
            ReportColumn("opening", "期初", .money), ReportColumn("closing", "期末", .money),
        ], indentedColumn: 0)
        func codes(_ list: [AccountCode]) -> ReportCell { .text(list.map(\.value).joined(separator: ",")) }
        func line(_ item: String, _ account: ReportCell, _ value: (FundBalance) throws -> Money, role: ReportRow.Role = .line,
                  level: Int = 2) throws {
            table.add([.text(item), account, .money(try value(balances.opening)), .money(try value(balances.closing))], role: role, level: level)
        }
        table.add([.text("一、按科目余额（资产 - 负债）"), .empty, .empty, .empty], role: .heading)
        try line("互助金专户", codes(plans.bank), { $0.bank })
        try line("应收单位互助金", codes(plans.contributionsReceivable), { $0.unitReceivable })
        try line("应收上级互助补助", codes(plans.subsidyReceivable), { $0.subsidyReceivable })
        try line("减：应付互助金", codes(plans.claimsPayable), { $0.claimsPayable })
        try line("减：应退互助金", codes(plans.refundsPayable), { $0.refundsPayable })
        try line("互助金结余", .empty, { try $0.balance }, role: .total, level: 1)
        table.add([.text("二、按累计收支（净资产）"), .empty, .empty, .empty], role: .heading)
        let revenue = (try cumulativeOpening.revenue, try cumulative.revenue)
        let payouts = (cumulativeOpening.payouts, cumulative.payouts)
        let other = (try balances.opening.balance.subtracting(revenue.0).adding(payouts.0),
                     try balances.closing.balance.subtracting(revenue.1).adding(payouts.1))
        table.add([.text("累计互助金收入（含工会补助）"), .empty, .money(revenue.0), .money(revenue.1)], level: 2)
        table.add([.text("减：累计核定赔付"), .empty, .money(payouts.0), .money(payouts.1)], level: 2)
        table.add([.text("其他收支净额（与非互助科目往来）"), .empty, .money(other.0), .money(other.1)], level: 2)
        try line("互助金结余", .empty, { try $0.balance }, role: .total, level: 1)
        return table
    }

    func ratioTable(records: any MutualAidRecords, plans: PublishedPlans, context: ReportContext,
                    approved: (period: [String: ClaimTally], year: [String: ClaimTally]),
                    inPeriod: FundMovements, inYear: FundMovements) throws -> ReportTable {
        var table = ReportTable(key: "payoutRatio", title: "赔付率", columns: [
            ReportColumn("basis", "口径"), ReportColumn("payouts", "核定赔付", .money),
            ReportColumn("contributions", "互助金收入", .money), ReportColumn("ratio", "赔付率"),
        ])
        func add(_ basis: String, _ ratio: PayoutRatio) {
            table.add([.text(basis), .money(ratio.payouts), .money(ratio.contributions), .text(ratio.percentText)])
        }
        add("本期", PayoutRatio(payouts: inPeriod.payouts, contributions: try inPeriod.revenue))
        add("本年累计", PayoutRatio(payouts: inYear.payouts, contributions: try inYear.revenue))
        let end = context.period.endDate
        for plan in plans.plans where (context.period.first.year...context.period.last.year).contains(plan.year) {
            // A plan year's claims are approved inside its term or after it, never before.
            let payouts = try records.approvedClaims(from: plan.term.start, through: end, planYear: plan.year).total().amount
            let billed = try records.billedNetOfRefunds(planYear: plan.year)
            add("\(plan.year) 计划年度（至期末核定 ÷ 应缴互助金）", PayoutRatio(payouts: payouts, contributions: billed))
        }
        return table
    }

    // MARK: Helpers

    /// The plans' benefits in plan order, then any other benefit code the tallies name.
    func benefitCodes(_ plans: PublishedPlans, _ first: [String: ClaimTally], _ second: [String: ClaimTally]) -> [String] {
        let known = plans.benefits.map(\.code)
        let others = Set(first.keys).union(second.keys).subtracting(known).sorted()
        return known + others
    }

    /// The fund balance at the end of each chart month: one query for the opening totals,
    /// then one per month over that month's days, accumulated.
    func fundBalanceByMonth(_ context: ReportContext, plans: PublishedPlans) throws -> [(month: Period, balance: Money)] {
        let months = context.chartMonths
        guard let first = months.first else { return [] }
        var running = try context.totals(from: nil, through: first.firstDay.adding(days: -1))
        var result: [(month: Period, balance: Money)] = []
        for (month, totals) in try context.monthlyMovements(months) {
            running = try running.merging(totals)
            result.append((month, try FundBalance(plans: plans, totals: running).balance))
        }
        return result
    }

    /// The closing fund balance from the trial balance's own roll-up (`AccountBalances`),
    /// a second path to the figure the balance table and the chart compute by prefix sums.
    func fundBalanceByRollUp(_ context: ReportContext, plans: PublishedPlans, totals: [AccountCode: AccountTotals]) throws -> Money {
        let rolled = try AccountBalances(accounts: context.accounts, leafTotals: totals)
        let byCode = Dictionary(rolled.lines.map { ($0.account.code, $0.balance) }, uniquingKeysWith: { first, _ in first })
        var sum = Money.zero
        for code in plans.bank + plans.contributionsReceivable + plans.subsidyReceivable {
            sum = try sum.adding(byCode[code] ?? .zero)
        }
        for code in plans.claimsPayable + plans.refundsPayable {
            sum = try sum.subtracting(byCode[code] ?? .zero)
        }
        return sum
    }
}
