import Foundation
import GRDB
import GRDBSQLite
import Ledger

/// Reads each claim's member (sex, enrolments and caps used), and whether its settlement is
/// on file, on the thread that reads a settlement file, through a read-only connection of
/// its own, so the filing thread need not.
///
/// The filing thread is what limits a batch: everything it does is in order, in one write
/// transaction. What the batch asks of the state it began from can be read beside it, from
/// one snapshot: the lookup opens a read transaction at once and notes the head of the log
/// it sees (ledger, size, last event's hash). The filing session uses the answers only if
/// it began from that same head, which means no other writer committed between the two;
/// otherwise it reads everything itself, as it does without a lookup. Members and
/// enrolments do not change while claims are filed; caps used and settlements do, so the
/// session takes those answers only for members and settlements it has not yet filed
/// for (`BloomFilter`).
///
/// ```swift
/// let lookup = try ClaimantLookup(book: book)
/// let rows = Prefetcher { try reader.next().map(lookup.attach) }  // on the reading thread
/// try book.file(next: { try rows.next() }, lookup: lookup, signer: key) { _ in }
/// ```
///
/// `MutualAidBook.file` finishes the lookup before it commits: an open read transaction
/// on an older snapshot would keep the commit's checkpoint from copying the batch into
/// the database file.
///
/// It talks to SQLite directly, three prepared statements under a lock, binding and reading
/// rows as `Database.rows` does: a batch asks it a million times, and a `DatabaseQueue`
/// access per claim cost as much as the query.
public final class ClaimantLookup: @unchecked Sendable {
    private let lock = NSLock()
    private var connection: OpaquePointer?
    private var statement: OpaquePointer?
    private var capsStatement: OpaquePointer?
    private var settlementStatement: OpaquePointer?
    /// The head of the log in the snapshot every answer comes from.
    let snapshot: Claimant.LogHead

    /// Opens a read-only connection to `book`'s ledger file and begins its snapshot.
    /// Fails when the book is not kept in SQLite.
    public init(book: MutualAidBook) throws {
        guard let store = book.ledger.store as? SQLiteLedgerStore else {
            throw LedgerStoreError.notALedger("the claimant lookup needs the SQLite store")
        }
        var handle: OpaquePointer?
        var prepared: OpaquePointer?
        var preparedCaps: OpaquePointer?
        var preparedSettlement: OpaquePointer?
        // No SQLite mutex on the connection (multi-thread mode): `lock` already serialises
        // every use of it, and SQLite's own locking was a visible share of a lookup.
        let opened = sqlite3_open_v2(store.path, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        do {
            try Self.check(opened, handle)
            sqlite3_busy_timeout(handle, Int32(SQLiteLedgerStore.busyTimeout * 1000))
            try Self.check(sqlite3_exec(handle, "BEGIN DEFERRED", nil, nil, nil), handle)
            var head: OpaquePointer?
            try Self.check(sqlite3_prepare_v2(handle, """
                SELECT (SELECT id FROM ledger_info), coalesce(max(seq), 0), (SELECT hash FROM events ORDER BY seq DESC LIMIT 1) FROM events
                """, -1, &head, nil), handle)
            defer { sqlite3_finalize(head) }
            let code = sqlite3_step(head)
            guard code == SQLITE_ROW else { throw Self.error(code, handle) }
            let row = FetchedRow(statement: head)
            snapshot = Claimant.LogHead(ledgerID: row[0] as String? ?? "", size: row[1], hash: (row[2] as Data?).map { Array($0) } ?? SHA256Hash.zero.bytes)
            try Self.check(sqlite3_prepare_v2(handle, Claimant.selection, -1, &prepared, nil), handle)
            try Self.check(sqlite3_prepare_v2(handle, Claimant.capsSelection, -1, &preparedCaps, nil), handle)
            try Self.check(sqlite3_prepare_v2(handle, Self.settlementSelection, -1, &preparedSettlement, nil), handle)
        } catch {
            sqlite3_finalize(prepared)
            sqlite3_finalize(preparedCaps)
            sqlite3_finalize(preparedSettlement)
            sqlite3_close_v2(handle)
            throw error
        }
        connection = handle
        statement = prepared
        capsStatement = preparedCaps
        settlementStatement = preparedSettlement
    }

    deinit { finish() }

    /// `input` with its member (and the caps they had used) read ahead. Called on the
    /// reading thread.
    ///
    /// Never fails the import: the lookup is only a shortcut, so should SQLite refuse it
    /// anything, it finishes and leaves every later member to the session.
    public func attach(_ input: ClaimInput) -> ClaimInput {
        lock.withLock {
            do {
                return try prefetch(input)
            } catch {
                close()
                return input
            }
        }
    }

    /// `attach`, with the lock held: the same statements and row decoding the session
    /// uses when it reads for itself.
    private func prefetch(_ input: ClaimInput) throws -> ClaimInput {
        // Finished: the session reads the member itself.
        guard let statement, let capsStatement, let settlementStatement else { return input }
        let member: SQLArguments = [input.member.value]
        var claimant = Claimant(rows: try member.rows(of: statement, sql: Claimant.selection))
        if claimant != nil { claimant?.capsUsed = Claimant.capsUsed(try member.rows(of: capsStatement, sql: Claimant.capsSelection)) }
        let settlement: SQLArguments = ["claim:" + input.settlementKey]
        let settlementClaim: Int64? = try settlement.rows(of: settlementStatement, sql: Self.settlementSelection, limit: 1).first?[0]
        var attached = input
        attached.prefetched = Claimant.Prefetched(claimant: claimant, settlementClaim: settlementClaim, snapshot: snapshot)
        return attached
    }

    /// The claim filed with a settlement, by its event's idempotency key.
    private static let settlementSelection = "SELECT seq FROM events WHERE idempotency_key = ?"

    /// Ends the snapshot and closes the connection. Safe to call more than once, and while
    /// the reading thread is still attaching: inputs attached after it go to the session
    /// without a claimant.
    func finish() {
        lock.withLock { close() }
    }

    /// `finish`, with the lock held.
    private func close() {
        sqlite3_finalize(statement)
        sqlite3_finalize(capsStatement)
        sqlite3_finalize(settlementStatement)
        statement = nil
        capsStatement = nil
        settlementStatement = nil
        sqlite3_close_v2(connection)  // ends the read transaction
        connection = nil
    }

    private static func check(_ code: Int32, _ connection: OpaquePointer?) throws {
        guard code == SQLITE_OK else { throw error(code, connection) }
    }

    private static func error(_ code: Int32, _ connection: OpaquePointer?) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: connection.map { String(cString: sqlite3_errmsg($0)) })
    }
}
