import Ledger
import MutualAid

/// A Huzhu ledger in a file: the Ledger core's SQLite store, with the mutual-aid register's
/// tables beside the log (`MutualAidSchema`).
extension HuzhuLedger {
    /// Opens the ledger file at `path`.
    public static func open(path: String) throws -> Ledger {
        let store = try SQLiteLedgerStore(path: path)
        try MutualAidSchema.migrate(store)
        return try Ledger(store: store, policy: policy, projections: projections, accountControl: accountControl)
    }

    /// Creates a new ledger file at `path` with the default chart.
    public static func create(path: String, name: String, admin: SigningKey, adminHolder: String) throws -> Ledger {
        let store = try SQLiteLedgerStore(path: path, create: true)
        do {
            try MutualAidSchema.migrate(store)
            return try Ledger.create(store: store, name: name, admin: admin, adminHolder: adminHolder,
                                     policy: policy, projections: projections, accountControl: accountControl)
        } catch {
            // A ledger that failed to initialise is not a ledger; leave no file behind.
            store.removeFiles()
            throw error
        }
    }
}

extension HuzhuLedger {
    /// A new ledger file at `path` with the register's tables and no event yet: what a
    /// ledger is copied into (`LedgerCopy`). The caller removes it if the copy fails.
    public static func createEmptyStore(path: String) throws -> SQLiteLedgerStore {
        let store = try SQLiteLedgerStore(path: path, create: true)
        do {
            try MutualAidSchema.migrate(store)
        } catch {
            store.removeFiles()
            throw error
        }
        return store
    }
}

extension MutualAidBook {
    /// Opens the ledger file at `path` as a mutual-aid book.
    public static func open(path: String) throws -> MutualAidBook {
        MutualAidBook(ledger: try HuzhuLedger.open(path: path))
    }
}
