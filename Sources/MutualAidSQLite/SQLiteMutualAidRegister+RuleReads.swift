import Foundation
import GRDB
import Ledger
import MutualAid

/// The reads the domain's rules make before they write: a claim, a claimant, caps used,
/// a member's standing and personal data.
extension SQLiteMutualAidRegister {
    // MARK: Claims

    /// The columns `claimRecord(_:)` reads, in its order; every claim query selects these.
    static let claimSelection = """
        SELECT claim_id, member_id, unit_id, plan_year, benefit, settlement_key, service_date, filed_on, filer, state,
               computed_fen, approved_fen, paid_fen, rejection_reason, reviewer, approvers, approved_on, paid_on,
               coalesce(approvable_fen, computed_fen), corrected_on
        FROM claims
        """

    /// One claim by id: read for every claim step a batch records, so its text is built once.
    static let claimByIDSQL = claimSelection + " WHERE claim_id = ?"

    static func claimRecord(_ row: FetchedRow) -> ClaimRecord {
        ClaimRecord(claim: Int64(row[0] as String) ?? 0, member: row[1], unit: row[2], year: Int(row[3] as Int64), benefit: row[4],
                    settlementKey: row[5], serviceDate: row[6], filedOn: row[7], filer: row[8],
                    state: ClaimState(rawValue: row[9]) ?? .filed, computed: Money(fen: row[10]), approvable: Money(fen: row[18]),
                    approved: (row[11] as Int64?).map(Money.init(fen:)), paid: (row[12] as Int64?).map(Money.init(fen:)),
                    rejectionReason: row[13], reviewer: row[14],
                    approvers: (row[15] as String).split(separator: ",").map(String.init), approvedOn: row[16], paidOn: row[17],
                    correctedOn: row[19])
    }

    func claim(_ id: Int64) throws -> ClaimRecord? {
        try prepared(.claimByID).row(["\(id)"]).map(Self.claimRecord)
    }

    func claimForStep(_ id: Int64) throws -> ClaimStepRecord? {
        try prepared(.claimForStep).row(["\(id)"]).map { row in
            ClaimStepRecord(member: row[0], unit: row[6], planYear: row[1], benefit: row[2], state: ClaimState(rawValue: row[3]) ?? .filed,
                            approvableFen: row[4], assessedFen: row[11], approvers: (row[5] as String).split(separator: ",").map(String.init),
                            approvedFen: row[7], approvedOn: row[8], paidFen: row[9], paidOn: row[10])
        }
    }

    func forEachClaim(_ filter: ClaimFilter, states: [ClaimState]?, _ body: (ClaimRecord) throws -> Void) throws {
        let (conditions, arguments) = Self.conditions(of: filter, states: states)
        var sql = Self.claimSelection + " WHERE " + conditions + " ORDER BY filed_seq"
        if let limit = filter.limit { sql += " LIMIT \(limit)" }
        try db.forEachRow(sql, SQLArguments(arguments)) { try body(Self.claimRecord($0)) }
    }

    func claimIDs(_ filter: ClaimFilter, states: [ClaimState]) throws -> [Int64] {
        let (conditions, arguments) = Self.conditions(of: filter, states: states)
        var sql = "SELECT claim_id FROM claims WHERE " + conditions + " ORDER BY filed_seq"
        if let limit = filter.limit { sql += " LIMIT \(limit)" }
        var claims: [Int64] = []
        try db.forEachRow(sql, SQLArguments(arguments)) { row in if let claim = Int64(row[0] as String) { claims.append(claim) } }
        return claims
    }

