import Ledger
import LedgerPostgres
import MutualAid
import PostgresNIO

/// The mutual-aid register on PostgreSQL: `MutualAidRecords` and `MutualAidTables` as SQL
/// on the register's tables (`PostgresMutualAidSchema`), in the transaction of the ledger's
/// store it was opened in, so a claim and the events that decided it commit together.
/// The reads are in this file, the writes in `PostgresMutualAidRegister+Writes.swift`;
/// each query is its twin in `SQLiteMutualAidRegister`, in PostgreSQL's dialect.
final class PostgresMutualAidRegister: MutualAidTables, PostgresHeldRows {
    let transaction: PostgresLedgerStore.Transaction

    init(transaction: PostgresLedgerStore.Transaction) { self.transaction = transaction }

    /// Claimants and caps used read ahead for a chunk of claims (`readAhead(claimantsOf:)`),
    /// by member; nil for a member not on file. Enrolments written in this transaction drop
    /// the claimants; cap usage written updates the caps.
    var claimantsAhead: [String: Claimant?] = [:]
    var capsAhead: [String: [CapUsed]] = [:]
    /// Claims read ahead for a chunk of decisions (`readAhead(claims:)`); a claim leaves it
    /// when a step or correction of it is written.
    var claimsAhead: [Int64: ClaimRecord] = [:]
    /// Personal data read ahead for a chunk of a roster (`readAhead(residents:)`), by
    /// resident ID; nil for an ID not on file. Kept current by the personal data this
    /// transaction writes, which `residentsAhead` finds by member.
    var personalAhead: [String: (member: String, personal: StoredPersonal)?] = [:]
    var residentsAhead: [String: String] = [:]

    /// A batch's claim rows, day tallies and cap usage, held and sent as multi-row statements
    /// (`sendHeld`), as the store holds the events: a settlement file's claims then cost a
    /// few statements a thousand, not three each. Tallies and caps are summed by key, as
    /// one upsert may not touch a row twice.
    var heldClaims: [[PostgresValue]] = []
    var heldTallies: [TallyKey: (count: Int64, fen: Int64, assessed: Int64)] = [:]
    var heldCaps: [CapKey: Int64] = [:]
    /// A batch's decisions and payments, held by the step they record and sent as one
    /// `UPDATE … FROM (VALUES …)` a step; a claim is held once at most (`heldSteps`).
    var heldStepRows: [HeldStep: [[PostgresValue]]] = [:]
    var heldSteps: Set<Int64> = []

    /// The steps of a claim held for a multi-row update, and how each is written.
    enum HeldStep: CaseIterable {
        case reviewed, partlyApproved, approved, paid

        var columns: [(name: String, type: String)] {
            switch self {
            case .reviewed: [("claim_id", "TEXT"), ("reviewer", "TEXT"), ("step", "TEXT")]
            case .partlyApproved: [("claim_id", "TEXT"), ("approvers", "TEXT"), ("step", "TEXT")]
            case .approved: [("claim_id", "TEXT"), ("approvers", "TEXT"), ("fen", "BIGINT"), ("day", "TEXT"), ("step", "TEXT")]
            case .paid: [("claim_id", "TEXT"), ("fen", "BIGINT"), ("day", "TEXT"), ("batch", "TEXT"), ("step", "TEXT")]
            }
        }

        var set: String {
            switch self {
            case .reviewed: "state = '\(ClaimState.reviewed.rawValue)', reviewer = v.reviewer, step_seqs = c.step_seqs || v.step"
            case .partlyApproved: "state = '\(ClaimState.partlyApproved.rawValue)', approvers = v.approvers, step_seqs = c.step_seqs || v.step"
            case .approved: "state = '\(ClaimState.approved.rawValue)', approvers = v.approvers, approved_fen = v.fen, approved_on = v.day, step_seqs = c.step_seqs || v.step"
            case .paid: "state = '\(ClaimState.paid.rawValue)', paid_fen = v.fen, paid_on = v.day, payment_batch = v.batch, step_seqs = c.step_seqs || v.step"
            }
        }
    }

    /// A roster's members, enrolments and personal data, held and sent the same way.
    var heldMembers: [[PostgresValue]] = []
    var heldEnrolments: [[PostgresValue]] = []
    var heldPersonal: [[PostgresValue]] = []

    struct TallyKey: Hashable {
        let measure: String, date: String, planYear: Int64, benefit: String
    }

    struct CapKey: Hashable {
        let member: String, planYear: Int64, benefit: String
    }

    func rows(_ sql: String, _ binds: [PostgresValue] = []) throws -> [PostgresRandomAccessRow] {
        try transaction.rows(sql, binds)
    }

