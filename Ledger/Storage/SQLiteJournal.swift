import GRDB
import GRDBSQLite

/// Moves a connection between SQLite's two journals: WAL at rest, so that readers never
/// wait for a writer, and the rollback journal for a batch that has the file to itself
/// (`WriteSharing.exclusiveWhenAlone`), which then writes each page once.
///
/// Changing journal needs the file to itself. Every attempt here is made without waiting
/// (a busy timeout of zero) and gives up quietly when another connection holds the file:
/// it is an optimisation, never a reason to fail or to stall a command.
enum SQLiteJournal {
    /// Puts a newly opened connection in WAL mode. When a batch holds the file in rollback
    /// mode, the connection stays in that mode and waits on the batch's locks like any
    /// reader (the next connection opened afterwards returns the file to WAL); it then
    /// syncs fully, as the rollback journal needs to survive a power cut.
    static func enterWAL(_ db: Database) throws {
        if try switchWithoutWaiting(db, to: "wal") {
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        } else {
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
    }

    /// Switches to the rollback journal if no other connection has the file open; returns
    /// whether it did. Until `leaveRollback`, the connection's write transactions hold
    /// other processes off once they write to the file.
    static func enterRollback(_ db: Database) throws -> Bool {
        guard try switchWithoutWaiting(db, to: "delete") else { return false }
        try db.execute(sql: "PRAGMA synchronous = FULL")
        return true
    }

    /// Returns the file to WAL after a batch. Should another process have opened the file
    /// meanwhile, it is left to that connection (or the next one) to do.
    static func leaveRollback(_ db: Database) {
        try? enterWAL(db)
    }

    /// Sets the journal mode to `mode` unless another connection stops that right away.
    private static func switchWithoutWaiting(_ db: Database, to mode: String) throws -> Bool {
        sqlite3_busy_timeout(db.sqliteConnection, 0)
        defer { sqlite3_busy_timeout(db.sqliteConnection, Int32(SQLiteLedgerStore.busyTimeout * 1000)) }
        do {
            return try String.fetchOne(db, sql: "PRAGMA journal_mode = \(mode)") == mode
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            return false
        }
    }
}
