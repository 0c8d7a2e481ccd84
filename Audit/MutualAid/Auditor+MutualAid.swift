import Ledger
import MutualAid
import MutualAidSQLite

extension Auditor.Options {
    /// The options for a Huzhu ledger: the mutual-aid tables created in the replay as in
    /// the ledger, the tables that are not projections (personal data, the kept statement
    /// index) left out of the comparison, the mutual-aid checks and the fund's controls, and
    /// the domain's event values for `events.format`.
    public static func huzhu() -> Auditor.Options {
        var options = Auditor.Options()
        options.prepareReplay = { try MutualAidSchema.migrate($0) }
        options.tablesNotReplayed = MutualAidSchema.tablesNotReplayed
        options.domainChecks = Auditor.huzhuDomainChecks()
        options.eventValues = MutualAidEvents.catalog
        return options
    }
}

extension Auditor {
    /// The mutual-aid domain's checks, run by `huzhu audit` and `huzhu verify --bundle` alike.
    public static func huzhuDomainChecks() -> [any AuditCheck] {
        [MutualAidAuditCheck(), FundControlsCheck(), StatementIndexCheck()]
    }
}
