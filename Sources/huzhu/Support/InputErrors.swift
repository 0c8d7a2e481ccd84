import ArgumentParser
import Ledger
import MutualAid

/// Whether `error` means the user's input was refused (exit 2) rather than a check
/// failing or the machine misbehaving (exit 1).
func isInputError(_ error: any Error) -> Bool {
    switch error {
    case is LedgerInputError, is LedgerRuleError, is MoneyError, is BatchRowError, is ValidationError,
         is CanonicalJSONError, is LedgerStoreError, is MutualAidRuleError, is EnrolmentRejected, is PlanFileError,
         is CSVError, is EnrolmentReport.Rejected:
        return true
    default:
        // A file that cannot be read or written is the user's to fix (a path, a permission).
        return FileErrorMessage.sentence(for: error) != nil
    }
}
