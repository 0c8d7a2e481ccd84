import Foundation
import GRDB
import Ledger
import MutualAid

/// The mutual-aid register in a ledger file: `MutualAidRecords` and `MutualAidTables` as
/// SQL on the mutual-aid tables (`MutualAidSchema`), in the transaction it was opened in.
/// The reads are in this file, the writes in `SQLiteMutualAidTables.swift`.
///
/// The claims reads are range reads on one index each of the `claims` table (filed_on,
/// approved_on, paid_on, state), on the small partial index of `claim.rejected` events
/// (the claims table keeps no rejection date; "mutual-aid-v2-report-indexes"), or on the
/// dates of the few corrections in `claim_reversals` ("mutual-aid-v4-claim-reversals").
/// None scans the log or every claim.
///
/// A class, so that one batch's million rows reuse the statements it prepared
/// (`prepared(_:)`) instead of finding them in GRDB's cache, which hashes each
/// statement's text on every use.
final class SQLiteMutualAidRegister: MutualAidTables {
    let db: Database
    /// The hot statements, prepared on first use (`HotStatement`). Empty until then: a
    /// register is also opened for each event a projection applies, and most use none.
    private var statements: [Statement?] = []
    /// The claims indexes a large batch sets aside (`claimRecorded`); made by a claim batch only.
    lazy var deferredIndexes = DeferredClaimIndexes()

    init(db: Database) { self.db = db }

    /// The statement `hot`, prepared once for this register's life.
    func prepared(_ hot: HotStatement) throws -> Statement {
        if statements.isEmpty { statements = Array(repeating: nil, count: HotStatement.allCases.count) }
        if let statement = statements[hot.rawValue] { return statement }
        let statement = try db.cachedStatement(sql: hot.sql)
        statements[hot.rawValue] = statement
        return statement
    }

    // MARK: Claims

    /// The claim id a `claim.rejected` event names, as the claims table keys it (text).
    static let rejectedClaimID = "CAST(json_extract(CAST(body AS TEXT), '$.data.claim') AS TEXT)"

    /// The fund report's claim figures are sums over `claim_day_tallies` (`ClaimDayTallies`):
    /// a few hundred rows for a year, whatever its number of claims. `?3` restricts to one
    /// plan year when not null.
    static let approvedSQL = """
        SELECT benefit, sum(count), sum(fen) FROM claim_day_tallies
        WHERE measure = 'approved' AND date >= ?1 AND date <= ?2 AND (?3 IS NULL OR plan_year = ?3) GROUP BY benefit
        """
    static let paidSQL = """
        SELECT benefit, sum(count), sum(fen) FROM claim_day_tallies WHERE measure = 'paid' AND date >= ?1 AND date <= ?2 GROUP BY benefit
        """
    /// What waits on the day: the running sum through it of `pending` less `approved` (by
    /// the claims' assessments). A benefit whose claims have all been decided sums to zero
    /// and is left out.
    static let pendingSQL = """
        SELECT benefit, sum(iif(measure = 'pending', count, -count)) AS waiting, sum(iif(measure = 'pending', fen, -assessed_fen)) AS waiting_fen
        FROM claim_day_tallies WHERE measure IN ('approved', 'pending') AND date <= ?1
        GROUP BY benefit HAVING waiting != 0 OR waiting_fen != 0
        """
    /// (`+state` keeps SQLite on the filing-date index rather than reading every rejected
    /// claim ever through `claims_by_state`.)
    static let rejectionsSQL = """
        SELECT claim_id, benefit, rejection_code, coalesce(rejection_reason, ''), filed_on FROM claims
        WHERE filed_on >= ?1 AND filed_on <= ?2 AND +state = 'rejected' AND rejection_code IS NOT NULL
              AND rejection_code != '\(ClaimRejectionRecord.approverCode)'
        UNION ALL
        SELECT c.claim_id, c.benefit, '\(ClaimRejectionRecord.approverCode)', coalesce(c.rejection_reason, ''), e.date
        FROM events e JOIN claims c ON c.claim_id = \(rejectedClaimID)
        WHERE e.kind = 'claim.rejected' AND e.date >= ?1 AND e.date <= ?2
        """
    /// The ids of claims filed, finally approved, paid, rejected, or corrected in the span,
    /// each part on its own index.
    static let claimsOfSpanSQL = """
        SELECT claim_id FROM claims WHERE filed_on >= ?1 AND filed_on <= ?2
        UNION SELECT claim_id FROM claims WHERE approved_on >= ?1 AND approved_on <= ?2
        UNION SELECT claim_id FROM claims WHERE paid_on >= ?1 AND paid_on <= ?2
        UNION SELECT \(rejectedClaimID) FROM events WHERE kind = 'claim.rejected' AND date >= ?1 AND date <= ?2
        UNION SELECT claim_id FROM claim_reversals WHERE date >= ?1 AND date <= ?2
        """
    /// A claim's columns for `ClaimRegisterRecord`; the member's fields from `member_personal` by primary key.
    static let claimColumns = """
        SELECT c.claim_id, c.unit_id, c.member_id, p.fields, c.benefit, c.service_date, c.filed_on, c.state,
               c.computed_fen, c.approved_fen, c.paid_fen, c.rejection_code, c.rejection_reason
        FROM claims c LEFT JOIN member_personal p ON p.member_id = c.member_id
        """