    /// The filter as SQL conditions on the claims table, for after `WHERE`, with their
    /// values in order; `states` limits the claims to those states when given.
    static func conditions(of filter: ClaimFilter, states: [ClaimState]?) -> (sql: String, arguments: [(any SQLBindable)?]) {
        var conditions: [String] = [], arguments: [(any SQLBindable)?] = []
        if let states {
            conditions.append("state IN (" + states.map { _ in "?" }.joined(separator: ", ") + ")")
            arguments += states.map(\.rawValue)
        }
        func add(_ condition: String, _ value: (any SQLBindable)?) {
            guard let value else { return }
            conditions.append(condition)
            arguments.append(value)
        }
        add("plan_year = ?", filter.planYear)
        add("benefit = ?", filter.benefit)
        add("unit_id = ?", filter.unit)
        add("member_id = ?", filter.member)
        add("service_date >= ?", filter.serviceFrom?.text)
        add("service_date <= ?", filter.serviceThrough?.text)
        add("filed_on >= ?", filter.filedFrom?.text)
        add("filed_on <= ?", filter.filedThrough?.text)
        add("coalesce(approvable_fen, computed_fen) >= ?", filter.assessedMin?.fen)
        add("coalesce(approvable_fen, computed_fen) <= ?", filter.assessedMax?.fen)
        add("filed_seq >= ?", filter.filedSeqs?.lowerBound)
        add("filed_seq <= ?", filter.filedSeqs?.upperBound)
        return (conditions.isEmpty ? "1" : conditions.joined(separator: " AND "), arguments)
    }

    func correctedSeq(claim: Int64) throws -> Int64? {
        guard let row = try db.row("SELECT corrected_seq FROM claims WHERE claim_id = ?", ["\(claim)"]) else { return nil }
        return row[0] as Int64?
    }

    func batchPaidFen(_ batch: String) throws -> Int64 {
        try db.row("SELECT coalesce(sum(paid_fen), 0) FROM claims WHERE payment_batch = ? AND state = 'paid'", [batch])?[0] ?? 0
    }

    func standingPayments(batch: String) throws -> [(claim: Int64, member: String, paid: Money)] {
        try db.rows("""
            SELECT claim_id, member_id, paid_fen FROM claims WHERE payment_batch = ? AND state = 'paid' ORDER BY paid_on, filed_seq
            """, [batch]).map { (Int64($0[0] as String) ?? 0, $0[1], Money(fen: $0[2])) }
    }

    func capsUsed(member: String) throws -> [CapUsed] {
        try prepared(.capsUsed).rows([member]).map { CapUsed(planYear: $0[0], benefit: $0[1], usedFen: $0[2]) }
    }

    func capUsage(member: String, planYear: Int, benefit: String) throws -> CapUsage {
        let row = try db.row("""
            SELECT coalesce(sum(used_fen) FILTER (WHERE benefit = ?), 0), coalesce(sum(used_fen), 0)
            FROM cap_usage WHERE member_id = ? AND plan_year = ?
            """, [benefit, member, planYear])
        return CapUsage(benefitUsed: Money(fen: row?[0] ?? 0), totalUsed: Money(fen: row?[1] ?? 0))
    }

    // MARK: Plans, units, members

    func publishedPlans(year: Int) throws -> [PublishedPlanRecord] {
        try db.rows("SELECT seq, plan_id, effective_on, rules FROM plans WHERE year = ? ORDER BY seq", [year]).map {
            PublishedPlanRecord(seq: $0[0], year: year, planID: $0[1], effective: $0[2], rules: $0[3])
        }
    }

    func unitName(_ unit: String) throws -> String? {
        try db.row("SELECT name FROM units WHERE unit_id = ?", [unit])?[0]
    }

    func unitSummaries(planYear: Int) throws -> [(id: String, name: String, members: Int)] {
        try db.rows("""
            SELECT u.unit_id, u.name, (SELECT count(*) FROM enrolments e WHERE e.unit_id = u.unit_id AND e.plan_year = ? AND e.left_on IS NULL)
            FROM units u ORDER BY u.unit_id
            """, [planYear]).map { ($0[0], $0[1], $0[2]) }
    }

    func enrolledCount(unit: String, planYear: Int) throws -> Int {
        try db.row("SELECT count(*) FROM enrolments WHERE unit_id = ? AND plan_year = ?", [unit, planYear])?[0] ?? 0
    }

    func enrolmentTerms(member: String, planYear: Int) throws -> EnrolmentTerms? {
        try prepared(.enrolmentTerms).row([member, planYear]).map {
            EnrolmentTerms(unit: $0[0], coverageStart: $0[1], leftOn: $0[2], seq: $0[3])
        }
    }

