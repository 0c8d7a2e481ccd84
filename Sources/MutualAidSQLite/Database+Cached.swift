import Foundation
import GRDB
import GRDBSQLite
import Ledger
import MutualAid

/// The values of one statement's `?` parameters, in order, as written at a call site:
/// `["m00000000002d", 2026, nil]`.
///
/// Each value binds itself (`SQLBindable`) rather than converting through GRDB's
/// `DatabaseValue`: a claim binds some twenty values, and the conversion was a visible
/// share of a bulk import.
struct SQLArguments: ExpressibleByArrayLiteral {
    let values: [(any SQLBindable)?]

    init(arrayLiteral elements: (any SQLBindable)?...) {
        values = elements
    }

    /// Values gathered at run time (a query whose conditions depend on its options).
    init(_ values: [(any SQLBindable)?]) {
        self.values = values
    }
}

/// A Swift value that binds to a statement parameter as itself.
protocol SQLBindable {
    /// Binds the value to parameter `index` (1-based) of `handle`, then runs `body` while
    /// the binding holds.
    ///
    /// Text and blobs are bound where they lie (`SQLITE_STATIC`), not copied into memory
    /// SQLite allocates and frees per value: a claim binds a dozen strings. The pointer is
    /// valid only until `body` returns, so the statement must be stepped inside `body`, and
    /// nothing may step it again before it is rebound; `SQLArguments.whileBound` also resets
    /// it and clears its bindings once the values are gone, so none points at freed memory.
    func whileBound(to handle: OpaquePointer?, at index: Int32, _ body: () throws -> Void) rethrows
}

extension String: SQLBindable {
    func whileBound(to handle: OpaquePointer?, at index: Int32, _ body: () throws -> Void) rethrows {
        try SQLiteBinding.whileBound(self, to: handle, at: index, body)
    }
}

extension Int: SQLBindable {
    func whileBound(to handle: OpaquePointer?, at index: Int32, _ body: () throws -> Void) rethrows {
        sqlite3_bind_int64(handle, index, Int64(self))
        try body()
    }
}

extension Int64: SQLBindable {
    func whileBound(to handle: OpaquePointer?, at index: Int32, _ body: () throws -> Void) rethrows {
        sqlite3_bind_int64(handle, index, self)
        try body()
    }
}

extension Data: SQLBindable {
    func whileBound(to handle: OpaquePointer?, at index: Int32, _ body: () throws -> Void) rethrows {
        try withUnsafeBytes { buffer in
            SQLiteBinding.bind(buffer, to: handle, at: index)
            try body()
        }
    }
}

extension SQLArguments {
    /// Binds the values to `handle`, runs `body` (which steps it) while they are bound,
    /// then resets the statement and clears its bindings.
    func whileBound(to handle: OpaquePointer?, sql: @autoclosure () -> String, _ body: () throws -> Void) throws {
        sqlite3_reset(handle)
        guard Int32(values.count) == sqlite3_bind_parameter_count(handle) else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "\(values.count) values for \(sqlite3_bind_parameter_count(handle)) parameters",
                                sql: sql())
        }
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        try bind(from: 0, to: handle, body)
    }

    /// Binds the values from `offset` on, each inside the one before it, and runs `body`
    /// inside the last.
    private func bind(from offset: Int, to handle: OpaquePointer?, _ body: () throws -> Void) throws {
        guard offset < values.count else { return try body() }
        let index = Int32(offset + 1)
        guard let value = values[offset] else {
            sqlite3_bind_null(handle, index)
            return try bind(from: offset + 1, to: handle, body)
        }
        try value.whileBound(to: handle, at: index) { try bind(from: offset + 1, to: handle, body) }
    }

    /// The rows (at most `limit`) the reading statement `handle` gives with these values.
    func rows(of handle: OpaquePointer?, sql: @autoclosure () -> String, limit: Int = .max) throws -> [FetchedRow] {
        var rows: [FetchedRow] = []
        try whileBound(to: handle, sql: sql()) {
            while rows.count < limit {
                let code = sqlite3_step(handle)
                if code == SQLITE_DONE { return }
                guard code == SQLITE_ROW else { throw Self.error(code, handle, sql: sql()) }
                rows.append(FetchedRow(statement: handle))
            }
        }
        return rows
    }

    /// The error SQLite gave `handle`'s connection.
    static func error(_ code: Int32, _ handle: OpaquePointer?, sql: String) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))), sql: sql)
    }
}

extension Database {
    /// Runs a writing statement through SQLite's prepared-statement cache, binding and
    /// stepping it directly.
    ///
    /// Projections run a few statements per event, and bulk imports a million events per
    /// transaction: preparing statements anew, or GRDB's per-statement bookkeeping (which
    /// only observed regions and transaction observers need, and Huzhu has neither), would
    /// cost more than the writes. Reads go through `row` the same way.
    func run(_ sql: String, _ arguments: SQLArguments = []) throws {
        try cachedStatement(sql: sql).run(arguments)
    }

    /// The first row a reading statement gives, read straight from SQLite, or nil.
    /// The lookups a claim or an enrolment makes (member, coverage, caps used) run once
    /// per row of a batch, so they skip GRDB's row machinery as `run` does.
    func row(_ sql: String, _ arguments: SQLArguments = []) throws -> FetchedRow? {
        try rows(sql, arguments, limit: 1).first
    }