    /// Rows that read the log's events: the events this transaction holds are sent first.
    func rowsReadingEvents(_ sql: String, _ binds: [PostgresValue] = []) throws -> [PostgresRandomAccessRow] {
        try transaction.flush()
        return try rows(sql, binds)
    }

    /// The claim id a `claim.rejected` event names, as the claims table keys it (text).
    static let rejectedClaimID = "(convert_from(e.body, 'UTF8')::json -> 'data' ->> 'claim')"

    // MARK: Claims: the fund report's tallies and the register

    func approvedClaims(from: LedgerDate, through: LedgerDate, planYear: Int?) throws -> [String: ClaimTally] {
        try tallies("""
            SELECT benefit, sum(count)::BIGINT, sum(fen)::BIGINT FROM claim_day_tallies
            WHERE measure = 'approved' AND date >= $1 AND date <= $2 AND ($3::BIGINT IS NULL OR plan_year = $3) GROUP BY benefit
            """, [.text(from.text), .text(through.text), planYear.map { .integer(Int64($0)) } ?? .null])
    }

    func paidClaims(from: LedgerDate, through: LedgerDate) throws -> [String: ClaimTally] {
        try tallies("""
            SELECT benefit, sum(count)::BIGINT, sum(fen)::BIGINT FROM claim_day_tallies
            WHERE measure = 'paid' AND date >= $1 AND date <= $2 GROUP BY benefit
            """, [.text(from.text), .text(through.text)])
    }

    func pendingClaims(at day: LedgerDate) throws -> [String: ClaimTally] {
        try tallies("""
            SELECT benefit, waiting, waiting_fen FROM (
                SELECT benefit, sum(CASE WHEN measure = 'pending' THEN count ELSE -count END)::BIGINT AS waiting,
                       sum(CASE WHEN measure = 'pending' THEN fen ELSE -assessed_fen END)::BIGINT AS waiting_fen
                FROM claim_day_tallies WHERE measure IN ('approved', 'pending') AND date <= $1 GROUP BY benefit
            ) AS sums WHERE waiting != 0 OR waiting_fen != 0
            """, [.text(day.text)])
    }

    private func tallies(_ sql: String, _ binds: [PostgresValue]) throws -> [String: ClaimTally] {
        var result: [String: ClaimTally] = [:]
        for row in try rows(sql, binds) {
            result[try row[0].decode(String.self)] = ClaimTally(count: try row[1].decode(Int64.self),
                                                                amount: Money(fen: try row[2].decode(Int64?.self) ?? 0))
        }
        return result
    }

    func rejectedClaims(from: LedgerDate, through: LedgerDate) throws -> [ClaimRejectionRecord] {
        try rowsReadingEvents("""
            SELECT claim_id, benefit, rejection_code, coalesce(rejection_reason, ''), filed_on FROM claims
            WHERE filed_on >= $1 AND filed_on <= $2 AND state = 'rejected' AND rejection_code IS NOT NULL AND rejection_code != $3
            UNION ALL
            SELECT c.claim_id, c.benefit, $3, coalesce(c.rejection_reason, ''), e.date
            FROM events e JOIN claims c ON c.claim_id = \(Self.rejectedClaimID)
            WHERE e.kind = 'claim.rejected' AND e.date >= $1 AND e.date <= $2
            """, [.text(from.text), .text(through.text), .text(ClaimRejectionRecord.approverCode)]).map { row in
            ClaimRejectionRecord(claim: try row[0].decode(String.self), benefit: try row[1].decode(String.self), code: try row[2].decode(String.self),
                                 reason: try row[3].decode(String.self), date: try row[4].decode(String.self))
        }
    }

    /// A claim's columns for `ClaimRegisterRecord`; the member's fields from `member_personal` by primary key.
    static let claimColumns = """
        SELECT c.claim_id, c.unit_id, c.member_id, p.fields, c.benefit, c.service_date, c.filed_on, c.state,
               c.computed_fen, c.approved_fen, c.paid_fen, c.rejection_code, c.rejection_reason
        FROM claims c LEFT JOIN member_personal p ON p.member_id = c.member_id
        """

    static func registerRecord(_ row: PostgresRandomAccessRow) throws -> ClaimRegisterRecord {
        ClaimRegisterRecord(claim: try row[0].decode(String.self), unit: try row[1].decode(String.self), member: try row[2].decode(String.self),
                            personal: StoredPersonal.object(try row[3].decode(String?.self)),
                            benefit: try row[4].decode(String.self), serviceDate: try row[5].decode(String.self),
                            filedOn: try row[6].decode(String.self), state: ClaimState(rawValue: try row[7].decode(String.self)) ?? .filed,
                            assessed: Money(fen: try row[8].decode(Int64.self)), approved: try row[9].decode(Int64?.self).map(Money.init(fen:)),
                            paid: try row[10].decode(Int64?.self).map(Money.init(fen:)), rejectionCode: try row[11].decode(String?.self),
                            rejectionReason: try row[12].decode(String?.self) ?? "")
    }