    func claimant(member: String) throws -> Claimant? {
        let rows = try prepared(.claimant).rows([member])
        guard let first = rows.first else { return nil }
        return Claimant(sex: MemberSex(rawValue: first[0]) ?? .male, enrolments: rows.compactMap { row in
            guard let year: Int = row[1] else { return nil }
            return Claimant.Enrolment(year: year, unit: row[2], coverageStart: row[3], leftOn: row[4])
        })
    }

    func memberOnFile(_ member: String) throws -> (standing: MemberStanding, personal: StoredPersonal?)? {
        try db.row("""
            SELECT m.commitment, m.first_seq, m.erased_seq, p.resident_id, p.fields, p.salt
            FROM members m LEFT JOIN member_personal p ON p.member_id = m.member_id WHERE m.member_id = ?
            """, [member]).map { row in
            let fields: String? = row[4], salt: Data? = row[5]
            return (MemberStanding(commitment: row[0], firstSeq: row[1], erasedSeq: row[2]),
                    fields.map { StoredPersonal(residentID: row[3], fields: $0, salt: Array(salt ?? Data())) })
        }
    }

    func forEachMember(planYear: Int, unit: String?, limit: Int?, _ body: (MemberListing) throws -> Void) throws {
        var sql = """
            SELECT e.member_id, e.unit_id, e.plan_year, p.fields, m.sex, e.coverage_start, e.left_on, m.erased_seq
            FROM enrolments e JOIN members m ON m.member_id = e.member_id
            LEFT JOIN member_personal p ON p.member_id = e.member_id
            WHERE e.plan_year = ?
            """
        var arguments: [(any SQLBindable)?] = [planYear]
        if let unit { sql += " AND e.unit_id = ?"; arguments.append(unit) }
        sql += " ORDER BY e.unit_id, e.seq"
        if let limit { sql += " LIMIT \(limit)" }
        try db.forEachRow(sql, SQLArguments(arguments)) { row in
            try body(MemberListing(member: row[0], unit: row[1], year: Int(row[2] as Int64), storedFields: row[3], sex: row[4],
                                   coverageStart: row[5], leftOn: row[6], erased: (row[7] as Int64?) != nil))
        }
    }

    // MARK: Personal data

    func personal(residentID: String) throws -> (member: String, personal: StoredPersonal)? {
        try prepared(.personalByResident).row([residentID]).map {
            ($0[0], StoredPersonal(residentID: residentID, fields: $0[2], salt: Array($0[1] as Data)))
        }
    }

    func erasedResidents(hash: String) throws -> [(member: String, erasedSeq: Int64)] {
        try prepared(.erasedResidents).rows([hash]).map { ($0[0], $0[1]) }
    }

    func anyErasedResidents() throws -> Bool {
        try db.row("SELECT EXISTS (SELECT 1 FROM erased_residents)")?[0] ?? false
    }

    func forEachMemberPersonal(_ body: (String, MemberStanding, StoredPersonal) throws -> Void) throws {
        try db.forEachRow("""
            SELECT m.member_id, m.commitment, m.first_seq, m.erased_seq, p.resident_id, p.fields, p.salt FROM member_personal p
            JOIN members m ON m.member_id = p.member_id ORDER BY m.first_seq
            """) { row in
            try body(row[0], MemberStanding(commitment: row[1], firstSeq: row[2], erasedSeq: row[3]),
                     StoredPersonal(residentID: row[4], fields: row[5], salt: Array(row[6] as Data)))
        }
    }

    func forEachClaimPersonal(_ body: (Int64, StoredPersonal) throws -> Void) throws {
        try db.forEachRow("SELECT claim_id, fields, salt FROM claim_personal ORDER BY claim_id") { row in
            guard let claim = Int64(row[0] as String) else { return }
            try body(claim, StoredPersonal(residentID: nil, fields: row[1], salt: Array(row[2] as Data)))
        }
    }

    func forEachErasedResident(_ body: (String, String, Int64) throws -> Void) throws {
        try db.forEachRow("SELECT resident_hash, member_id, erased_seq FROM erased_residents ORDER BY erased_seq, resident_hash") { row in
            try body(row[0], row[1], row[2])
        }
    }
}
