import Ledger
import MutualAid

/// 单位对账单: per unit, for the plan year of the period's last month, the members
/// enrolled, the contributions billed, paid and outstanding, and the unit's claims.
///
/// Figures come from the `enrolments`, `unit_contributions` and `claims` projections as
/// the books stand now (a unit's contributions are kept per plan year, not per day). With
/// one unit the statement also lists its members (masked) and its claims.
public struct UnitStatementReport: Report {
    public static let kind = "unit-statement"
    public static let title = "单位对账单"
    public static let englishTitle = "Unit statement"

    /// One unit, or every unit when nil.
    public var unit: UnitID?

    public init(unit: UnitID? = nil) {
        self.unit = unit
    }

    /// A unit's line: enrolment, contributions and claims for one plan year.
    struct Line {
        var unit = ""
        var name = ""
        var enrolled: Int64 = 0
        var left: Int64 = 0
        var billedHeadcount: Int64 = 0
        var billedUnit = Money.zero
        var billedSubsidy = Money.zero
        var received = Money.zero
        var refunded = Money.zero
        var claims: Int64 = 0
        var rejected: Int64 = 0
        var approved = Money.zero
        var paid = Money.zero

        /// Billed to the unit and not yet received, as `UnitContributionStatus.outstanding`
        /// counts it (a refund reopens what it paid back).
        var outstanding: Money { get throws { try billedUnit.subtracting(received).adding(refunded) } }

        mutating func add(_ other: Line) throws {
            enrolled += other.enrolled
            left += other.left
            billedHeadcount += other.billedHeadcount
            billedUnit = try billedUnit.adding(other.billedUnit)
            billedSubsidy = try billedSubsidy.adding(other.billedSubsidy)
            received = try received.adding(other.received)
            refunded = try refunded.adding(other.refunded)
            claims += other.claims
            rejected += other.rejected
            approved = try approved.adding(other.approved)
            paid = try paid.adding(other.paid)
        }
    }

    /// Units a statement lists at most; an office with more sends statements unit by unit.
    static let unitCountMax = 20_000

    public func content(in context: ReportContext) throws -> ReportContent {
        let records = try context.records()
        let plans = try PublishedPlans(records: records)
        let year = context.period.last.year
        var units = try records.units(limit: UnitStatementReport.unitCountMax + 1)
        guard units.count <= UnitStatementReport.unitCountMax else {
            throw ReportError.tooManyRows(table: UnitStatementReport.title, limit: UnitStatementReport.unitCountMax)
        }
        if let unit {
            units = units.filter { $0.id == unit.value }
            guard !units.isEmpty else {
                throw LedgerInputError(field: "unit", value: unit.value, reason: "no such unit; `huzhu unit list --year \(year)` lists them")
            }
        }

        var table = ReportTable(key: "units", title: "\(year) 计划年度单位缴费与理赔", columns: [
            ReportColumn("unit", "单位编码"), ReportColumn("name", "单位名称"), ReportColumn("enrolled", "参保人数", .count),
            ReportColumn("left", "退出人数", .count), ReportColumn("billedHeadcount", "开单人数", .count),
            ReportColumn("billedUnit", "单位应缴", .money), ReportColumn("billedSubsidy", "工会补助", .money),
            ReportColumn("received", "已缴", .money), ReportColumn("refunded", "已退", .money), ReportColumn("outstanding", "未缴", .money),
            ReportColumn("claims", "理赔件数", .count), ReportColumn("rejected", "不予给付", .count),
            ReportColumn("approved", "核定金额", .money), ReportColumn("paid", "支付金额", .money),
        ])
        func cells(_ line: Line, unit: ReportCell, name: ReportCell) throws -> [ReportCell] {
            [unit, name, .count(line.enrolled), .count(line.left), .count(line.billedHeadcount), .money(line.billedUnit),
             .money(line.billedSubsidy), .money(line.received), .money(line.refunded), .money(try line.outstanding),
             .count(line.claims), .count(line.rejected), .money(line.approved), .money(line.paid)]
        }
        var total = Line()
        var lines: [Line] = []
        for unit in units {
            let line = try UnitStatementReport.line(records: records, unit: unit.id, name: unit.name, year: year)
            table.add(try cells(line, unit: .text(line.unit), name: .text(line.name)))
            try total.add(line)
            lines.append(line)
        }
        table.add(try cells(total, unit: .empty, name: .text("合计")), role: .total)

        var tables = [table]
        if let unit {
            tables.append(try membersTable(records: records, unit: unit.value, year: year))
            tables.append(try claimsTable(records: records, plans: plans, unit: unit.value, year: year))
        }

        // Billing charges headcount × rate; the audit checks it per unit, the statement in total.
        var checks: [ReportCheck] = []
        if let plan = plans.plans.first(where: { $0.year == year }) {
            let unitRate = try plan.contribution.unit.adding(plan.contribution.member)
            checks.append(ReportCheck("单位应缴 = 开单人数 × 单位及个人缴费标准", "单位应缴", total.billedUnit,
                                      "\(total.billedHeadcount) × \(unitRate.formatted())", Money(fen: total.billedHeadcount * unitRate.fen)))
            checks.append(ReportCheck("工会补助 = 开单人数 × 补助标准", "工会补助", total.billedSubsidy,
                                      "\(total.billedHeadcount) × \(plan.contribution.unionSubsidy.formatted())",
                                      Money(fen: total.billedHeadcount * plan.contribution.unionSubsidy.fen)))
        }
        return ReportContent(tables: tables, checks: checks, charts: [
            ReportChart(key: "receivedByUnit", title: "已缴与未缴（按单位）", style: .horizontalBars,
                        bars: try lines.flatMap { [.init("\($0.unit) 已缴", $0.received), .init("\($0.unit) 未缴", try $0.outstanding)] }),
        ], notes: [
            "计划年度：\(year)（期间末月所在年度）；人数、缴费与理赔为编制时（当前树大小）账面。",
            "未缴 = 单位应缴 − 已缴 + 已退；工会补助由工会拨付，不向单位收取。理赔件数含不予给付件数；姓名、身份证号已脱敏。",
        ])
    }

