import Foundation
import GRDB
import GRDBSQLite
import Ledger

/// Reads each claim's member (sex and enrolments) on the thread that reads a settlement
/// file, through a read-only connection of its own, so the filing thread need not.
///
/// The filing thread is what limits a batch: everything it does is in order, in one write
/// transaction. Members and enrolments are not changed by filing claims, so they can be
/// read beside it, from one snapshot: the lookup opens a read transaction at once and
/// notes the size of the log it sees. The filing session uses the answers only if it began
/// from a log of that size. Every change to members is an event, so the sizes agree
/// exactly when no other writer committed between the two; if one did, the session reads
/// each member itself, as it does without a lookup.
///
/// ```swift
/// let lookup = try ClaimantLookup(book: book)
/// let rows = Prefetcher { try reader.next().map(lookup.attach) }
/// try book.file(next: { try rows.next() }, lookup: lookup, signer: key) { _ in }
/// ```
///
/// `MutualAidBook.file` finishes the lookup before it commits: an open read transaction
/// on an older snapshot would keep the commit's checkpoint from copying the batch into
/// the database file.
///
/// It talks to SQLite directly, one prepared statement, under a lock: a batch asks it a
/// million times, and a `DatabaseQueue` access per claim cost as much as the query.
public final class ClaimantLookup: @unchecked Sendable {
    private let lock = NSLock()
    private var connection: OpaquePointer?
    private var statement: OpaquePointer?
    /// The log size of the snapshot every answer comes from.
    let logSize: Int64

    /// Opens a read-only connection to `book`'s ledger file and begins its snapshot.
    /// Fails when the book is not kept in SQLite.
    public init(book: MutualAidBook) throws {
        guard let store = book.ledger.store as? SQLiteLedgerStore else {
            throw LedgerStoreError.notALedger("the claimant lookup needs the SQLite store")
        }
        var handle: OpaquePointer?
        var prepared: OpaquePointer?
        let opened = sqlite3_open_v2(store.path, &handle, SQLITE_OPEN_READONLY, nil)
        do {
            try Self.check(opened, handle)
            sqlite3_busy_timeout(handle, Int32(SQLiteLedgerStore.busyTimeout * 1000))
            try Self.check(sqlite3_exec(handle, "BEGIN DEFERRED", nil, nil, nil), handle)
            var count: OpaquePointer?
            try Self.check(sqlite3_prepare_v2(handle, "SELECT coalesce(max(seq), 0) FROM events", -1, &count, nil), handle)
            defer { sqlite3_finalize(count) }
            let code = sqlite3_step(count)
            guard code == SQLITE_ROW else { throw Self.error(code, handle) }
            logSize = sqlite3_column_int64(count, 0)
            try Self.check(sqlite3_prepare_v2(handle, Claimant.selection, -1, &prepared, nil), handle)
        } catch {
            sqlite3_finalize(prepared)
            sqlite3_close_v2(handle)
            throw error
        }
        connection = handle
        statement = prepared
    }

    deinit { finish() }

    /// `input` with its member read ahead. Called on the reading thread.
    public func attach(_ input: ClaimInput) throws -> ClaimInput {
        var input = input
        try lock.withLock {
            guard let statement else { return }  // finished: the session reads the member itself
            defer { sqlite3_reset(statement); sqlite3_clear_bindings(statement) }
            var member = input.member.value
            var rows: [(sex: String, enrolment: Claimant.Enrolment?)] = []
            try member.withUTF8 { bytes in
                sqlite3_bind_text(statement, 1, UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self),
                                  Int32(bytes.count), nil)
                while true {
                    let code = sqlite3_step(statement)
                    if code == SQLITE_DONE { break }
                    guard code == SQLITE_ROW else { throw Self.error(code, connection) }
                    var enrolment: Claimant.Enrolment?
                    if sqlite3_column_type(statement, 1) != SQLITE_NULL {
                        enrolment = Claimant.Enrolment(year: Int(sqlite3_column_int64(statement, 1)), unit: text(statement, 2),
                                                       coverageStart: text(statement, 3),
                                                       leftOn: sqlite3_column_type(statement, 4) == SQLITE_NULL ? nil : text(statement, 4))
                    }
                    rows.append((text(statement, 0), enrolment))
                }
            }
            let claimant = rows.first.map { Claimant(sex: MemberSex(rawValue: $0.sex) ?? .male, enrolments: rows.compactMap(\.enrolment)) }
            input.prefetched = Claimant.Prefetched(claimant: claimant, logSize: logSize)
        }
        return input
    }

    /// Ends the snapshot and closes the connection. Safe to call more than once, and while
    /// the reading thread is still attaching: inputs attached after it go to the session
    /// without a claimant.
    func finish() {
        lock.withLock {
            sqlite3_finalize(statement)
            statement = nil
            sqlite3_close_v2(connection)  // ends the read transaction
            connection = nil
        }
    }

    private func text(_ statement: OpaquePointer?, _ column: Int32) -> String {
        String(decoding: UnsafeBufferPointer(start: sqlite3_column_text(statement, column),
                                             count: Int(sqlite3_column_bytes(statement, column))), as: UTF8.self)
    }

    private static func check(_ code: Int32, _ connection: OpaquePointer?) throws {
        guard code == SQLITE_OK else { throw error(code, connection) }
    }

    private static func error(_ code: Int32, _ connection: OpaquePointer?) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: connection.map { String(cString: sqlite3_errmsg($0)) })
    }
}
