import GRDB

/// The SQLite schema: the append-only log and Merkle nodes, and the projections that are
/// rebuilt from them.
///
/// Log tables are STRICT and guarded by triggers that refuse UPDATE and DELETE, so a
/// mistake is corrected by a reversing entry, never by editing the past. The triggers
/// are a guard rail, not the proof: `huzhu verify` detects edits made without them.
enum SQLiteSchema {
    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("ledger-v1") { db in
            try db.execute(sql: """
                CREATE TABLE ledger_info (
                    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                    id TEXT NOT NULL,
                    name TEXT NOT NULL
                ) STRICT;

                CREATE TABLE events (
                    seq INTEGER PRIMARY KEY CHECK (seq >= 1),
                    hash BLOB NOT NULL CHECK (length(hash) = 32),
                    body BLOB NOT NULL,
                    signature BLOB NOT NULL CHECK (length(signature) = 64),
                    kind TEXT NOT NULL,
                    time TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    date TEXT,
                    idempotency_key TEXT
                ) STRICT;
                CREATE UNIQUE INDEX events_by_idempotency_key ON events(idempotency_key) WHERE idempotency_key IS NOT NULL;
                CREATE INDEX events_by_kind ON events(kind, seq);

                CREATE TABLE merkle_nodes (
                    level INTEGER NOT NULL CHECK (level >= 1),
                    idx INTEGER NOT NULL,
                    hash BLOB NOT NULL CHECK (length(hash) = 32),
                    PRIMARY KEY (level, idx)
                ) STRICT, WITHOUT ROWID;

                CREATE TABLE checkpoints (
                    tree_size INTEGER PRIMARY KEY,
                    root BLOB NOT NULL,
                    time TEXT NOT NULL,
                    key_id TEXT NOT NULL,
                    signature BLOB NOT NULL,
                    seq INTEGER NOT NULL
                ) STRICT;

                CREATE TABLE accounts (
                    code TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    type TEXT NOT NULL,
                    opened_seq INTEGER NOT NULL,
                    closed_seq INTEGER
                ) STRICT, WITHOUT ROWID;

                CREATE TABLE keys (
                    key_id TEXT PRIMARY KEY,
                    public_key BLOB NOT NULL,
                    roles TEXT NOT NULL,
                    holder TEXT NOT NULL,
                    registered_seq INTEGER NOT NULL,
                    revoked_seq INTEGER
                ) STRICT, WITHOUT ROWID;

                CREATE TABLE account_day_totals (
                    account TEXT NOT NULL,
                    day TEXT NOT NULL,
                    debit_fen INTEGER NOT NULL,
                    credit_fen INTEGER NOT NULL,
                    PRIMARY KEY (account, day)
                ) STRICT, WITHOUT ROWID;

                CREATE TABLE closed_periods (
                    period TEXT PRIMARY KEY,
                    seq INTEGER NOT NULL
                ) STRICT, WITHOUT ROWID;

                CREATE TABLE reversals (
                    original_seq INTEGER PRIMARY KEY,
                    reversal_seq INTEGER NOT NULL
                ) STRICT;
                """)
            for table in ["events", "merkle_nodes", "checkpoints"] {
                try db.execute(sql: """
                    CREATE TRIGGER \(table)_refuse_update BEFORE UPDATE ON \(table)
                    BEGIN SELECT RAISE(ABORT, '\(table) are append-only: UPDATE is refused; post a reversing entry instead'); END;
                    CREATE TRIGGER \(table)_refuse_delete BEFORE DELETE ON \(table)
                    BEGIN SELECT RAISE(ABORT, '\(table) are append-only: DELETE is refused'); END;
                    """)
            }
        }
        return migrator
    }
}