    func claimsOfSpan(from: LedgerDate, through: LedgerDate, limit: Int) throws -> [ClaimRegisterRecord] {
        try rowsReadingEvents(Self.claimColumns + """
             WHERE c.claim_id IN (
                SELECT claim_id FROM claims WHERE filed_on >= $1 AND filed_on <= $2
                UNION SELECT claim_id FROM claims WHERE approved_on >= $1 AND approved_on <= $2
                UNION SELECT claim_id FROM claims WHERE paid_on >= $1 AND paid_on <= $2
                UNION SELECT \(Self.rejectedClaimID) FROM events e WHERE e.kind = 'claim.rejected' AND e.date >= $1 AND e.date <= $2
                UNION SELECT claim_id FROM claim_reversals WHERE date >= $1 AND date <= $2)
            ORDER BY c.filed_seq LIMIT $3
            """, [.text(from.text), .text(through.text), .integer(Int64(limit))]).map(Self.registerRecord)
    }

    func claims(unit: String, planYear: Int, limit: Int) throws -> [ClaimRegisterRecord] {
        try rows(Self.claimColumns + " WHERE c.unit_id = $1 AND c.plan_year = $2 ORDER BY c.filed_seq LIMIT $3",
                 [.text(unit), .integer(Int64(planYear)), .integer(Int64(limit))]).map(Self.registerRecord)
    }

    func unpaidApprovedClaims(from: LedgerDate, through: LedgerDate) throws -> [(claim: String, approvedOn: LedgerDate, planYear: Int)] {
        try rows("SELECT claim_id, approved_on, plan_year FROM claims WHERE state = 'approved' AND approved_on >= $1 AND approved_on <= $2 ORDER BY filed_seq",
                 [.text(from.text), .text(through.text)]).compactMap { row in
            guard let approved = try? LedgerDate(try row[1].decode(String.self)) else { return nil }
            return (try row[0].decode(String.self), approved, Int(try row[2].decode(Int64.self)))
        }
    }

    // MARK: Claims the domain decides on

    static let claimSelection = """
        SELECT claim_id, member_id, unit_id, plan_year, benefit, settlement_key, service_date, filed_on, filer, state,
               computed_fen, approved_fen, paid_fen, rejection_reason, reviewer, approvers, approved_on, paid_on,
               coalesce(approvable_fen, computed_fen), corrected_on
        FROM claims
        """

    static func claimRecord(_ row: PostgresRandomAccessRow) throws -> ClaimRecord {
        ClaimRecord(claim: Int64(try row[0].decode(String.self)) ?? 0, member: try row[1].decode(String.self), unit: try row[2].decode(String.self),
                    year: Int(try row[3].decode(Int64.self)), benefit: try row[4].decode(String.self), settlementKey: try row[5].decode(String.self),
                    serviceDate: try row[6].decode(String.self), filedOn: try row[7].decode(String.self), filer: try row[8].decode(String.self),
                    state: ClaimState(rawValue: try row[9].decode(String.self)) ?? .filed, computed: Money(fen: try row[10].decode(Int64.self)),
                    approvable: Money(fen: try row[18].decode(Int64.self)), approved: try row[11].decode(Int64?.self).map(Money.init(fen:)),
                    paid: try row[12].decode(Int64?.self).map(Money.init(fen:)), rejectionReason: try row[13].decode(String?.self),
                    reviewer: try row[14].decode(String?.self),
                    approvers: try row[15].decode(String.self).split(separator: ",").map(String.init),
                    approvedOn: try row[16].decode(String?.self), paidOn: try row[17].decode(String?.self),
                    correctedOn: try row[19].decode(String?.self))
    }

    /// The claim read whole (read ahead, or one statement): on a server the columns a step
    /// needs cost no less than the rest.
    func claimForStep(_ id: Int64) throws -> ClaimStepRecord? {
        try claim(id).map(ClaimStepRecord.init)
    }

    func claim(_ id: Int64) throws -> ClaimRecord? {
        if let ahead = claimsAhead[id] { return ahead }
        return try rows(Self.claimSelection + " WHERE claim_id = $1", [.text("\(id)")]).first.map(Self.claimRecord)
    }

    /// Claims are read in pages by filing seq, so a list of a city's year holds one page at a time.
    static let pageSize = 2048

    func forEachClaim(_ filter: ClaimFilter, states: [ClaimState]?, _ body: (ClaimRecord) throws -> Void) throws {
        var remaining = filter.limit ?? .max
        var after: Int64 = 0
        while remaining > 0 {
            let (conditions, binds) = Self.conditions(of: filter, states: states, after: after)
            let page = try rows(Self.claimSelection + " WHERE " + conditions + " ORDER BY filed_seq LIMIT \(min(remaining, Self.pageSize))", binds)
            for row in page {
                let claim = try Self.claimRecord(row)
                try body(claim)
                after = claim.claim
            }
            remaining -= page.count
            if page.count < Self.pageSize { return }
        }
    }

