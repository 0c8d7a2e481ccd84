import GRDB
import Ledger
import MutualAid

extension ReportContext {
    /// The SQLite connection of the report's read snapshot, through which the mutual-aid
    /// reports read the plan's projection tables (claims, units, enrolments, contributions).
    ///
    /// The same snapshot as `totals(from:through:)`, so claim counts and account balances
    /// always describe the same state of the books.
    ///
    /// - Throws: `LedgerStoreError.notALedger` on a store that is not SQLite.
    func database() throws -> Database {
        guard let transaction = reader as? SQLiteLedgerStore.Transaction else {
            throw LedgerStoreError.notALedger("the mutual-aid reports read the plan's tables and need the SQLite store")
        }
        return transaction.db
    }
}
