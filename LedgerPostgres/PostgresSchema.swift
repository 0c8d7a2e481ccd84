/// The PostgreSQL schema: the same tables and columns as the SQLite store's
/// (`SQLiteSchema`), so a ledger moves between the two row for row.
///
/// Plain SQL only (what KingbaseES in PostgreSQL mode and openGauss also run): tables,
/// indexes, a PL/pgSQL trigger function that refuses UPDATE, DELETE and TRUNCATE on the
/// log tables, and `ledger_lock`, one row every write locks `FOR UPDATE` before it reads
/// the chain's head, so writers on any number of machines queue and never fork the chain.
/// No extensions, no advisory locks.
enum PostgresSchema {
    /// Migrations after `ledgerV1`, run in order on every open (each once, by the tables'
    /// owner), recorded in `schema_versions`.
    ///
    /// ledger-v2-chain-head: the chain's head in the row writers lock (`ChainHead`): the size,
    /// the last hash, the frontier's hashes (32 bytes each, largest subtree first) and the
    /// debits total, so a writer reads them in the statement that takes the lock rather
    /// than from the Merkle nodes, each a round trip. NULL, or a size the events table does
    /// not end at (a copy, a replay, an older Huzhu), is not trusted: the head is then read
    /// from the log and written again.
    static let migrations: [(name: String, statements: [String])] = [
        ("ledger-v2-chain-head", [
            "ALTER TABLE ledger_lock ADD COLUMN tree_size BIGINT, ADD COLUMN last_hash BYTEA, ADD COLUMN frontier BYTEA, ADD COLUMN debits_fen BIGINT",
        ]),
    ]

    static let ledgerV1: [String] = [
        "CREATE TABLE schema_versions (name TEXT PRIMARY KEY)",
        "CREATE TABLE ledger_lock (singleton INTEGER PRIMARY KEY CHECK (singleton = 1))",
        "INSERT INTO ledger_lock VALUES (1)",
        "CREATE TABLE ledger_info (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), id TEXT NOT NULL, name TEXT NOT NULL)",
        """
        CREATE TABLE events (
            seq BIGINT PRIMARY KEY CHECK (seq >= 1),
            hash BYTEA NOT NULL CHECK (length(hash) = 32),
            body BYTEA NOT NULL,
            signature BYTEA NOT NULL CHECK (length(signature) = 64),
            kind TEXT NOT NULL,
            time TEXT NOT NULL,
            actor TEXT NOT NULL,
            date TEXT,
            idempotency_key TEXT
        )
        """,
        "CREATE UNIQUE INDEX events_by_idempotency_key ON events (idempotency_key) WHERE idempotency_key IS NOT NULL",
        "CREATE INDEX events_by_kind ON events (kind, seq)",
        """
        CREATE TABLE merkle_nodes (level INTEGER NOT NULL CHECK (level >= 1), idx BIGINT NOT NULL,
                                   hash BYTEA NOT NULL CHECK (length(hash) = 32), PRIMARY KEY (level, idx))
        """,
        """
        CREATE TABLE checkpoints (tree_size BIGINT PRIMARY KEY, root BYTEA NOT NULL, time TEXT NOT NULL, key_id TEXT NOT NULL,
                                  signature BYTEA NOT NULL, seq BIGINT NOT NULL)
        """,
        "CREATE TABLE accounts (code TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, opened_seq BIGINT NOT NULL, closed_seq BIGINT)",
        """
        CREATE TABLE keys (key_id TEXT PRIMARY KEY, public_key BYTEA NOT NULL, roles TEXT NOT NULL, holder TEXT NOT NULL,
                           registered_seq BIGINT NOT NULL, revoked_seq BIGINT)
        """,
        """
        CREATE TABLE account_day_totals (account TEXT NOT NULL, day TEXT NOT NULL, debit_fen BIGINT NOT NULL, credit_fen BIGINT NOT NULL,
                                         PRIMARY KEY (account, day))
        """,
        "CREATE TABLE closed_periods (period TEXT PRIMARY KEY, seq BIGINT NOT NULL)",
        "CREATE TABLE reversals (original_seq BIGINT PRIMARY KEY, reversal_seq BIGINT NOT NULL)",
        """
        CREATE FUNCTION huzhu_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% are append-only: % is refused; post a reversing entry instead', TG_TABLE_NAME, TG_OP;
        END
        $$
        """,
    ] + ["events", "merkle_nodes", "checkpoints"].flatMap { table in
        ["CREATE TRIGGER \(table)_refuse_change BEFORE UPDATE OR DELETE ON \(table) FOR EACH ROW EXECUTE FUNCTION huzhu_refuse_change()",
         "CREATE TRIGGER \(table)_refuse_truncate BEFORE TRUNCATE ON \(table) FOR EACH STATEMENT EXECUTE FUNCTION huzhu_refuse_change()"]
    } + ["INSERT INTO schema_versions VALUES ('ledger-v1')"]
}
