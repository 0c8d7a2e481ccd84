import Foundation
import GRDB
import Ledger
import MutualAid

/// The mutual-aid tables, in the ledger's SQLite file.
///
/// All but four are projections of the log, rebuilt exactly by a replay. Three of the
/// exceptions hold personal data (PIPL): `member_personal` and `claim_personal` keep the
/// fields and salts behind the commitments the events carry, and are deleted on erasure, and
/// `erased_residents` keeps what an erasure leaves. The fourth, `statement_index_kept`, keeps
/// the newest statement index's entries beside its event, checked against it at each use.
public enum MutualAidSchema {
    /// Tables that hold personal data (deleted or kept as tombstones on erasure).
    public static let personalDataTables: Set<String> = ["member_personal", "claim_personal", "erased_residents"]
    /// Tables that are not projections and must not be compared with a replay.
    public static let tablesNotReplayed: Set<String> = personalDataTables.union(["statement_index_kept"])

    public static func migrate(_ store: SQLiteLedgerStore) throws {
        try store.migrate(migrator)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("mutual-aid-v1") { db in
            try db.execute(sql: """
                CREATE TABLE plans (
                    year INTEGER PRIMARY KEY,
                    plan_id TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    rules TEXT NOT NULL
                ) STRICT;

                CREATE TABLE units (
                    unit_id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    seq INTEGER NOT NULL
                ) STRICT, WITHOUT ROWID;

                CREATE TABLE members (
                    member_id TEXT PRIMARY KEY,
                    sex TEXT NOT NULL,
                    commitment TEXT NOT NULL,
                    first_seq INTEGER NOT NULL,
                    erased_seq INTEGER
                ) STRICT, WITHOUT ROWID;

                CREATE TABLE enrolments (
                    member_id TEXT NOT NULL,
                    plan_year INTEGER NOT NULL,
                    unit_id TEXT NOT NULL,
                    enrolled_on TEXT NOT NULL,
                    coverage_start TEXT NOT NULL,
                    left_on TEXT,
                    is_new INTEGER NOT NULL,
                    seq INTEGER NOT NULL,
                    PRIMARY KEY (member_id, plan_year)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX enrolments_by_unit ON enrolments(unit_id, plan_year);

                CREATE TABLE member_personal (
                    member_id TEXT PRIMARY KEY,
                    resident_id TEXT NOT NULL UNIQUE,
                    salt BLOB NOT NULL,
                    fields TEXT NOT NULL
                ) STRICT;

                CREATE TABLE unit_contributions (
                    unit_id TEXT NOT NULL,
                    plan_year INTEGER NOT NULL,
                    billed_headcount INTEGER NOT NULL DEFAULT 0,
                    billed_unit_fen INTEGER NOT NULL DEFAULT 0,
                    billed_subsidy_fen INTEGER NOT NULL DEFAULT 0,
                    received_fen INTEGER NOT NULL DEFAULT 0,
                    refunded_fen INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (unit_id, plan_year)
                ) STRICT, WITHOUT ROWID;

                CREATE TABLE subsidies (
                    plan_year INTEGER PRIMARY KEY,
                    received_fen INTEGER NOT NULL
                ) STRICT;

                CREATE TABLE claims (
                    claim_id TEXT PRIMARY KEY,
                    member_id TEXT NOT NULL,
                    unit_id TEXT NOT NULL,
                    plan_year INTEGER NOT NULL,
                    benefit TEXT NOT NULL,
                    settlement_key TEXT NOT NULL,
                    service_date TEXT NOT NULL,
                    filed_on TEXT NOT NULL,
                    filed_seq INTEGER NOT NULL,
                    filer TEXT NOT NULL,
                    state TEXT NOT NULL,
                    computed_fen INTEGER NOT NULL,
                    approved_fen INTEGER,
                    paid_fen INTEGER,
                    rejection_code TEXT,
                    rejection_reason TEXT,
                    reviewer TEXT,
                    approvers TEXT NOT NULL DEFAULT '',
                    approved_on TEXT,
                    paid_on TEXT,
                    payment_batch TEXT
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX claims_by_member ON claims(member_id, plan_year, benefit);
                CREATE INDEX claims_by_state ON claims(state, plan_year);
                CREATE INDEX claims_by_settlement ON claims(settlement_key);

                CREATE TABLE cap_usage (
                    member_id TEXT NOT NULL,
                    plan_year INTEGER NOT NULL,
                    benefit TEXT NOT NULL,
                    used_fen INTEGER NOT NULL,
                    PRIMARY KEY (member_id, plan_year, benefit)
                ) STRICT, WITHOUT ROWID;

                CREATE TABLE claim_personal (
                    claim_id TEXT PRIMARY KEY,
                    member_id TEXT NOT NULL,
                    salt BLOB NOT NULL,
                    fields TEXT NOT NULL
                ) STRICT;
                CREATE INDEX claim_personal_by_member ON claim_personal(member_id);
                """)
        }
        // The fund report and the claims register read claims by the day they were filed,
        // approved, paid or rejected, month by month. These indexes make each of those a
        // range read of one month's claims instead of a scan of every claim (or of the log):
        // - claims_by_filed_on / _approved_on / _paid_on: claims filed, finally approved
        //   (人次 by benefit) and paid in a date range; the partial ones skip undecided claims.
        // - events_claim_rejected_by_date: the `claims` table keeps no rejection date, so an
        //   approver's rejection is found by its `claim.rejected` event's date; the index
        //   holds only those events, a small slice of the log.
        // Indexes only: no table changes shape, so a replay rebuilds the same rows.
        migrator.registerMigration("mutual-aid-v2-report-indexes") { db in
            try db.execute(sql: """
                CREATE INDEX claims_by_filed_on ON claims(filed_on);
                CREATE INDEX claims_by_approved_on ON claims(approved_on) WHERE approved_on IS NOT NULL;
                CREATE INDEX claims_by_paid_on ON claims(paid_on) WHERE paid_on IS NOT NULL;
                CREATE INDEX claims_by_unit ON claims(unit_id, plan_year);
                CREATE INDEX events_claim_rejected_by_date ON events(kind, date) WHERE kind = 'claim.rejected';
                """)
        }
        // No query looks claims up by settlement: a repeated settlement is found through
        // the claim event's idempotency key ("claim:" + settlement), which the events table
        // already indexes. The index only cost every filed claim a random B-tree insert.
        migrator.registerMigration("mutual-aid-v3-drop-unused-settlement-index") { db in
            try db.execute(sql: "DROP INDEX claims_by_settlement")
        }
        // A claim's approval or payment reversed (`claim.approval-revoked`, `claim.payment-returned`):
        // the claims row goes back to the step before, and this table keeps what was undone, so
        // the reports still count the approval or payment in the month it was made and count the
        // reversal, negatively, in the month of the reversal. A closed month's figures never move.
        // - reversed_on / reversed_fen: the date and amount of the approval or payment undone.
        // - date: the reversal's own date. Indexed both ways for the reports' range reads.
        // The reversals of bills, receipts, refunds and subsidies are found by their events'
        // dates (a partial index holding only those events): the fund report nets them out of
        // the lines billed, received and refunded in the month they are dated.
        migrator.registerMigration("mutual-aid-v4-claim-reversals") { db in
            try db.execute(sql: """
                CREATE TABLE claim_reversals (
                    seq INTEGER PRIMARY KEY,
                    claim_id TEXT NOT NULL,
                    unit_id TEXT NOT NULL,
                    plan_year INTEGER NOT NULL,
                    benefit TEXT NOT NULL,
                    step TEXT NOT NULL CHECK (step IN ('approval', 'payment')),
                    reversed_seq INTEGER NOT NULL,
                    reversed_on TEXT NOT NULL,
                    reversed_fen INTEGER NOT NULL,
                    date TEXT NOT NULL
                ) STRICT;
                CREATE INDEX claim_reversals_by_date ON claim_reversals(date);
                CREATE INDEX claim_reversals_by_reversed_on ON claim_reversals(reversed_on);
                CREATE INDEX claim_reversals_by_claim ON claim_reversals(claim_id);
                CREATE INDEX events_contribution_reversals_by_date ON events(kind, date)
                    WHERE kind IN ('contribution.reversed', 'subsidy.reversed');
                """)
        }
        // approvable_fen: the most a claim whose approval was revoked may be approved for, and
        // what it counts against the caps until it is decided again (NULL: its assessment,
        // computed_fen). Claims filed after the approval may have spent the caps it gave back.
        // corrected_seq / corrected_on: the claim's latest correction (any revocation, a first
        // of two approvals withdrawn included, or a returned payment) and the latest date of
        // one, which its later steps may not precede and a repeated correction is found by.
        // Filled from the log for corrections recorded before. They replace the lookup of a
        // claim's corrections in claim_reversals, which left out a first of two approvals
        // withdrawn, so that table's index by claim has no reader left and goes.
        migrator.registerMigration("mutual-aid-v5-claim-corrections") { db in
            try db.execute(sql: """
                DROP INDEX claim_reversals_by_claim;
                ALTER TABLE claims ADD COLUMN approvable_fen INTEGER;
                ALTER TABLE claims ADD COLUMN corrected_seq INTEGER;
                ALTER TABLE claims ADD COLUMN corrected_on TEXT;
                UPDATE claims SET corrected_seq = c.seq, corrected_on = c.date
                FROM (SELECT CAST(json_extract(CAST(body AS TEXT), '$.data.claim') AS TEXT) AS claim_id, max(seq) AS seq, max(date) AS date
                      FROM events WHERE kind IN ('claim.approval-revoked', 'claim.payment-returned') GROUP BY 1) AS c
                WHERE claims.claim_id = c.claim_id;
                """)
        }
        // erased_residents: what an erasure leaves so the person cannot come back as a new
        // member in a year they were already enrolled for (a second annual cap, a second head
        // billed): a keyed hash of the resident ID (`ResidentTombstone`), never the ID. Not a
        // projection (the log never held the ID), so a replay leaves it out. Erasures made
        // before this migration left none: their IDs were already gone.
        migrator.registerMigration("mutual-aid-v6-erasure-tombstones") { db in
            try db.execute(sql: """
                CREATE TABLE erased_residents (
                    resident_hash TEXT NOT NULL,
                    member_id TEXT NOT NULL,
                    erased_seq INTEGER NOT NULL,
                    PRIMARY KEY (resident_hash, member_id)
                ) STRICT, WITHOUT ROWID;
                """)
        }
        // step_seqs: the seqs of a claim's steps after its filing (review, approvals,
        // rejection, payment, corrections), in seq order, each after a comma (",812,1377"),
        // so a member's statement finds its claims' events from their rows instead of
        // searching every step event of the log for the claim's id. Filled from the log for
        // the steps recorded before, in seq order as the projection appends them.
        migrator.registerMigration("mutual-aid-v7-claim-step-seqs") { db in
            try db.execute(sql: "ALTER TABLE claims ADD COLUMN step_seqs TEXT NOT NULL DEFAULT ''")
            let steps = try db.makeStatement(sql: """
                SELECT seq, CAST(json_extract(CAST(body AS TEXT), '$.data.claim') AS TEXT) FROM events
                WHERE kind IN (\(MutualAidKinds.claimSteps.map { "'\($0.name)'" }.sorted().joined(separator: ", "))) ORDER BY seq
                """)
            // As each step's own update of the row appends it (`ClaimProjection.progressed`).
            let append = try db.makeStatement(sql: "UPDATE claims SET step_seqs = step_seqs || ',' || ? WHERE claim_id = ?")
            let cursor = try Row.fetchCursor(steps)
            while let row = try cursor.next() {
                try append.execute(arguments: [row[0] as Int64, row[1] as String])
            }
        }
        // statement_index_kept: the entries of the newest statement index (`huzhu member index`,
        // FORMAT §10), one row per subject in the index's order, so a member's statement proves
        // its entry from these leaves instead of recounting the whole log. Not a projection: it
        // is written beside the `statements.indexed` event, and a statement uses it only when
        // its leaves give the root that event signed (and each entry its leaf), else it
        // recounts from the log; the audit recounts the root from the log in any case.
        migrator.registerMigration("mutual-aid-v8-statement-index-kept") { db in
            try db.execute(sql: """
                CREATE TABLE statement_index_kept (
                    position INTEGER PRIMARY KEY,
                    subject TEXT NOT NULL UNIQUE,
                    index_seq INTEGER NOT NULL,
                    leaf BLOB NOT NULL,
                    entry BLOB NOT NULL
                ) STRICT;
                """)
        }
        // claim_day_tallies: the fund report's claim figures per day, plan year and benefit
        // (`ClaimDayTallies`), filled for the claims recorded before from the claims table.
        // The reports' sums over claim_reversals by the day of the step undone were the only
        // readers of claim_reversals_by_reversed_on, which goes.
        migrator.registerMigration("mutual-aid-v9-claim-day-tallies") { db in
            try db.execute(sql: ClaimDayTallies.migration + "DROP INDEX claim_reversals_by_reversed_on;")
        }
        // plans: one row per publication (`plan.published`), first publications and
        // amendments alike, where the table kept one row per year that each publication
        // replaced: an amendment takes effect from its day (effective_on, NULL for a first
        // publication), so the rules it replaced still assess earlier service dates. Filled
        // from the log, each publication's rules in canonical JSON as the projection writes them.
        migrator.registerMigration("mutual-aid-v10-plan-publications") { db in
            try db.execute(sql: """
                DROP TABLE plans;
                CREATE TABLE plans (
                    seq INTEGER PRIMARY KEY,
                    year INTEGER NOT NULL,
                    plan_id TEXT NOT NULL,
                    effective_on TEXT,
                    rules TEXT NOT NULL
                ) STRICT;
                CREATE INDEX plans_by_year ON plans(year);
                """)
            let insert = try db.makeStatement(sql: "INSERT INTO plans (seq, year, plan_id, effective_on, rules) VALUES (?, ?, ?, ?, ?)")
            let published = try Row.fetchCursor(db, sql: "SELECT seq, body FROM events WHERE kind = ? ORDER BY seq",
                                                arguments: [MutualAidKinds.planPublished.name])
            while let row = try published.next() {
                let event = try PlanPublishedEvent(event: RecordedEvent(body: [UInt8](row[1] as Data), signature: []))
                try insert.execute(arguments: [row[0] as Int64, event.year, event.planID, event.amendment?.effective.text,
                                               String(decoding: try CanonicalJSON.encode(event.rules), as: UTF8.self)])
            }
        }
        return migrator
    }
}
