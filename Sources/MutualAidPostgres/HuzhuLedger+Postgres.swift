import Ledger
import LedgerPostgres
import MutualAid

/// The PostgreSQL store's transaction keeps the mutual-aid register in the same database
/// and the same transaction as the log (see `SQLiteLedgerStore.Transaction`'s twin).
extension PostgresLedgerStore.Transaction: MutualAidStoreTransaction {
    public func mutualAidRecords() throws -> any MutualAidRecords { PostgresMutualAidRegister(transaction: self) }
    public func mutualAidTables() throws -> any MutualAidTables { PostgresMutualAidRegister(transaction: self) }
}

/// A Huzhu ledger in a PostgreSQL database (`--db postgres://user@host:port/db`): the
/// Ledger core's PostgreSQL store, with the mutual-aid register's tables beside the log
/// (`PostgresMutualAidSchema`).
extension HuzhuLedger {
    /// Opens the ledger in the database `url` names.
    public static func open(url: String) throws -> Ledger {
        let store = try PostgresLedgerStore(url: url)
        try store.migrate(PostgresMutualAidSchema.migrations)
        return try Ledger(store: store, policy: policy, projections: projections, accountControl: accountControl)
    }

    /// Creates a new ledger with the default chart in the database `url` names, which must
    /// hold no ledger yet.
    public static func create(url: String, name: String, admin: SigningKey, adminHolder: String) throws -> Ledger {
        let store = try PostgresLedgerStore(url: url, create: true)
        try store.migrate(PostgresMutualAidSchema.migrations)
        return try Ledger.create(store: store, name: name, admin: admin, adminHolder: adminHolder,
                                 policy: policy, projections: projections, accountControl: accountControl)
    }
}
