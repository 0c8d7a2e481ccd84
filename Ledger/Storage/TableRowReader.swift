/// A store's tables read as plain values, for a comparison made in another store: the
/// audit brings a PostgreSQL ledger's projections into a temporary ledger file to compare
/// them with a replay of the log (`SQLiteLedgerStore.copyRows(from:skipping:)`).
public protocol TableRowReader {
    /// Calls `visit` with every row of `table`, the values of `columns` in that order;
    /// throws when the store has no such table or column.
    func forEachRow(of table: String, columns: [String], _ visit: ([StoreValue]) throws -> Void) throws
}

/// One value of a row as every store can hold it.
public enum StoreValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case text(String)
    case blob([UInt8])
}