    func claimIDs(_ filter: ClaimFilter, states: [ClaimState]) throws -> [Int64] {
        let (conditions, binds) = Self.conditions(of: filter, states: states, after: 0)
        var sql = "SELECT filed_seq FROM claims WHERE " + conditions + " ORDER BY filed_seq"
        if let limit = filter.limit { sql += " LIMIT \(limit)" }
        return try rows(sql, binds).map { try $0[0].decode(Int64.self) }
    }

    /// The filter as SQL conditions on the claims table, with their values in order, for
    /// claims filed after seq `after`.
    static func conditions(of filter: ClaimFilter, states: [ClaimState]?, after: Int64) -> (sql: String, binds: [PostgresValue]) {
        var conditions: [String] = [], binds: [PostgresValue] = []
        func add(_ condition: String, _ value: PostgresValue?) {
            guard let value else { return }
            binds.append(value)
            conditions.append(condition.replacingOccurrences(of: "?", with: "$\(binds.count)"))
        }
        if let states {
            let placeholders = states.map { state -> String in
                binds.append(.text(state.rawValue))
                return "$\(binds.count)"
            }
            conditions.append("state IN (" + placeholders.joined(separator: ", ") + ")")
        }
        add("plan_year = ?", filter.planYear.map { .integer(Int64($0)) })
        add("benefit = ?", filter.benefit.map(PostgresValue.text))
        add("unit_id = ?", filter.unit.map(PostgresValue.text))
        add("member_id = ?", filter.member.map(PostgresValue.text))
        add("service_date >= ?", filter.serviceFrom.map { .text($0.text) })
        add("service_date <= ?", filter.serviceThrough.map { .text($0.text) })
        add("filed_on >= ?", filter.filedFrom.map { .text($0.text) })
        add("filed_on <= ?", filter.filedThrough.map { .text($0.text) })
        add("coalesce(approvable_fen, computed_fen) >= ?", filter.assessedMin.map { .integer($0.fen) })
        add("coalesce(approvable_fen, computed_fen) <= ?", filter.assessedMax.map { .integer($0.fen) })
        add("filed_seq >= ?", filter.filedSeqs.map { .integer($0.lowerBound) })
        add("filed_seq <= ?", filter.filedSeqs.map { .integer($0.upperBound) })
        add("filed_seq > ?", after > 0 ? .integer(after) : nil)
        return (conditions.isEmpty ? "TRUE" : conditions.joined(separator: " AND "), binds)
    }

    func correctedSeq(claim: Int64) throws -> Int64? {
        try rows("SELECT corrected_seq FROM claims WHERE claim_id = $1", [.text("\(claim)")]).first.flatMap { try $0[0].decode(Int64?.self) }
    }

    func batchPaidFen(_ batch: String) throws -> Int64 {
        try transaction.scalar("SELECT coalesce(sum(paid_fen), 0)::BIGINT FROM claims WHERE payment_batch = $1 AND state = 'paid'", [.text(batch)]) ?? 0
    }

    func standingPayments(batch: String) throws -> [(claim: Int64, member: String, paid: Money)] {
        try rows("""
            SELECT claim_id, member_id, paid_fen FROM claims WHERE payment_batch = $1 AND state = 'paid' ORDER BY paid_on, filed_seq
            """, [.text(batch)]).map { (Int64(try $0[0].decode(String.self)) ?? 0, try $0[1].decode(String.self), Money(fen: try $0[2].decode(Int64.self))) }
    }

    func capsUsed(member: String) throws -> [CapUsed] {
        if let ahead = capsAhead[member] { return ahead.sorted { ($0.planYear, $0.benefit) < ($1.planYear, $1.benefit) } }
        return try rows("SELECT plan_year, benefit, used_fen FROM cap_usage WHERE member_id = $1 ORDER BY plan_year, benefit", [.text(member)]).map {
            CapUsed(planYear: Int(try $0[0].decode(Int64.self)), benefit: try $0[1].decode(String.self), usedFen: try $0[2].decode(Int64.self))
        }
    }

    func capUsage(member: String, planYear: Int, benefit: String) throws -> CapUsage {
        let row = try rows("""
            SELECT coalesce(sum(CASE WHEN benefit = $1 THEN used_fen ELSE 0 END), 0)::BIGINT, coalesce(sum(used_fen), 0)::BIGINT
            FROM cap_usage WHERE member_id = $2 AND plan_year = $3
            """, [.text(benefit), .text(member), .integer(Int64(planYear))]).first
        return CapUsage(benefitUsed: Money(fen: try row?[0].decode(Int64.self) ?? 0), totalUsed: Money(fen: try row?[1].decode(Int64.self) ?? 0))
    }

