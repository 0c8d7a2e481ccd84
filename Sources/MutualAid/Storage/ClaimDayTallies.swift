import GRDB
import Ledger

/// `claim_day_tallies`: per day, plan year and benefit, the claims' movements the fund
/// report counts (人次 and amounts), so a month's or a year's figures are a sum over a few
/// hundred rows however many claims the year has, instead of a read of every claim in it.
///
/// Three measures, each a count and an amount moved on the day:
/// - `approved`: a final approval (+1, the amount approved), and its revocation (−1, that
///   amount, on the revocation's day): a closed month's approvals never move.
/// - `paid`: a payment (+1, the amount paid) and the bank's return of it (−1, on its day).
/// - `pending`: a claim filed and not rejected by the rules (+1, its assessment), decided by
///   a final approval or an approver's rejection (−1), back to waiting when its final
///   approval is revoked (+1). Its running sum through a day is what waits on that day.
///
/// A projection like the claims table, written in the same statements' transaction.
enum ClaimDayTallies {
    enum Measure: String {
        case approved, paid, pending
    }

    static let addSQL = """
        INSERT INTO claim_day_tallies (measure, date, plan_year, benefit, count, fen) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (measure, date, plan_year, benefit) DO UPDATE SET count = count + excluded.count, fen = fen + excluded.fen
        """

    /// Adds `count` claims and `fen` to `measure` on `date`, through `statement` when the caller keeps it prepared.
    static func add(_ measure: Measure, date: String, planYear: Int64, benefit: String, count: Int64, fen: Int64, db: Database,
                    statement: Statement? = nil) throws {
        try (statement ?? db.cachedStatement(sql: addSQL)).run([measure.rawValue, date, planYear, benefit, count, fen])
    }

    /// The table, and its rows for the claims recorded before it, from the claims table and
    /// the reversals: the same terms the projection adds event by event.
    static let migration = """
        CREATE TABLE claim_day_tallies (
            measure TEXT NOT NULL CHECK (measure IN ('approved', 'paid', 'pending')),
            date TEXT NOT NULL,
            plan_year INTEGER NOT NULL,
            benefit TEXT NOT NULL,
            count INTEGER NOT NULL,
            fen INTEGER NOT NULL,
            PRIMARY KEY (measure, date, plan_year, benefit)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO claim_day_tallies (measure, date, plan_year, benefit, count, fen)
        SELECT measure, date, plan_year, benefit, sum(n), sum(fen) FROM (
            SELECT 'approved' AS measure, approved_on AS date, plan_year, benefit, 1 AS n, approved_fen AS fen FROM claims
            WHERE approved_on IS NOT NULL
            UNION ALL
            SELECT 'approved', reversed_on, plan_year, benefit, 1, reversed_fen FROM claim_reversals WHERE step = 'approval'
            UNION ALL
            SELECT 'approved', date, plan_year, benefit, -1, -reversed_fen FROM claim_reversals WHERE step = 'approval'
            UNION ALL
            SELECT 'paid', paid_on, plan_year, benefit, 1, paid_fen FROM claims WHERE paid_on IS NOT NULL
            UNION ALL
            SELECT 'paid', reversed_on, plan_year, benefit, 1, reversed_fen FROM claim_reversals WHERE step = 'payment'
            UNION ALL
            SELECT 'paid', date, plan_year, benefit, -1, -reversed_fen FROM claim_reversals WHERE step = 'payment'
            UNION ALL
            SELECT 'pending', filed_on, plan_year, benefit, 1, computed_fen FROM claims
            WHERE NOT (state = 'rejected' AND rejection_code IS NOT NULL AND rejection_code != 'approver')
            UNION ALL
            SELECT 'pending', approved_on, plan_year, benefit, -1, -computed_fen FROM claims WHERE approved_on IS NOT NULL
            UNION ALL
            SELECT 'pending', r.reversed_on, c.plan_year, c.benefit, -1, -c.computed_fen
            FROM claim_reversals r JOIN claims c ON c.claim_id = r.claim_id WHERE r.step = 'approval'
            UNION ALL
            SELECT 'pending', r.date, c.plan_year, c.benefit, 1, c.computed_fen
            FROM claim_reversals r JOIN claims c ON c.claim_id = r.claim_id WHERE r.step = 'approval'
            UNION ALL
            SELECT 'pending', e.date, c.plan_year, c.benefit, -1, -c.computed_fen
            FROM events e JOIN claims c ON c.claim_id = CAST(json_extract(CAST(e.body AS TEXT), '$.data.claim') AS TEXT)
            WHERE e.kind = 'claim.rejected'
        ) GROUP BY measure, date, plan_year, benefit;
        """
}
