import GRDB
import Ledger
import MutualAid

/// `claim_day_tallies`: per day, plan year and benefit, the claims' movements the fund
/// report counts (人次 and amounts), so a month's or a year's figures are a sum over a few
/// hundred rows however many claims the year has, instead of a read of every claim in it.
///
/// Three measures, each a count and an amount moved on the day:
/// - `approved`: a final approval (+1, the amount approved), and its revocation (−1, that
///   amount, on the revocation's day): a closed month's approvals never move. Each also
///   moves `assessed_fen` by the claim's assessment, for the pending sum.
/// - `paid`: a payment (+1, the amount paid) and the bank's return of it (−1, on its day).
/// - `pending`: a claim filed and not rejected by the rules (+1, its assessment), and an
///   approver's rejection of one (−1).
///
/// What waits on a day is then the running sum through it of `pending` less `approved`
/// (its count and `assessed_fen`): filed, less decided by a final approval or a rejection,
/// plus back to waiting when a final approval is revoked. Each step writes one row.
///
/// A projection like the claims table, written by `SQLiteMutualAidRegister.addClaimTally`.
enum ClaimDayTallies {
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
            assessed_fen INTEGER NOT NULL,
            PRIMARY KEY (measure, date, plan_year, benefit)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO claim_day_tallies (measure, date, plan_year, benefit, count, fen, assessed_fen)
        SELECT measure, date, plan_year, benefit, sum(n), sum(fen), sum(assessed) FROM (
            SELECT 'approved' AS measure, approved_on AS date, plan_year, benefit, 1 AS n, approved_fen AS fen, computed_fen AS assessed
            FROM claims WHERE approved_on IS NOT NULL
            UNION ALL
            SELECT 'approved', r.reversed_on, r.plan_year, r.benefit, 1, r.reversed_fen, c.computed_fen
            FROM claim_reversals r JOIN claims c ON c.claim_id = r.claim_id WHERE r.step = 'approval'
            UNION ALL
            SELECT 'approved', r.date, r.plan_year, r.benefit, -1, -r.reversed_fen, -c.computed_fen
            FROM claim_reversals r JOIN claims c ON c.claim_id = r.claim_id WHERE r.step = 'approval'
            UNION ALL
            SELECT 'paid', paid_on, plan_year, benefit, 1, paid_fen, 0 FROM claims WHERE paid_on IS NOT NULL
            UNION ALL
            SELECT 'paid', reversed_on, plan_year, benefit, 1, reversed_fen, 0 FROM claim_reversals WHERE step = 'payment'
            UNION ALL
            SELECT 'paid', date, plan_year, benefit, -1, -reversed_fen, 0 FROM claim_reversals WHERE step = 'payment'
            UNION ALL
            SELECT 'pending', filed_on, plan_year, benefit, 1, computed_fen, 0 FROM claims
            WHERE NOT (state = 'rejected' AND rejection_code IS NOT NULL AND rejection_code != 'approver')
            UNION ALL
            SELECT 'pending', e.date, c.plan_year, c.benefit, -1, -c.computed_fen, 0
            FROM events e JOIN claims c ON c.claim_id = CAST(json_extract(CAST(e.body AS TEXT), '$.data.claim') AS TEXT)
            WHERE e.kind = 'claim.rejected'
        ) GROUP BY measure, date, plan_year, benefit;
        """
}
