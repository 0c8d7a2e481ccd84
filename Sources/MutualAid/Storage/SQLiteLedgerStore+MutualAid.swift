import GRDB
import Ledger

/// A ledger file's transaction keeps the mutual-aid register in the same file, so the
/// domain finds it here: the one place the register meets the SQLite store.
extension SQLiteLedgerStore.Transaction: MutualAidStoreTransaction {
    public func mutualAidRecords() throws -> any MutualAidRecords { SQLiteMutualAidRegister(db: db) }
    public func mutualAidTables() throws -> any MutualAidTables { SQLiteMutualAidRegister(db: db) }
}
