import Ledger

/// The mutual-aid register as the audit and the reports read it: typed questions about
/// claims, contributions, units, members and plans, answered by the store the books live
/// in. Audit and Reports ask through this port and never see the store's SQL or tables;
/// each store implements it (`SQLiteMutualAidRecords` for a ledger file), so a report's
/// figures are the same whatever store holds the books.
///
/// One read snapshot: the records come from the reader of the transaction they are opened
/// in (`mutualAidRecords(_:)`), so claim counts and account balances always describe the
/// same state of the books.
public protocol MutualAidRecords: ClaimRecords, ContributionRecords, RegisterRecords, StatementIndexRecords {}

/// The records of the books `reader` reads.
///
/// - Throws: `LedgerStoreError.notALedger` for a store that holds no mutual-aid register.
public func mutualAidRecords(_ reader: any LedgerStoreReader) throws -> any MutualAidRecords {
    try SQLiteMutualAidRecords(reader: reader)
}
