import Ledger

/// The mutual-aid register as the domain, the audit and the reports read it: typed
/// questions about claims, contributions, units, members, plans and personal data,
/// answered by the store the books live in. None of them sees the store's SQL or tables;
/// each store implements the port (`SQLiteMutualAidRegister` for a ledger file), so the
/// rules and a report's figures are the same whatever store holds the books.
///
/// One read snapshot: the records come from the reader of the transaction they are opened
/// in (`mutualAidRecords(_:)`), so claim counts and account balances always describe the
/// same state of the books.
public protocol MutualAidRecords: ClaimRecords, ContributionRecords, RegisterRecords, PersonalRecords, StatementIndexRecords {}

/// A store's transaction that keeps the mutual-aid register beside the log: how the
/// domain, which knows no store, finds the register of the transaction it is in.
public protocol MutualAidStoreTransaction {
    func mutualAidRecords() throws -> any MutualAidRecords
    /// Throws for a read-only transaction.
    func mutualAidTables() throws -> any MutualAidTables
}

/// The records of the books `reader` reads.
///
/// - Throws: `LedgerStoreError.unsupported` for a store that holds no mutual-aid register.
public func mutualAidRecords(_ reader: any LedgerStoreReader) throws -> any MutualAidRecords {
    try mutualAidTransaction(reader).mutualAidRecords()
}

/// The register `writer` writes, for one operation or batch.
public func mutualAidTables(_ writer: any LedgerStoreWriter) throws -> any MutualAidTables {
    try mutualAidTransaction(writer).mutualAidTables()
}

private func mutualAidTransaction(_ reader: any LedgerStoreReader) throws -> any MutualAidStoreTransaction {
    guard let transaction = reader as? any MutualAidStoreTransaction else {
        throw LedgerStoreError.unsupported("this store holds no mutual-aid register")
    }
    return transaction
}
