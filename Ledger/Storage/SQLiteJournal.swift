import GRDB
import GRDBSQLite

/// Moves a connection between SQLite's two journals: WAL at rest, so that readers never
/// wait for a writer, and the rollback journal for a batch that has the file to itself
/// (`WriteSharing.exclusiveWhenAlone`), which then writes each page once.
///
/// Changing journal needs the file to itself. Every switch is attempted without waiting
/// (a busy timeout of zero) and given up quietly when another connection holds the file:
/// it is an optimisation, never a reason to fail a command.
enum SQLiteJournal {
    /// Puts a newly opened connection in WAL mode. When the file is held (by a batch in the
    /// rollback journal, or for a moment by a connection closing), the connection waits for
    /// it like any reader and follows the journal the file is in: fully synced in rollback
    /// mode, which needs its journal to survive a power cut (the next connection opened
    /// afterwards returns the file to WAL).
    static func enterWAL(_ db: Database) throws {
        guard try !switchWithoutWaiting(db, to: "wal") else {
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            return
        }
        _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_schema")  // waits, reading the file's header
        let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode")
        try db.execute(sql: mode == "wal" ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL")
    }

    /// Switches to the rollback journal if no other connection has the file open; returns
    /// whether it did. Until `leaveRollback`, a transaction that writes through it holds
    /// other processes off (`SQLiteLedgerStore` begins it EXCLUSIVE).
    static func enterRollback(_ db: Database) throws -> Bool {
        guard try switchWithoutWaiting(db, to: "delete") else { return false }
        try db.execute(sql: "PRAGMA synchronous = FULL")
        return true
    }

    /// Returns the file to WAL after a batch. Should another connection hold the file by
    /// then (another batch may begin the moment this one commits), it is left to the next
    /// connection opened, and this one stays fully synced, right for either journal.
    static func leaveRollback(_ db: Database) {
        if (try? switchWithoutWaiting(db, to: "wal")) == true {
            try? db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
    }

    /// Sets the journal mode to `mode` unless another connection stops that right away.
    private static func switchWithoutWaiting(_ db: Database, to mode: String) throws -> Bool {
        sqlite3_busy_timeout(db.sqliteConnection, 0)
        defer { sqlite3_busy_timeout(db.sqliteConnection, Int32(SQLiteLedgerStore.busyTimeout * 1000)) }
        do {
            // Stepped to its end: the change commits when the statement ends, and a lock
            // refused then must come back as an error, not after "wal" was already read.
            return try String.fetchAll(db, sql: "PRAGMA journal_mode = \(mode)").first == mode
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            return false
        }
    }
}