    static func line(records: any MutualAidRecords, unit: String, name: String, year: Int) throws -> Line {
        var line = Line(unit: unit, name: name)
        let register = try records.unitYear(unit: unit, planYear: year)
        line.enrolled = register.enrolled
        line.left = register.left
        line.claims = register.claims
        line.rejected = register.rejected
        line.approved = register.approved
        line.paid = register.paid
        let contributions = try records.contributions(unit: unit, planYear: year)
        line.billedHeadcount = contributions.billedHeadcount
        line.billedUnit = contributions.billedUnit
        line.billedSubsidy = contributions.billedSubsidy
        line.received = contributions.received
        line.refunded = contributions.refunded
        return line
    }

    func membersTable(records: any MutualAidRecords, unit: String, year: Int) throws -> ReportTable {
        var table = ReportTable(key: "members", title: "参保会员", columns: [
            ReportColumn("member", "会员编号"), ReportColumn("name", "姓名"), ReportColumn("residentId", "身份证号"),
            ReportColumn("enrolledOn", "参保日期"), ReportColumn("coverageStart", "保障起始"), ReportColumn("leftOn", "退出日期"),
        ])
        let enrolments = try records.enrolments(unit: unit, planYear: year, limit: ReportTable.rowCountMax + 1)
        guard enrolments.count <= ReportTable.rowCountMax else { throw ReportError.tooManyRows(table: "参保会员", limit: ReportTable.rowCountMax) }
        for enrolment in enrolments {
            table.add([.text(enrolment.member), .text(enrolment.personal?["name"]?.stringValue.map(Masking.name) ?? "（已删除）"),
                       .text(enrolment.personal?["residentId"]?.stringValue.map(Masking.residentID) ?? "（已删除）"),
                       .text(enrolment.enrolledOn), .text(enrolment.coverageStart), .text(enrolment.leftOn ?? "")])
        }
        return table
    }

    func claimsTable(records: any MutualAidRecords, plans: PublishedPlans, unit: String, year: Int) throws -> ReportTable {
        var table = ReportTable(key: "unitClaims", title: "本单位理赔", columns: [
            ReportColumn("claim", "编号"), ReportColumn("member", "会员编号"), ReportColumn("name", "姓名"),
            ReportColumn("benefit", "互助项目"), ReportColumn("serviceDate", "就诊日期"), ReportColumn("state", "状态"),
            ReportColumn("assessed", "核算金额", .money), ReportColumn("approved", "核定金额", .money), ReportColumn("paid", "支付金额", .money),
        ])
        let claims = try records.claims(unit: unit, planYear: year, limit: ReportTable.rowCountMax + 1)
        guard claims.count <= ReportTable.rowCountMax else {
            throw ReportError.tooManyRows(table: "本单位理赔", limit: ReportTable.rowCountMax,
                                          instead: "`huzhu claim list --unit \(unit) --year \(year) --format csv`, which prints them row by row")
        }
        for claim in claims {
            table.add([.text(claim.claim), .text(claim.member), .text(claim.personal?["name"]?.stringValue.map(Masking.name) ?? "（已删除）"),
                       .text(plans.name(ofBenefit: claim.benefit)), .text(claim.serviceDate), .text(ClaimLabels.state(claim.state)),
                       .money(claim.assessed), claim.approved.map { .money($0) } ?? .empty, claim.paid.map { .money($0) } ?? .empty])
        }
        return table
    }
}
