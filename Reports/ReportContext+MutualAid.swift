import Ledger
import MutualAid

extension ReportContext {
    /// The mutual-aid register of the report's read snapshot (claims, units, enrolments,
    /// contributions, plans), through the domain's port.
    ///
    /// The same snapshot as `totals(from:through:)`, so claim counts and account balances
    /// always describe the same state of the books.
    func records() throws -> any MutualAidRecords {
        try mutualAidRecords(reader)
    }
}
