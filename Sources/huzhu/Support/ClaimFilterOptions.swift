import ArgumentParser
import Ledger
import MutualAid

/// The conditions that select claims, as `claim list` and the batch decisions take them:
/// each given option narrows the selection.
struct ClaimFilterOptions: ParsableArguments {
    @Option(help: "Only claims of this plan year.") var year: Int?
    @Option(help: "Only claims in this state (filed, reviewed, partly-approved, approved, rejected, paid).") var state: String?
    @Option(help: "Only claims of this benefit code.") var benefit: String?
    @Option(help: "Only claims of members enrolled through this unit.") var unit: String?
    @Option(help: "Only this member's claims.") var member: String?
    @Option(help: ArgumentHelp("Only claims with a service date in this month.", valueName: "yyyy-mm")) var serviceMonth: String?
    @Option(help: ArgumentHelp("Only claims filed in this month.", valueName: "yyyy-mm")) var filedMonth: String?
    @Option(help: ArgumentHelp("Only claims assessed at this many yuan or more.", valueName: "yuan")) var assessedMin: String?
    @Option(help: ArgumentHelp("Only claims assessed at this many yuan or less.", valueName: "yuan")) var assessedMax: String?
    @Option(help: ArgumentHelp("Only claims filed at these seqs (an import's batch, as `claim import` prints it).", valueName: "from-to"))
    var filedSeqs: String?
    @Option(help: "At most this many claims.") var limit: Int?

    /// Whether any condition was given.
    var isSet: Bool {
        year != nil || state != nil || benefit != nil || unit != nil || member != nil || serviceMonth != nil || filedMonth != nil
            || assessedMin != nil || assessedMax != nil || filedSeqs != nil || limit != nil
    }

    func validate() throws {
        if let limit, limit <= 0 { throw ValidationError("--limit must be at least 1") }
    }

    /// The conditions as the book's `ClaimFilter`, each checked: a message names the option.
    func filter() throws -> ClaimFilter {
        var filter = ClaimFilter()
        filter.planYear = year
        filter.state = try state.map { text in
            guard let state = ClaimState(rawValue: text) else {
                throw LedgerInputError(field: "--state", value: text, reason: "a state is one of "
                                       + ClaimState.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return state
        }
        filter.benefit = benefit
        filter.unit = unit
        filter.member = member
        if let serviceMonth {
            let month = try Period(serviceMonth)
            (filter.serviceFrom, filter.serviceThrough) = (month.firstDay, month.lastDay)
        }
        if let filedMonth {
            let month = try Period(filedMonth)
            (filter.filedFrom, filter.filedThrough) = (month.firstDay, month.lastDay)
        }
        filter.assessedMin = try assessedMin.map { try amountOption($0, "--assessed-min", positive: false) }
        filter.assessedMax = try assessedMax.map { try amountOption($0, "--assessed-max", positive: false) }
        if let filedSeqs {
            let parts = filedSeqs.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, let from = Int64(parts[0]), let through = Int64(parts[1]), 1 <= from, from <= through else {
                throw LedgerInputError(field: "--filed-seqs", value: filedSeqs, reason: "expected FROM-TO, like 1200-5400")
            }
            filter.filedSeqs = from...through
        }
        filter.limit = limit
        return filter
    }
}