    // MARK: Contributions

    func contributionReversals(from: LedgerDate, through: LedgerDate) throws -> ContributionReversalSums {
        var sums = ContributionReversalSums()
        for row in try rowsReadingEvents("""
            SELECT data ->> 'reversedKind', sum(coalesce((data ->> 'unitFen')::BIGINT, 0))::BIGINT,
                   sum(coalesce((data ->> 'subsidyFen')::BIGINT, 0))::BIGINT, sum(coalesce((data ->> 'amountFen')::BIGINT, 0))::BIGINT
            FROM (SELECT convert_from(body, 'UTF8')::json -> 'data' AS data FROM events
                  WHERE kind IN ('contribution.reversed', 'subsidy.reversed') AND date >= $1 AND date <= $2) AS reversals
            GROUP BY 1
            """, [.text(from.text), .text(through.text)]) {
            sums.set(reversedKind: try row[0].decode(String?.self), unitFen: try row[1].decode(Int64.self),
                     subsidyFen: try row[2].decode(Int64.self), amountFen: try row[3].decode(Int64.self))
        }
        return sums
    }

    func billedNetOfRefunds(planYear: Int) throws -> Money {
        Money(fen: try transaction.scalar("""
            SELECT sum(billed_unit_fen + billed_subsidy_fen - refunded_fen)::BIGINT FROM unit_contributions WHERE plan_year = $1
            """, [.integer(Int64(planYear))]) ?? 0)
    }

    func contributions(unit: String, planYear: Int) throws -> UnitContributionRecord {
        var record = UnitContributionRecord()
        if let row = try rows("""
            SELECT billed_headcount, billed_unit_fen, billed_subsidy_fen, received_fen, refunded_fen
            FROM unit_contributions WHERE unit_id = $1 AND plan_year = $2
            """, [.text(unit), .integer(Int64(planYear))]).first {
            record.billedHeadcount = try row[0].decode(Int64.self)
            record.billedUnit = Money(fen: try row[1].decode(Int64.self))
            record.billedSubsidy = Money(fen: try row[2].decode(Int64.self))
            record.received = Money(fen: try row[3].decode(Int64.self))
            record.refunded = Money(fen: try row[4].decode(Int64.self))
        }
        return record
    }

    // MARK: Units, members, plans

    func units(limit: Int) throws -> [(id: String, name: String)] {
        try rows("SELECT unit_id, name FROM units ORDER BY unit_id LIMIT $1", [.integer(Int64(limit))]).map {
            (try $0[0].decode(String.self), try $0[1].decode(String.self))
        }
    }

    static let enrolmentColumns = """
        SELECT e.member_id, e.unit_id, e.seq, p.fields, e.enrolled_on, e.coverage_start, e.left_on
        FROM enrolments e LEFT JOIN member_personal p ON p.member_id = e.member_id
        """

    static func enrolment(_ row: PostgresRandomAccessRow) throws -> EnrolmentRecord {
        EnrolmentRecord(member: try row[0].decode(String.self), unit: try row[1].decode(String.self), seq: try row[2].decode(Int64.self),
                        personal: StoredPersonal.object(try row[3].decode(String?.self)),
                        enrolledOn: try row[4].decode(String.self), coverageStart: try row[5].decode(String.self),
                        leftOn: try row[6].decode(String?.self))
    }

    func enrolments(unit: String, planYear: Int, limit: Int) throws -> [EnrolmentRecord] {
        try rows(Self.enrolmentColumns + " WHERE e.unit_id = $1 AND e.plan_year = $2 ORDER BY e.seq LIMIT $3",
                 [.text(unit), .integer(Int64(planYear)), .integer(Int64(limit))]).map(Self.enrolment)
    }

    func enrolment(member: String, planYear: Int) throws -> EnrolmentRecord? {
        try rows(Self.enrolmentColumns + " WHERE e.member_id = $1 AND e.plan_year = $2", [.text(member), .integer(Int64(planYear))])
            .first.map(Self.enrolment)
    }

    func unitYear(unit: String, planYear: Int) throws -> UnitYearRecord {
        var record = UnitYearRecord()
        let binds: [PostgresValue] = [.text(unit), .integer(Int64(planYear))]
        if let row = try rows("SELECT count(*), count(left_on) FROM enrolments WHERE unit_id = $1 AND plan_year = $2", binds).first {
            record.enrolled = try row[0].decode(Int64.self)
            record.left = try row[1].decode(Int64.self)
        }
        if let row = try rows("""
            SELECT count(*), count(CASE WHEN state = 'rejected' THEN 1 END), coalesce(sum(approved_fen), 0)::BIGINT,
                   coalesce(sum(paid_fen), 0)::BIGINT
            FROM claims WHERE unit_id = $1 AND plan_year = $2
            """, binds).first {
            record.claims = try row[0].decode(Int64.self)
            record.rejected = try row[1].decode(Int64.self)
            record.approved = Money(fen: try row[2].decode(Int64.self))
            record.paid = Money(fen: try row[3].decode(Int64.self))
        }
        return record
    }