    /// Calls `body` with each row a reading statement gives, one at a time, as `row` reads
    /// one: for lists of any length.
    func forEachRow(_ sql: String, _ arguments: SQLArguments = [], _ body: (FetchedRow) throws -> Void) throws {
        let handle = try cachedStatement(sql: sql).sqliteStatement
        try arguments.whileBound(to: handle, sql: sql) {
            while true {
                let code = sqlite3_step(handle)
                if code == SQLITE_DONE { return }
                guard code == SQLITE_ROW else { throw SQLArguments.error(code, handle, sql: sql) }
                try body(FetchedRow(statement: handle))
            }
        }
    }

    /// The rows a reading statement gives (at most `limit`), read as `row` reads one.
    func rows(_ sql: String, _ arguments: SQLArguments = [], limit: Int = .max) throws -> [FetchedRow] {
        try arguments.rows(of: try cachedStatement(sql: sql).sqliteStatement, sql: sql, limit: limit)
    }
}

/// `Database.run` and `Database.row` for a statement a caller keeps prepared (a batch's
/// statements, used a million times).
extension Statement {
    /// Binds `arguments` and steps the statement to its end, as `Database.run` does, for a
    /// statement a caller keeps prepared.
    func run(_ arguments: SQLArguments) throws {
        let handle = sqliteStatement
        // `sql` only for a message: GRDB trims the statement's text each time it is asked.
        try arguments.whileBound(to: handle, sql: sql) {
            var code = sqlite3_step(handle)
            while code == SQLITE_ROW { code = sqlite3_step(handle) }
            guard code == SQLITE_DONE else { throw SQLArguments.error(code, handle, sql: self.sql) }
        }
    }

    /// The first row this reading statement gives with `arguments`, or nil, as `Database.row`
    /// reads it, for a statement a caller keeps prepared.
    func row(_ arguments: SQLArguments) throws -> FetchedRow? {
        try arguments.rows(of: sqliteStatement, sql: sql, limit: 1).first
    }

    /// Every row this reading statement gives with `arguments`.
    func rows(_ arguments: SQLArguments) throws -> [FetchedRow] {
        try arguments.rows(of: sqliteStatement, sql: sql)
    }
}

extension Database {
    func run(_ sql: String, arguments: SQLArguments) throws { try run(sql, arguments) }
    func row(_ sql: String, arguments: SQLArguments) throws -> FetchedRow? { try row(sql, arguments) }
}

/// One row's values, read by `Database.row`, converted the way GRDB's `Row` converts them.
struct FetchedRow {
    let values: [DatabaseValue]

    /// The values of the row `handle` has just stepped to.
    init(statement handle: OpaquePointer?) {
        let count = sqlite3_column_count(handle)
        var values: [DatabaseValue] = []
        values.reserveCapacity(Int(count))
        for column in 0..<count {
            switch sqlite3_column_type(handle, column) {
            case SQLITE_INTEGER: values.append(sqlite3_column_int64(handle, column).databaseValue)
            case SQLITE_FLOAT: values.append(sqlite3_column_double(handle, column).databaseValue)
            case SQLITE_TEXT:
                let bytes = UnsafeBufferPointer(start: sqlite3_column_text(handle, column), count: Int(sqlite3_column_bytes(handle, column)))
                values.append(String(decoding: bytes, as: UTF8.self).databaseValue)
            case SQLITE_BLOB:
                let count = Int(sqlite3_column_bytes(handle, column))
                values.append((count == 0 ? Data() : Data(bytes: sqlite3_column_blob(handle, column), count: count)).databaseValue)
            default: values.append(.null)
            }
        }
        self.values = values
    }

    /// The value at `index` (ask for an optional where it may be NULL); traps when it
    /// cannot be converted, as `Row` does: the queries name their columns, so a mismatch
    /// is a programming error.
    subscript<Value: DatabaseValueConvertible>(_ index: Int) -> Value { converted(index) }

    // The register's reads are integers and text: read straight from the value's storage.
    // GRDB's generic conversion of an optional looks up `Optional<Wrapped>`'s metadata at
    // run time, under a lock, for every column of every row (about 2 % of a batch decision, by a profile).

    subscript(_ index: Int) -> Int64 {
        if case let .int64(value) = values[index].storage { return value }
        return converted(index)
    }

    subscript(_ index: Int) -> Int64? {
        switch values[index].storage {
        case let .int64(value): value
        case .null: nil
        default: converted(index)
        }
    }

    subscript(_ index: Int) -> Int {
        if case let .int64(value) = values[index].storage, let exact = Int(exactly: value) { return exact }
        return converted(index)
    }

    subscript(_ index: Int) -> Int? {
        switch values[index].storage {
        case let .int64(value): Int(exactly: value) ?? converted(index)
        case .null: nil
        default: converted(index)
        }
    }

    subscript(_ index: Int) -> String {
        if case let .string(value) = values[index].storage { return value }
        return converted(index)
    }

    subscript(_ index: Int) -> String? {
        switch values[index].storage {
        case let .string(value): value
        case .null: nil
        default: converted(index)
        }
    }

    private func converted<Value: DatabaseValueConvertible>(_ index: Int) -> Value {
        guard let value = Value.fromDatabaseValue(values[index]) else {
            fatalError("column \(index) holds \(values[index]), not a \(Value.self)")
        }
        return value
    }
}
