import GRDB
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

    /// Read with the claim-ids subquery of `ClaimActivity.claimsOfSpanSQL`, each part on
    /// its own index; the member's fields come from `member_personal` by primary key.
    static let linesSQL = """
        SELECT c.claim_id, c.unit_id, c.member_id, p.fields, c.benefit, c.service_date, c.filed_on, c.state,
               c.computed_fen, c.approved_fen, c.paid_fen, c.rejection_code, c.rejection_reason
        FROM claims c LEFT JOIN member_personal p ON p.member_id = c.member_id
        WHERE c.claim_id IN (\(ClaimActivity.claimsOfSpanSQL))
        ORDER BY c.filed_seq
        LIMIT ?3
        """

    public func content(in context: ReportContext) throws -> ReportContent {
        let db = try context.database()
        let plans = try PublishedPlans(db: db)
        let lines = try ClaimsRegisterReport.lines(db: db, from: context.period.startDate, through: context.period.endDate)

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
    static func lines(db: Database, from: LedgerDate, through: LedgerDate) throws -> [Line] {
        let limit = ReportTable.rowCountMax
        let rows = try Row.fetchAll(db, sql: linesSQL, arguments: [from.text, through.text, limit + 1])
        guard rows.count <= limit else {
            throw ReportError.tooManyRows(table: title, limit: limit)
        }
        return rows.map { row in
            let fields = (row[3] as String?).flatMap { try? JSONParser.parse($0).objectValue } ?? [:]
            let state = ClaimState(rawValue: row[7]) ?? .filed
            let code: String? = row[11]
            let reasonText: String = row[12] ?? ""
            var reason = ""
            if state == .rejected, let code {
                reason = code == ClaimLabels.approverRejectionCode ? reasonText : "\(ClaimLabels.rejection(code: code))：\(reasonText)"
            }
            return Line(claim: row[0], unit: row[1], member: row[2],
                        maskedName: fields["name"]?.stringValue.map(Masking.name) ?? "（已删除）",
                        benefit: row[4], serviceDate: row[5], filedOn: row[6], state: state, assessed: Money(fen: row[8]),
                        approved: (row[9] as Int64?).map(Money.init(fen:)), paid: (row[10] as Int64?).map(Money.init(fen:)),
                        reason: reason)
        }
    }
}