    /// The register's claims of a span, in filing order; `?3` is the limit.
    static let claimsOfSpanQuery = claimColumns + " WHERE c.claim_id IN (\(claimsOfSpanSQL)) ORDER BY c.filed_seq LIMIT ?3"

    func approvedClaims(from: LedgerDate, through: LedgerDate, planYear: Int?) throws -> [String: ClaimTally] {
        try tallies(Self.approvedSQL, [from.text, through.text, planYear])
    }

    func paidClaims(from: LedgerDate, through: LedgerDate) throws -> [String: ClaimTally] {
        try tallies(Self.paidSQL, [from.text, through.text])
    }

    func pendingClaims(at day: LedgerDate) throws -> [String: ClaimTally] {
        try tallies(Self.pendingSQL, [day.text])
    }

    func rejectedClaims(from: LedgerDate, through: LedgerDate) throws -> [ClaimRejectionRecord] {
        try Row.fetchAll(db, sql: Self.rejectionsSQL, arguments: [from.text, through.text]).map { row in
            ClaimRejectionRecord(claim: row[0], benefit: row[1], code: row[2], reason: row[3], date: row[4])
        }
    }

    func claimsOfSpan(from: LedgerDate, through: LedgerDate, limit: Int) throws -> [ClaimRegisterRecord] {
        try Row.fetchAll(db, sql: Self.claimsOfSpanQuery, arguments: [from.text, through.text, limit]).map(Self.claim)
    }

    func claims(unit: String, planYear: Int, limit: Int) throws -> [ClaimRegisterRecord] {
        try Row.fetchAll(db, sql: Self.claimColumns + " WHERE c.unit_id = ? AND c.plan_year = ? ORDER BY c.filed_seq LIMIT ?",
                         arguments: [unit, planYear, limit]).map(Self.claim)
    }

    func unpaidApprovedClaims(from: LedgerDate, through: LedgerDate) throws -> [(claim: String, approvedOn: LedgerDate, planYear: Int)] {
        try Row.fetchAll(db, sql: """
            SELECT claim_id, approved_on, plan_year FROM claims WHERE state = 'approved' AND approved_on >= ? AND approved_on <= ?
            ORDER BY filed_seq
            """, arguments: [from.text, through.text]).compactMap { row in
            guard let approved = try? LedgerDate(row[1] as String) else { return nil }
            return (row[0], approved, row[2])
        }
    }

    static func claim(_ row: Row) -> ClaimRegisterRecord {
        ClaimRegisterRecord(claim: row[0], unit: row[1], member: row[2], personal: StoredPersonal.object(row[3]), benefit: row[4], serviceDate: row[5],
                    filedOn: row[6], state: ClaimState(rawValue: row[7]) ?? .filed, assessed: Money(fen: row[8]),
                    approved: (row[9] as Int64?).map(Money.init(fen:)), paid: (row[10] as Int64?).map(Money.init(fen:)),
                    rejectionCode: row[11], rejectionReason: row[12] ?? "")
    }