    func publishedPlanRules(limit: Int) throws -> [String] {
        try rows("""
            SELECT rules FROM plans WHERE seq IN (SELECT max(seq) FROM plans GROUP BY year, plan_id) ORDER BY year, plan_id LIMIT $1
            """, [.integer(Int64(limit))]).map { try $0[0].decode(String.self) }
    }

    func statementEventSeqs(member: String, unit: String, enrolmentSeq: Int64, planYear: Int) throws -> [Int64] {
        var seqs: [Int64] = [enrolmentSeq]
        seqs += try rowsReadingEvents("""
            SELECT seq FROM events WHERE kind IN ('member.left', 'member.erased', 'member.details-updated')
            AND convert_from(body, 'UTF8')::json -> 'data' ->> 'member' = $1
            """, [.text(member)]).map { try $0[0].decode(Int64.self) }
        seqs += try rows("""
            SELECT seq FROM events WHERE kind IN ('contribution.billed', 'contribution.received', 'contribution.refunded',
                                                  'contribution.reversed')
            AND convert_from(body, 'UTF8')::json -> 'data' ->> 'unit' = $1
            AND (convert_from(body, 'UTF8')::json -> 'data' ->> 'planYear')::BIGINT = $2
            """, [.text(unit), .integer(Int64(planYear))]).map { try $0[0].decode(Int64.self) }
        for row in try rows("SELECT filed_seq, step_seqs FROM claims WHERE member_id = $1 AND plan_year = $2",
                            [.text(member), .integer(Int64(planYear))]) {
            seqs.append(try row[0].decode(Int64.self))
            seqs += try row[1].decode(String.self).split(separator: ",").compactMap { Int64($0) }
        }
        return seqs
    }

    // MARK: What the domain's rules read

    func publishedPlans(year: Int) throws -> [PublishedPlanRecord] {
        try rows("SELECT seq, plan_id, effective_on, rules FROM plans WHERE year = $1 ORDER BY seq", [.integer(Int64(year))]).map {
            PublishedPlanRecord(seq: try $0[0].decode(Int64.self), year: year, planID: try $0[1].decode(String.self),
                                effective: try $0[2].decode(String?.self), rules: try $0[3].decode(String.self))
        }
    }

    func unitName(_ unit: String) throws -> String? {
        try rows("SELECT name FROM units WHERE unit_id = $1", [.text(unit)]).first.map { try $0[0].decode(String.self) }
    }

    func unitSummaries(planYear: Int) throws -> [(id: String, name: String, members: Int)] {
        try rows("""
            SELECT u.unit_id, u.name, (SELECT count(*) FROM enrolments e WHERE e.unit_id = u.unit_id AND e.plan_year = $1 AND e.left_on IS NULL)
            FROM units u ORDER BY u.unit_id
            """, [.integer(Int64(planYear))]).map { (try $0[0].decode(String.self), try $0[1].decode(String.self), Int(try $0[2].decode(Int64.self))) }
    }

    func enrolledCount(unit: String, planYear: Int) throws -> Int {
        Int(try transaction.scalar("SELECT count(*) FROM enrolments WHERE unit_id = $1 AND plan_year = $2",
                                   [.text(unit), .integer(Int64(planYear))]) ?? 0)
    }

    func enrolmentTerms(member: String, planYear: Int) throws -> EnrolmentTerms? {
        try rows("SELECT unit_id, coverage_start, left_on, seq FROM enrolments WHERE member_id = $1 AND plan_year = $2",
                 [.text(member), .integer(Int64(planYear))]).first.map {
            EnrolmentTerms(unit: try $0[0].decode(String.self), coverageStart: try $0[1].decode(String.self), leftOn: try $0[2].decode(String?.self),
                           seq: try $0[3].decode(Int64.self))
        }
    }

    func claimant(member: String) throws -> Claimant? {
        if let ahead = claimantsAhead[member] { return ahead }
        let found = try rows("""
            SELECT m.sex, e.plan_year, e.unit_id, e.coverage_start, e.left_on
            FROM members m LEFT JOIN enrolments e ON e.member_id = m.member_id WHERE m.member_id = $1
            """, [.text(member)])
        guard let first = found.first else { return nil }
        return Claimant(sex: MemberSex(rawValue: try first[0].decode(String.self)) ?? .male, enrolments: try found.compactMap { row in
            guard let year = try row[1].decode(Int64?.self) else { return nil }
            return Claimant.Enrolment(year: Int(year), unit: try row[2].decode(String.self), coverageStart: try row[3].decode(String.self),
                                      leftOn: try row[4].decode(String?.self))
        })
    }

