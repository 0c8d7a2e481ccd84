import Foundation
import GRDB
import GRDBSQLite

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
}

/// A Swift value that binds to a statement parameter as itself.
protocol SQLBindable {
    /// Binds the value to parameter `index` (1-based) of `handle`; SQLite copies it.
    func bind(to handle: OpaquePointer?, at index: Int32)
}

extension String: SQLBindable {
    func bind(to handle: OpaquePointer?, at index: Int32) {
        var text = self
        text.withUTF8 { buffer in
            _ = sqlite3_bind_text(handle, index, buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                  Int32(buffer.count), Database.transient)
        }
    }
}

extension Int: SQLBindable {
    func bind(to handle: OpaquePointer?, at index: Int32) { sqlite3_bind_int64(handle, index, Int64(self)) }
}

extension Int64: SQLBindable {
    func bind(to handle: OpaquePointer?, at index: Int32) { sqlite3_bind_int64(handle, index, self) }
}

extension Data: SQLBindable {
    func bind(to handle: OpaquePointer?, at index: Int32) {
        withUnsafeBytes { buffer in
            // A zero-length blob still needs a non-null pointer, or SQLite binds NULL.
            _ = sqlite3_bind_blob(handle, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(buffer.count), Database.transient)
        }
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
        let handle = try cachedStatement(sql: sql).sqliteStatement
        try bind(arguments, to: handle, sql: sql)
        var code = sqlite3_step(handle)
        while code == SQLITE_ROW { code = sqlite3_step(handle) }
        guard code == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(sqliteConnection))
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
        }
        sqlite3_reset(handle)
    }

    private func bind(_ arguments: SQLArguments, to handle: OpaquePointer?, sql: String) throws {
        sqlite3_reset(handle)
        guard Int32(arguments.values.count) == sqlite3_bind_parameter_count(handle) else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "\(arguments.values.count) values for \(sqlite3_bind_parameter_count(handle)) parameters",
                                sql: sql)
        }
        for (offset, value) in arguments.values.enumerated() {
            let index = Int32(offset + 1)
            if let value { value.bind(to: handle, at: index) } else { sqlite3_bind_null(handle, index) }
        }
    }

    /// The first row a reading statement gives, read straight from SQLite, or nil.
    /// The lookups a claim or an enrolment makes (member, coverage, caps used) run once
    /// per row of a batch, so they skip GRDB's row machinery as `run` does.
    func row(_ sql: String, _ arguments: SQLArguments = []) throws -> FetchedRow? {
        let handle = try cachedStatement(sql: sql).sqliteStatement
        try bind(arguments, to: handle, sql: sql)
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        if code == SQLITE_DONE { return nil }
        guard code == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqliteConnection)), sql: sql)
        }
        var values: [DatabaseValue] = []
        let count = sqlite3_column_count(handle)
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
        return FetchedRow(values: values)
    }

    /// SQLite copies a value bound with this destructor before the call returns.
    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

extension Database {
    func run(_ sql: String, arguments: SQLArguments) throws { try run(sql, arguments) }
    func row(_ sql: String, arguments: SQLArguments) throws -> FetchedRow? { try row(sql, arguments) }
}

/// One row's values, read by `Database.row`, converted the way GRDB's `Row` converts them.
struct FetchedRow {
    let values: [DatabaseValue]

    /// The value at `index` (ask for an optional where it may be NULL); traps when it
    /// cannot be converted, as `Row` does: the queries name their columns, so a mismatch
    /// is a programming error.
    subscript<Value: DatabaseValueConvertible>(_ index: Int) -> Value {
        guard let value = Value.fromDatabaseValue(values[index]) else {
            fatalError("column \(index) holds \(values[index]), not a \(Value.self)")
        }
        return value
    }
}
