import Ledger
import LedgerPostgres
import MutualAid

/// The PostgreSQL store's transaction keeps the mutual-aid register in the same database
/// and the same transaction as the log (see `SQLiteLedgerStore.Transaction`'s twin).
extension PostgresLedgerStore.Transaction: MutualAidStoreTransaction {
    public func mutualAidRecords() throws -> any MutualAidRecords { register }
    public func mutualAidTables() throws -> any MutualAidTables { register }

    /// One register per transaction, so what one part of a write read ahead is what every
    /// other part of it reads (and writes keep up to date).
    var register: PostgresMutualAidRegister {
        if let made = domainRegister as? PostgresMutualAidRegister { return made }
        let made = PostgresMutualAidRegister(transaction: self)
        domainRegister = made
        return made
    }
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

    /// The ledger's and the register's tables, with no event yet, in the database `url`
    /// names: what a ledger is copied into (`LedgerCopy`). Tables a failed copy left are
    /// used again; a database that holds a ledger is refused.
    public static func createEmptyStore(url: String) throws -> PostgresLedgerStore {
        let store: PostgresLedgerStore
        do {
            store = try PostgresLedgerStore(url: url)
        } catch LedgerStoreError.notALedger(_) {
            store = try PostgresLedgerStore(url: url, create: true)
        }
        try store.migrate(PostgresMutualAidSchema.migrations)
        guard try store.read({ try $0.size() }) == 0 else {
            throw LedgerInputError(field: "database", value: store.info.description, reason: "already holds a ledger; copy into an empty database")
        }
        return store
    }
}