    func memberOnFile(_ member: String) throws -> (standing: MemberStanding, personal: StoredPersonal?)? {
        try rows("""
            SELECT m.commitment, m.first_seq, m.erased_seq, p.resident_id, p.fields, p.salt
            FROM members m LEFT JOIN member_personal p ON p.member_id = m.member_id WHERE m.member_id = $1
            """, [.text(member)]).first.map { row in
            (MemberStanding(commitment: try row[0].decode(String.self), firstSeq: try row[1].decode(Int64.self),
                            erasedSeq: try row[2].decode(Int64?.self)),
             try row[4].decode(String?.self) == nil ? nil : try Self.stored(row, residentID: 3, fields: 4, salt: 5))
        }
    }

    func forEachMember(planYear: Int, unit: String?, limit: Int?, _ body: (MemberListing) throws -> Void) throws {
        // In pages by (unit, seq), so a city's roster is never held whole.
        var remaining = limit ?? .max
        var after: (unit: String, seq: Int64)?
        while remaining > 0 {
            var binds: [PostgresValue] = [.integer(Int64(planYear))]
            var sql = """
                SELECT e.member_id, e.unit_id, e.plan_year, p.fields, m.sex, e.coverage_start, e.left_on, m.erased_seq, e.seq
                FROM enrolments e JOIN members m ON m.member_id = e.member_id
                LEFT JOIN member_personal p ON p.member_id = e.member_id
                WHERE e.plan_year = $1
                """
            if let unit {
                binds.append(.text(unit))
                sql += " AND e.unit_id = $\(binds.count)"
            }
            if let after {
                binds += [.text(after.unit), .integer(after.seq)]
                sql += " AND (e.unit_id, e.seq) > ($\(binds.count - 1), $\(binds.count))"
            }
            sql += " ORDER BY e.unit_id, e.seq LIMIT \(min(remaining, Self.pageSize))"
            let page = try rows(sql, binds)
            for row in page {
                let listing = MemberListing(member: try row[0].decode(String.self), unit: try row[1].decode(String.self),
                                            year: Int(try row[2].decode(Int64.self)), storedFields: try row[3].decode(String?.self),
                                            sex: try row[4].decode(String.self), coverageStart: try row[5].decode(String.self),
                                            leftOn: try row[6].decode(String?.self), erased: try row[7].decode(Int64?.self) != nil)
                try body(listing)
                after = (listing.unit, try row[8].decode(Int64.self))
            }
            remaining -= page.count
            if page.count < Self.pageSize { return }
        }
    }

    // MARK: Personal data

    static func stored(_ row: PostgresRandomAccessRow, residentID: Int?, fields: Int, salt: Int) throws -> StoredPersonal {
        StoredPersonal(residentID: try residentID.flatMap { try row[$0].decode(String?.self) }, fields: try row[fields].decode(String.self),
                       salt: try PostgresLedgerStore.Transaction.bytes(row[salt]))
    }

    func personal(residentID: String) throws -> (member: String, personal: StoredPersonal)? {
        if let ahead = personalAhead[residentID] { return ahead }
        return try rows("SELECT member_id, resident_id, fields, salt FROM member_personal WHERE resident_id = $1", [.text(residentID)]).first.map {
            (try $0[0].decode(String.self), try Self.stored($0, residentID: 1, fields: 2, salt: 3))
        }
    }

    func erasedResidents(hash: String) throws -> [(member: String, erasedSeq: Int64)] {
        try rows("SELECT member_id, erased_seq FROM erased_residents WHERE resident_hash = $1", [.text(hash)]).map {
            (try $0[0].decode(String.self), try $0[1].decode(Int64.self))
        }
    }

    func anyErasedResidents() throws -> Bool {
        try transaction.scalar("SELECT count(*) FROM (SELECT 1 FROM erased_residents LIMIT 1) AS one") ?? 0 > 0
    }

    func forEachMemberPersonal(_ body: (String, MemberStanding, StoredPersonal) throws -> Void) throws {
        for row in try rows("""
            SELECT m.member_id, m.commitment, m.first_seq, m.erased_seq, p.resident_id, p.fields, p.salt FROM member_personal p
            JOIN members m ON m.member_id = p.member_id ORDER BY m.first_seq
            """) {
            try body(try row[0].decode(String.self),
                     MemberStanding(commitment: try row[1].decode(String.self), firstSeq: try row[2].decode(Int64.self),
                                    erasedSeq: try row[3].decode(Int64?.self)),
                     try Self.stored(row, residentID: 4, fields: 5, salt: 6))
        }
    }

