import Ledger
import MutualAid

/// 理赔登记簿: every claim of the period, with its state, benefit, member (opaque id and
/// masked name), service date, assessed, approved and paid amounts and any reason, and
/// totals by state.
///
/// A claim "of the period" was filed, finally approved, paid or rejected in it, so a
/// claim filed in one month and paid in the next appears in both months' registers. Its
/// state and amounts are as the books stand now (at the report's tree size). Members'
/// names are masked (张**), never printed whole.
public struct ClaimsRegisterReport: Report {
    public static let kind = "claims"
    public static let title = "理赔登记簿"
    public static let englishTitle = "Claims register"

    public init() {}

    /// A claim as the register lists it.
    struct Line {
        let claim: String
        let unit: String
        let member: String
        let maskedName: String
        let benefit: String
        let serviceDate: String
        let filedOn: String
        let state: ClaimState
        let assessed: Money
        let approved: Money?
        let paid: Money?
        let reason: String
    }

    public func content(in context: ReportContext) throws -> ReportContent {
        let records = try context.records()
        let plans = try PublishedPlans(records: records)
        let lines = try ClaimsRegisterReport.lines(records: records, from: context.period.startDate, through: context.period.endDate)

        var register = ReportTable(key: "claims", title: "理赔登记", columns: [
            ReportColumn("claim", "编号"), ReportColumn("unit", "单位"), ReportColumn("member", "会员编号"),
            ReportColumn("name", "姓名"), ReportColumn("benefit", "互助项目"), ReportColumn("serviceDate", "就诊日期"),
            ReportColumn("filedOn", "受理日期"), ReportColumn("state", "状态"), ReportColumn("assessed", "核算金额", .money),
            ReportColumn("approved", "核定金额", .money), ReportColumn("paid", "支付金额", .money), ReportColumn("reason", "原因"),
        ])
        struct StateTotals {
            var count: Int64 = 0
            var assessed = Money.zero
            var approved = Money.zero
            var paid = Money.zero

            mutating func add(_ line: Line) throws(MoneyError) {
                count += 1
                assessed = try assessed.adding(line.assessed)
                approved = try approved.adding(line.approved ?? .zero)
                paid = try paid.adding(line.paid ?? .zero)
            }
        }
        var byState: [ClaimState: StateTotals] = [:]
        var total = StateTotals()
        for line in lines {
            register.add([.text(line.claim), .text(line.unit), .text(line.member), .text(line.maskedName),
                          .text(plans.name(ofBenefit: line.benefit)), .text(line.serviceDate), .text(line.filedOn),
                          .text(ClaimLabels.state(line.state)), .money(line.assessed),
                          line.approved.map(ReportCell.money) ?? .empty, line.paid.map(ReportCell.money) ?? .empty, .text(line.reason)])
            try byState[line.state, default: StateTotals()].add(line)
            try total.add(line)
        }

        var totals = ReportTable(key: "byState", title: "按状态合计", columns: [
            ReportColumn("state", "状态"), ReportColumn("code", "代码"), ReportColumn("count", "件数", .count),
            ReportColumn("assessed", "核算金额", .money), ReportColumn("approved", "核定金额", .money), ReportColumn("paid", "支付金额", .money),
        ])
        for state in ClaimState.allCases {
            let sums = byState[state] ?? StateTotals()
            totals.add([.text(ClaimLabels.state(state)), .text(state.rawValue), .count(sums.count), .money(sums.assessed),
                        .money(sums.approved), .money(sums.paid)])
        }
        totals.add([.text("合计"), .empty, .count(total.count), .money(total.assessed), .money(total.approved), .money(total.paid)],
                   role: .total)

        return ReportContent(tables: [register, totals], charts: [
            ReportChart(key: "claimsByState", title: "本期理赔（按状态，核算金额）", style: .horizontalBars,
                        bars: ClaimState.allCases.map { .init(ClaimLabels.state($0), byState[$0]?.assessed ?? .zero) }),
        ], notes: [
            "本期理赔：\(context.period.startDate.text) 至 \(context.period.endDate.text) 受理、终审核定、支付或驳回的理赔；状态与金额为编制时（当前树大小）账面。",
            "核算金额为受理时按计划规则核算的金额；核定金额为审批金额；姓名已脱敏。",
        ])
    }

    /// The register's claims in `[from, through]`, in filing order.
    ///
    /// - Throws: `ReportError.tooManyRows` past `ReportTable.rowCountMax` claims: a register
    ///   that long is searched, not read; choose a shorter period or use the export.
    static func lines(records: any MutualAidRecords, from: LedgerDate, through: LedgerDate) throws -> [Line] {
        let limit = ReportTable.rowCountMax
        let claims = try records.claimsOfSpan(from: from, through: through, limit: limit + 1)
        guard claims.count <= limit else {
            throw ReportError.tooManyRows(table: title, limit: limit,
                                          instead: "`huzhu claim list --format csv` with --year, --filed-month or --unit, which prints the claims row by row")
        }
        return claims.map { claim in
            var reason = ""
            if claim.state == .rejected, let code = claim.rejectionCode {
                reason = code == ClaimLabels.approverRejectionCode ? claim.rejectionReason : "\(ClaimLabels.rejection(code: code))：\(claim.rejectionReason)"
            }
            return Line(claim: claim.claim, unit: claim.unit, member: claim.member,
                        maskedName: claim.personal?["name"]?.stringValue.map(Masking.name) ?? "（已删除）",
                        benefit: claim.benefit, serviceDate: claim.serviceDate, filedOn: claim.filedOn, state: claim.state,
                        assessed: claim.assessed, approved: claim.approved, paid: claim.paid, reason: reason)
        }
    }
}
