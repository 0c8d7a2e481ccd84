import Ledger

/// Why a report could not be made. Each case reads as a sentence a clerk can act on.
public enum ReportError: Error, Equatable, CustomStringConvertible {
    /// The projection holds totals for an account the chart does not have.
    case unknownAccount(AccountCode)
    /// First-level accounts do not hold every leaf: a sub-account without its parent.
    case rollUpMismatch(level1: Money, leaves: Money)
    /// A check failed; the report was still written so the difference can be seen.
    case checksFailed(report: String, failures: [String])
    /// A table would hold more rows than a report prints (`ReportTable.rowCountMax`);
    /// `instead` names the command that gives them row by row.
    case tooManyRows(table: String, limit: Int, instead: String = "`huzhu export` for the whole book")

    public var description: String {
        switch self {
        case let .unknownAccount(code):
            return "the balance projection has totals for account \(code), which is not in the chart; run `huzhu verify` and rebuild the projections"
        case let .rollUpMismatch(level1, leaves):
            return "first-level accounts total \(level1.formatted()) but their sub-accounts total \(leaves.formatted()); a sub-account's parent is missing from the chart"
        case let .checksFailed(report, failures):
            return "\(report) does not tie out: " + failures.joined(separator: "; ")
        case let .tooManyRows(table, limit, instead):
            return "\(table) would list more than \(limit) rows; choose a shorter period, or use \(instead)"
        }
    }
}
