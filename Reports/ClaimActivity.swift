import GRDB
import Ledger
import MutualAid

/// Reads of the claims projection by date: what was approved, paid, rejected or still
/// pending in a span of days.
///
/// Each read is a range read on one index of the `claims` table (filed_on, approved_on,
/// paid_on, state), on the small partial index of `claim.rejected` events (the claims
/// table keeps no rejection date), added by the "mutual-aid-v2-report-indexes"
/// migration, or on the dates of the few corrections in `claim_reversals` (approvals
/// revoked, payments returned; "mutual-aid-v4-claim-reversals"). None scans the log or every claim, so a month's figures cost what that
/// month's claims cost, however long the books are.
struct ClaimActivity {
    let db: Database

    /// A count of claims (人次 or 件数) and their amount.
    struct Tally: Sendable, Hashable {
        var count: Int64 = 0
        var amount = Money.zero

        mutating func add(_ other: Tally) throws(MoneyError) {
            count += other.count
            amount = try amount.adding(other.amount)
        }
    }

    /// A claim refused in the span: by the rules when filed, or by an approver later.
    struct Rejection: Sendable, Hashable {
        let claim: String
        let benefit: String
        /// `ClaimRejection.code`, or "approver".
        let code: String
        let reason: String
        let date: String
    }

    /// The claim id a `claim.rejected` event names, as the claims table keys it (text).
    static let rejectedClaimID = "CAST(json_extract(CAST(body AS TEXT), '$.data.claim') AS TEXT)"

    /// Claims finally approved in `[from, through]`, per benefit: 人次 and approved amount.
    /// A claim that needs two approvers counts once, on the day the second approved it.
    ///
    /// An approval later revoked still counts in the span it was made in (its month's
    /// figures never move), and the revocation counts against the span it is dated in,
    /// −1 人次 and the amount, as the expense account's credit does. Three parts: approvals
    /// standing now, approvals since revoked (from `claim_reversals`), and revocations.
    /// `?3` restricts to one plan year when not null.
    static let approvedSQL = """
        SELECT benefit, sum(n), sum(fen) FROM (
            SELECT benefit, 1 AS n, approved_fen AS fen FROM claims
            WHERE approved_on >= ?1 AND approved_on <= ?2 AND (?3 IS NULL OR plan_year = ?3)
            UNION ALL
            SELECT benefit, 1, reversed_fen FROM claim_reversals
            WHERE reversed_on >= ?1 AND reversed_on <= ?2 AND step = 'approval' AND (?3 IS NULL OR plan_year = ?3)
            UNION ALL
            SELECT benefit, -1, -reversed_fen FROM claim_reversals
            WHERE date >= ?1 AND date <= ?2 AND step = 'approval' AND (?3 IS NULL OR plan_year = ?3)
        ) GROUP BY benefit
        """
    /// Claims paid in `[from, through]`, per benefit: count and amount paid, net of payments
    /// the bank returned in the span (counted in the return's span, as for revocations).
    static let paidSQL = """
        SELECT benefit, sum(n), sum(fen) FROM (
            SELECT benefit, 1 AS n, paid_fen AS fen FROM claims WHERE paid_on >= ?1 AND paid_on <= ?2
            UNION ALL
            SELECT benefit, 1, reversed_fen FROM claim_reversals WHERE reversed_on >= ?1 AND reversed_on <= ?2 AND step = 'payment'
            UNION ALL
            SELECT benefit, -1, -reversed_fen FROM claim_reversals WHERE date >= ?1 AND date <= ?2 AND step = 'payment'
        ) GROUP BY benefit
        """
    /// Claims pending at the end of a day, per benefit, at their assessed amount: filed on
    /// or before it, and on that day neither finally approved nor rejected. Three disjoint
    /// parts: still undecided now; approved after the day; rejected by an approver after
    /// the day (a rejection by the rules happens at filing, so such a claim never waits).
    /// Less the claims that stood approved on the day under an approval revoked later: each
    /// is in one of the three parts (it was decided again after the revocation, or not yet),
    /// and at most one of its revoked approvals spans the day.
    static let pendingSQL = """
        SELECT benefit, sum(n), sum(fen) FROM (
            SELECT benefit, 1 AS n, computed_fen AS fen FROM claims
            WHERE state IN ('filed', 'reviewed', 'partly-approved') AND filed_on <= ?1
            UNION ALL
            SELECT benefit, 1, computed_fen FROM claims WHERE approved_on > ?1 AND filed_on <= ?1
            UNION ALL
            SELECT c.benefit, 1, c.computed_fen FROM events e JOIN claims c ON c.claim_id = \(rejectedClaimID)
            WHERE e.kind = 'claim.rejected' AND e.date > ?1 AND c.filed_on <= ?1
            UNION ALL
            SELECT c.benefit, -1, -c.computed_fen FROM claim_reversals r JOIN claims c ON c.claim_id = r.claim_id
            WHERE r.reversed_on <= ?1 AND r.date > ?1 AND r.step = 'approval'
        ) GROUP BY benefit
        """
    /// Claims rejected in `[from, through]`: by the rules on their filing day, or by an
    /// approver on the date of the `claim.rejected` event. (`+state` keeps SQLite on the
    /// filing-date index rather than reading every rejected claim ever through
    /// `claims_by_state`.)
    static let rejectionsSQL = """
        SELECT claim_id, benefit, rejection_code, coalesce(rejection_reason, ''), filed_on FROM claims
        WHERE filed_on >= ?1 AND filed_on <= ?2 AND +state = 'rejected' AND rejection_code IS NOT NULL
              AND rejection_code != '\(ClaimLabels.approverRejectionCode)'
        UNION ALL
        SELECT c.claim_id, c.benefit, '\(ClaimLabels.approverRejectionCode)', coalesce(c.rejection_reason, ''), e.date
        FROM events e JOIN claims c ON c.claim_id = \(rejectedClaimID)
        WHERE e.kind = 'claim.rejected' AND e.date >= ?1 AND e.date <= ?2
        """
    /// The ids of claims filed, finally approved, paid, rejected, or corrected (an approval
    /// revoked, a payment returned) in `[from, through]`.
    static let claimsOfSpanSQL = """
        SELECT claim_id FROM claims WHERE filed_on >= ?1 AND filed_on <= ?2
        UNION SELECT claim_id FROM claims WHERE approved_on >= ?1 AND approved_on <= ?2
        UNION SELECT claim_id FROM claims WHERE paid_on >= ?1 AND paid_on <= ?2
        UNION SELECT \(rejectedClaimID) FROM events WHERE kind = 'claim.rejected' AND date >= ?1 AND date <= ?2
        UNION SELECT claim_id FROM claim_reversals WHERE date >= ?1 AND date <= ?2
        """

