import GRDB
import Ledger
import MutualAid

/// A ledger file's transaction keeps the mutual-aid register in the same file, so the
/// domain finds it here: the one place the register meets the SQLite store.
///
/// Declared here, where both are imported, because neither may know the other: the core's
/// store knows no domain, and the domain knows no store. Nothing else declares it.
extension SQLiteLedgerStore.Transaction: MutualAidStoreTransaction {
    public func mutualAidRecords() throws -> any MutualAidRecords { SQLiteMutualAidRegister(db: db) }
    public func mutualAidTables() throws -> any MutualAidTables { SQLiteMutualAidRegister(db: db) }
}
