import Ledger
import MutualAid

extension Auditor.Options {
    /// The options for a Huzhu ledger: the mutual-aid tables created in the replay as in
    /// the ledger, the personal-data tables left out of the comparison (they are not
    /// projections), and the mutual-aid checks and the fund's controls.
    public static func huzhu() -> Auditor.Options {
        var options = Auditor.Options()
        options.prepareReplay = { try MutualAidSchema.migrate($0) }
        options.tablesNotReplayed = MutualAidSchema.personalDataTables
        options.domainChecks = [MutualAidAuditCheck(), FundControlsCheck()]
        return options
    }
}