    /// Claims approved in the span, net of revocations in it; of one plan year when given.
    func approved(from: LedgerDate, through: LedgerDate, planYear: Int? = nil) throws -> [String: Tally] {
        try tallies(ClaimActivity.approvedSQL, [from.text, through.text, planYear])
    }

    func paid(from: LedgerDate, through: LedgerDate) throws -> [String: Tally] {
        try tallies(ClaimActivity.paidSQL, [from.text, through.text])
    }

    /// Claims waiting for a decision at the end of `day`, at their assessed amounts.
    func pending(at day: LedgerDate) throws -> [String: Tally] {
        try tallies(ClaimActivity.pendingSQL, [day.text])
    }

    func rejections(from: LedgerDate, through: LedgerDate) throws -> [Rejection] {
        try Row.fetchAll(db, sql: ClaimActivity.rejectionsSQL, arguments: [from.text, through.text]).map { row in
            Rejection(claim: row[0], benefit: row[1], code: row[2], reason: row[3], date: row[4])
        }
    }

    private func tallies(_ sql: String, _ arguments: StatementArguments) throws -> [String: Tally] {
        var result: [String: Tally] = [:]
        for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
            let count: Int64 = row[1]
            let fen: Int64? = row[2]
            result[row[0]] = Tally(count: count, amount: Money(fen: fen ?? 0))
        }
        return result
    }
}

extension Dictionary where Key == String, Value == ClaimActivity.Tally {
    /// The sum over every benefit.
    func total() throws(MoneyError) -> ClaimActivity.Tally {
        var sum = ClaimActivity.Tally()
        for tally in values { try sum.add(tally) }
        return sum
    }
}
