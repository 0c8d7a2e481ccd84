import GRDB
import Foundation

/// A row that one of two SQLite files holds and the other does not: what an audit's
/// replay comparison reports when a projection differs from a fresh replay of the log.
public struct TableDifference: Sendable, Hashable {
    public enum Side: String, Sendable {
        /// In the ledger file, not in the replay: a row added or changed behind the log's back.
        case onlyInLedger
        /// In the replay, not in the ledger file: a row removed or changed behind the log's back.
        case onlyInReplay
        /// The whole table is missing from the replay: nothing in the log rebuilds it.
        case tableNotReplayed
    }

    public let table: String
    public let side: Side
    /// "column=value" for each compared column; blobs in hex.
    public let row: [String]
    /// The values of the row's `seq` and `…_seq` columns: the events the row claims to come from.
    public let seqs: [Int64]
}

extension SQLiteLedgerStore {
    /// Runs `body` on one read snapshot of this file with the SQLite file at `path`
    /// attached as `alias`, so the two can be compared in SQL on one consistent view
    /// of the ledger while other processes go on appending.
    ///
    /// SQLite cannot attach inside a transaction, so the attach comes first; the
    /// deferred transaction that follows only reads, and takes no write lock.
    public func read<T>(attaching path: String, as alias: String, _ body: (Transaction) throws -> T) throws -> T {
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS \(alias.quotedDatabaseIdentifier)", arguments: [path])
            defer { try? db.execute(sql: "DETACH DATABASE \(alias.quotedDatabaseIdentifier)") }
            var result: T?
            try db.inTransaction(.deferred) {
                result = try body(Transaction(db: db))
                return .commit
            }
            return result!
        }
    }
}

extension SQLiteLedgerStore.Transaction {
    /// The tables of this file other than SQLite's and GRDB's own, in name order.
    public func tableNames(schema: String = "main") throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT name FROM \(schema.quotedDatabaseIdentifier).sqlite_master
            WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name
            """)
    }

    /// Compares every row of every table of this file with the same table in the attached
    /// schema `alias`, and returns up to `limit` differences per table and side.
    ///
    /// - `skipping`: tables not compared at all (ones the log does not rebuild, or that
    ///   another check already verifies in full).
    /// - `omitting`: per table, columns left out (say, event bodies the chain check covers).
    ///
    /// Rows compare as whole tuples (`EXCEPT`), so a changed row shows once on each side.
    public func differences(against alias: String, skipping: Set<String>, omitting: [String: Set<String>],
                            limit: Int) throws -> [TableDifference] {
        let attached = Set(try tableNames(schema: alias))
        var result: [TableDifference] = []
        for table in try tableNames() where !skipping.contains(table) {
            guard attached.contains(table) else {
                result.append(TableDifference(table: table, side: .tableNotReplayed, row: [], seqs: []))
                continue
            }
            let columns = try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table])
                .map { $0[0] as String }
                .filter { !(omitting[table]?.contains($0) ?? false) }
            let list = columns.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
            let name = table.quotedDatabaseIdentifier
            for (side, first, second) in [(TableDifference.Side.onlyInLedger, "main", alias), (.onlyInReplay, alias, "main")] {
                let rows = try Row.fetchAll(db, sql: """
                    SELECT \(list) FROM \(first.quotedDatabaseIdentifier).\(name)
                    EXCEPT SELECT \(list) FROM \(second.quotedDatabaseIdentifier).\(name) LIMIT \(limit)
                    """)
                for row in rows {
                    var cells: [String] = []
                    var seqs: [Int64] = []
                    for (column, value) in zip(columns, row.databaseValues) {
                        cells.append(column + "=" + Self.render(value))
                        if column == "seq" || column.hasSuffix("_seq"), case let .int64(seq) = value.storage { seqs.append(seq) }
                    }
                    result.append(TableDifference(table: table, side: side, row: cells, seqs: seqs))
                }
            }
        }
        return result
    }

    static func render(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: return "null"
        case let .int64(number): return String(number)
        case let .double(number): return String(number)
        case let .string(text): return text
        case let .blob(data): return "x'" + Hex.encode(Array(data)) + "'"
        }
    }
}

extension SQLiteLedgerStore {
    /// Fills this file's tables, but `skipping`, with the rows `source` holds in the tables of
    /// the same names, column for column, in one transaction: a PostgreSQL ledger's projections
    /// brought into a file to be compared with a replay (`differences(against:…)`).
    public func copyRows(from source: any TableRowReader, skipping: Set<String>) throws {
        try queue.write { db in
            for table in try Transaction(db: db).tableNames() where !skipping.contains(table) {
                let columns = try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table])
                let statement = try db.makeStatement(sql: """
                    INSERT INTO \(table.quotedDatabaseIdentifier) (\(columns.map(\.quotedDatabaseIdentifier).joined(separator: ", ")))
                    VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))
                    """)
                try source.forEachRow(of: table, columns: columns) { values in
                    try statement.execute(arguments: StatementArguments(values.map { value -> DatabaseValue in
                        switch value {
                        case .null: return .null
                        case let .integer(number): return number.databaseValue
                        case let .text(text): return text.databaseValue
                        case let .blob(bytes): return Data(bytes).databaseValue
                        }
                    }))
                }
            }
        }
    }
}
