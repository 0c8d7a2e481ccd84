import LedgerPostgres

/// The mutual-aid register's tables on PostgreSQL: the same tables and columns as a ledger
/// file's (`MutualAidSchema`, after all its migrations), so the register moves between the
/// two row for row and a report reads the same figures from either.
///
/// Plain SQL only, as the ledger's own tables (`PostgresSchema`): no extensions. The
/// register reads the log's JSON in three places (a statement's member events, the
/// approvers' rejections by day, the contribution corrections by day) with PostgreSQL's
/// `json` operators, which KingbaseES and openGauss also have.
enum PostgresMutualAidSchema {
    static let migrations: [(name: String, statements: [String])] = [
        ("mutual-aid-v1", [
            "CREATE TABLE plans (year BIGINT PRIMARY KEY, plan_id TEXT NOT NULL, seq BIGINT NOT NULL, rules TEXT NOT NULL)",
            "CREATE TABLE units (unit_id TEXT PRIMARY KEY, name TEXT NOT NULL, seq BIGINT NOT NULL)",
            """
            CREATE TABLE members (member_id TEXT PRIMARY KEY, sex TEXT NOT NULL, commitment TEXT NOT NULL, first_seq BIGINT NOT NULL,
                                  erased_seq BIGINT)
            """,
            """
            CREATE TABLE enrolments (member_id TEXT NOT NULL, plan_year BIGINT NOT NULL, unit_id TEXT NOT NULL, enrolled_on TEXT NOT NULL,
                                     coverage_start TEXT NOT NULL, left_on TEXT, is_new BIGINT NOT NULL, seq BIGINT NOT NULL,
                                     PRIMARY KEY (member_id, plan_year))
            """,
            "CREATE INDEX enrolments_by_unit ON enrolments (unit_id, plan_year)",
            """
            CREATE TABLE member_personal (member_id TEXT PRIMARY KEY, resident_id TEXT NOT NULL UNIQUE, salt BYTEA NOT NULL,
                                          fields TEXT NOT NULL)
            """,
            """
            CREATE TABLE unit_contributions (unit_id TEXT NOT NULL, plan_year BIGINT NOT NULL, billed_headcount BIGINT NOT NULL DEFAULT 0,
                                             billed_unit_fen BIGINT NOT NULL DEFAULT 0, billed_subsidy_fen BIGINT NOT NULL DEFAULT 0,
                                             received_fen BIGINT NOT NULL DEFAULT 0, refunded_fen BIGINT NOT NULL DEFAULT 0,
                                             PRIMARY KEY (unit_id, plan_year))
            """,
            "CREATE TABLE subsidies (plan_year BIGINT PRIMARY KEY, received_fen BIGINT NOT NULL)",
            """
            CREATE TABLE claims (claim_id TEXT PRIMARY KEY, member_id TEXT NOT NULL, unit_id TEXT NOT NULL, plan_year BIGINT NOT NULL,
                                 benefit TEXT NOT NULL, settlement_key TEXT NOT NULL, service_date TEXT NOT NULL, filed_on TEXT NOT NULL,
                                 filed_seq BIGINT NOT NULL, filer TEXT NOT NULL, state TEXT NOT NULL, computed_fen BIGINT NOT NULL,
                                 approved_fen BIGINT, paid_fen BIGINT, rejection_code TEXT, rejection_reason TEXT, reviewer TEXT,
                                 approvers TEXT NOT NULL DEFAULT '', approved_on TEXT, paid_on TEXT, payment_batch TEXT,
                                 approvable_fen BIGINT, corrected_seq BIGINT, corrected_on TEXT, step_seqs TEXT NOT NULL DEFAULT '')
            """,
            "CREATE INDEX claims_by_member ON claims (member_id, plan_year, benefit)",
            "CREATE INDEX claims_by_state ON claims (state, plan_year)",
            "CREATE INDEX claims_by_filed_seq ON claims (filed_seq)",
            "CREATE INDEX claims_by_filed_on ON claims (filed_on)",
            "CREATE INDEX claims_by_approved_on ON claims (approved_on) WHERE approved_on IS NOT NULL",
            "CREATE INDEX claims_by_paid_on ON claims (paid_on) WHERE paid_on IS NOT NULL",
            "CREATE INDEX claims_by_unit ON claims (unit_id, plan_year)",
            "CREATE INDEX claims_by_payment_batch ON claims (payment_batch) WHERE payment_batch IS NOT NULL",
            """
            CREATE TABLE cap_usage (member_id TEXT NOT NULL, plan_year BIGINT NOT NULL, benefit TEXT NOT NULL, used_fen BIGINT NOT NULL,
                                    PRIMARY KEY (member_id, plan_year, benefit))
            """,
            "CREATE TABLE claim_personal (claim_id TEXT PRIMARY KEY, member_id TEXT NOT NULL, salt BYTEA NOT NULL, fields TEXT NOT NULL)",
            "CREATE INDEX claim_personal_by_member ON claim_personal (member_id)",
            """
            CREATE TABLE claim_reversals (seq BIGINT PRIMARY KEY, claim_id TEXT NOT NULL, unit_id TEXT NOT NULL, plan_year BIGINT NOT NULL,
                                          benefit TEXT NOT NULL, step TEXT NOT NULL CHECK (step IN ('approval', 'payment')),
                                          reversed_seq BIGINT NOT NULL, reversed_on TEXT NOT NULL, reversed_fen BIGINT NOT NULL,
                                          date TEXT NOT NULL)
            """,
            "CREATE INDEX claim_reversals_by_date ON claim_reversals (date)",
            """
            CREATE TABLE erased_residents (resident_hash TEXT NOT NULL, member_id TEXT NOT NULL, erased_seq BIGINT NOT NULL,
                                           PRIMARY KEY (resident_hash, member_id))
            """,
            """
            CREATE TABLE statement_index_kept (position BIGINT PRIMARY KEY, subject TEXT NOT NULL UNIQUE, index_seq BIGINT NOT NULL,
                                               leaf BYTEA NOT NULL, entry BYTEA NOT NULL)
            """,
            """
            CREATE TABLE claim_day_tallies (measure TEXT NOT NULL CHECK (measure IN ('approved', 'paid', 'pending')), date TEXT NOT NULL,
                                            plan_year BIGINT NOT NULL, benefit TEXT NOT NULL, count BIGINT NOT NULL, fen BIGINT NOT NULL,
                                            assessed_fen BIGINT NOT NULL, PRIMARY KEY (measure, date, plan_year, benefit))
            """,
        ]),
        // As the ledger file's mutual-aid-v10: a row per publication, amendments with their
        // effective day, filled from the log. `json` (not `jsonb`) keeps the text it was given,
        // so the rules come out as the event's canonical bytes hold them.
        ("mutual-aid-v10-plan-publications", [
            "DROP TABLE plans",
            """
            CREATE TABLE plans (seq BIGINT PRIMARY KEY, year BIGINT NOT NULL, plan_id TEXT NOT NULL, effective_on TEXT,
                                rules TEXT NOT NULL)
            """,
            "CREATE INDEX plans_by_year ON plans (year)",
            """
            INSERT INTO plans (seq, year, plan_id, effective_on, rules)
            SELECT seq, (data ->> 'year')::BIGINT, data ->> 'planId', data ->> 'effective', (data -> 'rules')::TEXT
            FROM (SELECT seq, convert_from(body, 'UTF8')::json -> 'data' AS data FROM events WHERE kind = 'plan.published') AS published
            """,
        ]),
    ]
}