    private func tallies(_ sql: String, _ arguments: StatementArguments) throws -> [String: ClaimTally] {
        var result: [String: ClaimTally] = [:]
        for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
            let count: Int64 = row[1]
            let fen: Int64? = row[2]
            result[row[0]] = ClaimTally(count: count, amount: Money(fen: fen ?? 0))
        }
        return result
    }

    // MARK: Contributions

    /// Read through the partial index `events_contribution_reversals_by_date`.
    static let reversalsSQL = """
        SELECT json_extract(CAST(body AS TEXT), '$.data.reversedKind'),
               sum(coalesce(json_extract(CAST(body AS TEXT), '$.data.unitFen'), 0)),
               sum(coalesce(json_extract(CAST(body AS TEXT), '$.data.subsidyFen'), 0)),
               sum(coalesce(json_extract(CAST(body AS TEXT), '$.data.amountFen'), 0))
        FROM events WHERE kind IN ('contribution.reversed', 'subsidy.reversed') AND date >= ? AND date <= ?
        GROUP BY 1
        """

    func contributionReversals(from: LedgerDate, through: LedgerDate) throws -> ContributionReversalSums {
        var sums = ContributionReversalSums()
        for row in try Row.fetchAll(db, sql: Self.reversalsSQL, arguments: [from.text, through.text]) {
            sums.set(reversedKind: row[0], unitFen: row[1], subsidyFen: row[2], amountFen: row[3])
        }
        return sums
    }

    func billedNetOfRefunds(planYear: Int) throws -> Money {
        Money(fen: try Int64.fetchOne(db, sql: """
            SELECT sum(billed_unit_fen + billed_subsidy_fen - refunded_fen) FROM unit_contributions WHERE plan_year = ?
            """, arguments: [planYear]) ?? 0)
    }

    func contributions(unit: String, planYear: Int) throws -> UnitContributionRecord {
        var record = UnitContributionRecord()
        if let row = try Row.fetchOne(db, sql: """
            SELECT billed_headcount, billed_unit_fen, billed_subsidy_fen, received_fen, refunded_fen
            FROM unit_contributions WHERE unit_id = ? AND plan_year = ?
            """, arguments: [unit, planYear]) {
            record.billedHeadcount = row[0]
            record.billedUnit = Money(fen: row[1])
            record.billedSubsidy = Money(fen: row[2])
            record.received = Money(fen: row[3])
            record.refunded = Money(fen: row[4])
        }
        return record
    }

    // MARK: Units, members, plans

    func units(limit: Int) throws -> [(id: String, name: String)] {
        try Row.fetchAll(db, sql: "SELECT unit_id, name FROM units ORDER BY unit_id LIMIT ?", arguments: [limit]).map { ($0[0], $0[1]) }
    }

    static let enrolmentColumns = """
        SELECT e.member_id, e.unit_id, e.seq, p.fields, e.enrolled_on, e.coverage_start, e.left_on
        FROM enrolments e LEFT JOIN member_personal p ON p.member_id = e.member_id
        """

    static func enrolment(_ row: Row) -> EnrolmentRecord {
        EnrolmentRecord(member: row[0], unit: row[1], seq: row[2], personal: StoredPersonal.object(row[3]), enrolledOn: row[4], coverageStart: row[5],
                        leftOn: row[6])
    }

    func enrolments(unit: String, planYear: Int, limit: Int) throws -> [EnrolmentRecord] {
        try Row.fetchAll(db, sql: Self.enrolmentColumns + " WHERE e.unit_id = ? AND e.plan_year = ? ORDER BY e.seq LIMIT ?",
                         arguments: [unit, planYear, limit]).map(Self.enrolment)
    }

    func enrolment(member: String, planYear: Int) throws -> EnrolmentRecord? {
        try Row.fetchOne(db, sql: Self.enrolmentColumns + " WHERE e.member_id = ? AND e.plan_year = ?", arguments: [member, planYear])
            .map(Self.enrolment)
    }

    func unitYear(unit: String, planYear: Int) throws -> UnitYearRecord {
        var record = UnitYearRecord()
        if let row = try Row.fetchOne(db, sql: """
            SELECT count(*), count(left_on) FROM enrolments WHERE unit_id = ? AND plan_year = ?
            """, arguments: [unit, planYear]) {
            record.enrolled = row[0]
            record.left = row[1]
        }
        if let row = try Row.fetchOne(db, sql: """
            SELECT count(*), count(CASE WHEN state = 'rejected' THEN 1 END), coalesce(sum(approved_fen), 0), coalesce(sum(paid_fen), 0)
            FROM claims WHERE unit_id = ? AND plan_year = ?
            """, arguments: [unit, planYear]) {
            record.claims = row[0]
            record.rejected = row[1]
            record.approved = Money(fen: row[2])
            record.paid = Money(fen: row[3])
        }
        return record
    }

    func publishedPlanRules(limit: Int) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT rules FROM plans WHERE seq IN (SELECT max(seq) FROM plans GROUP BY year, plan_id) ORDER BY year, plan_id LIMIT ?
            """, arguments: [limit])
    }

    func statementEventSeqs(member: String, unit: String, enrolmentSeq: Int64, planYear: Int) throws -> [Int64] {
        var seqs: [Int64] = [enrolmentSeq]
        seqs += try Int64.fetchAll(db, sql: """
            SELECT seq FROM events WHERE kind IN ('member.left', 'member.erased', 'member.details-updated')
            AND json_extract(CAST(body AS TEXT), '$.data.member') = ?
            """, arguments: [member])
        seqs += try Int64.fetchAll(db, sql: """
            SELECT seq FROM events WHERE kind IN ('contribution.billed', 'contribution.received', 'contribution.refunded',
                                                  'contribution.reversed')
            AND json_extract(CAST(body AS TEXT), '$.data.unit') = ? AND json_extract(CAST(body AS TEXT), '$.data.planYear') = ?
            """, arguments: [unit, planYear])
        // Each claim's steps from its row (`step_seqs`): the member's claims by index, not the log.
        for row in try Row.fetchAll(db, sql: "SELECT filed_seq, step_seqs FROM claims WHERE member_id = ? AND plan_year = ?",
                                    arguments: [member, planYear]) {
            seqs.append(row[0])
            seqs += (row[1] as String).split(separator: ",").compactMap { Int64($0) }
        }
        return seqs
    }
}