    func forEachClaimPersonal(_ body: (Int64, StoredPersonal) throws -> Void) throws {
        for row in try rows("SELECT claim_id, fields, salt FROM claim_personal ORDER BY claim_id") {
            guard let claim = Int64(try row[0].decode(String.self)) else { continue }
            try body(claim, try Self.stored(row, residentID: nil, fields: 1, salt: 2))
        }
    }

    func forEachErasedResident(_ body: (String, String, Int64) throws -> Void) throws {
        for row in try rows("SELECT resident_hash, member_id, erased_seq FROM erased_residents ORDER BY erased_seq, resident_hash") {
            try body(try row[0].decode(String.self), try row[1].decode(String.self), try row[2].decode(Int64.self))
        }
    }

    // MARK: The statement index

    func keptStatementLeaves(indexSeq: Int64) throws -> [SHA256Hash]? {
        var leaves: [SHA256Hash] = []
        for row in try rows("SELECT index_seq, leaf FROM statement_index_kept ORDER BY position") {
            guard try row[0].decode(Int64.self) == indexSeq,
                  let leaf = try? SHA256Hash(bytes: try PostgresLedgerStore.Transaction.bytes(row[1])) else { return nil }
            leaves.append(leaf)
        }
        return leaves.isEmpty ? nil : leaves
    }

    func keptStatementEntry(subject: String, indexSeq: Int64) throws -> (position: Int, entry: [UInt8])? {
        try rows("SELECT position, entry FROM statement_index_kept WHERE subject = $1 AND index_seq = $2", [.text(subject), .integer(indexSeq)])
            .first.map { (Int(try $0[0].decode(Int64.self)), try PostgresLedgerStore.Transaction.bytes($0[1])) }
    }
}

extension PostgresMutualAidRegister {
    func readAhead(residents ids: [String]) throws {
        personalAhead.removeAll(keepingCapacity: true)
        residentsAhead.removeAll(keepingCapacity: true)
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { return }
        for row in try rows("SELECT member_id, resident_id, fields, salt FROM member_personal WHERE resident_id = ANY($1)", [.texts(unique)]) {
            let member = try row[0].decode(String.self), stored = try Self.stored(row, residentID: 1, fields: 2, salt: 3)
            guard let resident = stored.residentID else { continue }
            personalAhead[resident] = .some((member, stored))
            residentsAhead[member] = resident
        }
        for id in unique where personalAhead[id] == nil { personalAhead[id] = .some(nil) }
    }

    func readAhead(claims ids: [Int64]) throws {
        claimsAhead.removeAll(keepingCapacity: true)
        guard !ids.isEmpty else { return }
        for claim in try rows(Self.claimSelection + " WHERE claim_id = ANY($1)", [.texts(ids.map { "\($0)" })]).map(Self.claimRecord) {
            claimsAhead[claim.claim] = claim
        }
    }

    func readAhead(claimantsOf members: [String]) throws {
        claimantsAhead.removeAll(keepingCapacity: true)
        capsAhead.removeAll(keepingCapacity: true)
        let unique = Array(Set(members))
        guard !unique.isEmpty else { return }
        var sexes: [String: MemberSex] = [:]
        var enrolments: [String: [Claimant.Enrolment]] = [:]
        for row in try rows("""
            SELECT m.member_id, m.sex, e.plan_year, e.unit_id, e.coverage_start, e.left_on
            FROM members m LEFT JOIN enrolments e ON e.member_id = m.member_id WHERE m.member_id = ANY($1)
            """, [.texts(unique)]) {
            let member = try row[0].decode(String.self)
            sexes[member] = MemberSex(rawValue: try row[1].decode(String.self)) ?? .male
            if let year = try row[2].decode(Int64?.self) {
                enrolments[member, default: []].append(Claimant.Enrolment(year: Int(year), unit: try row[3].decode(String.self),
                                                                          coverageStart: try row[4].decode(String.self),
                                                                          leftOn: try row[5].decode(String?.self)))
            }
        }
        var caps: [String: [CapUsed]] = [:]
        for row in try rows("SELECT member_id, plan_year, benefit, used_fen FROM cap_usage WHERE member_id = ANY($1)", [.texts(unique)]) {
            caps[try row[0].decode(String.self), default: []].append(CapUsed(planYear: Int(try row[1].decode(Int64.self)),
                                                                           benefit: try row[2].decode(String.self), usedFen: try row[3].decode(Int64.self)))
        }
        for member in unique {
            claimantsAhead[member] = .some(sexes[member].map { Claimant(sex: $0, enrolments: enrolments[member] ?? []) })
            capsAhead[member] = caps[member] ?? []
        }
    }
}

