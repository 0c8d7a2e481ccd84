import ArgumentParser
import Foundation
import Ledger
import MutualAid

/// Which claims `claim review`, `approve` and `reject` decide: ids, a decisions file, a
/// filter, or any of them together, recorded in one transaction.
struct ClaimDecisionOptions: ParsableArguments {
    @Argument(help: "Claim ids.") var claims: [Int64] = []
    @Option(help: ArgumentHelp("A decisions file (CSV: claim, and optionally amount and reason).", valueName: "csv"))
    var file: String?
    @Flag(help: "Every claim awaiting this decision (with the filters below, those they select).") var all = false
    @Option(help: "Filter: claims of this plan year.") var year: Int?
    @Option(help: "Filter: claims in this state (of those the decision applies to).") var state: String?
    @Option(help: "Filter: claims of this benefit code.") var benefit: String?
    @Option(help: "Filter: claims of members enrolled through this unit.") var unit: String?
    @Option(help: ArgumentHelp("Filter: claims with a service date in this month.", valueName: "yyyy-mm")) var serviceMonth: String?
    @Option(help: ArgumentHelp("Filter: claims assessed at this many yuan or more.", valueName: "yuan")) var assessedMin: String?
    @Option(help: ArgumentHelp("Filter: claims assessed at this many yuan or less.", valueName: "yuan")) var assessedMax: String?
    @Option(help: ArgumentHelp("Filter: claims filed at these seqs (an import's batch, as `claim import` prints it).", valueName: "from-to"))
    var filedSeqs: String?
    @Option(help: "Filter: at most this many claims.") var limit: Int?
    @Flag(help: "Make every decision, print what would be recorded and left out, and record nothing.") var dryRun = false
    @Option(help: "text or json.") var format: OutputFormat = .text

    /// Whether any filter option was given: the filter then takes claims, as `--all` does.
    var filtering: Bool {
        all || year != nil || state != nil || benefit != nil || unit != nil || serviceMonth != nil || assessedMin != nil
            || assessedMax != nil || filedSeqs != nil || limit != nil
    }

    func validate() throws {
        guard !claims.isEmpty || file != nil || filtering else {
            throw ValidationError("name claims by id, give a --file of decisions, or select them with --all or a filter")
        }
        if let limit, limit <= 0 { throw ValidationError("--limit must be at least 1") }
    }

    func batch(_ kind: ClaimDecisionKind, reason: String?, amount: Money? = nil, date: LedgerDate) throws -> ClaimDecisionBatch {
        var named = claims.map { NamedClaimDecision(claim: $0, amount: amount, reason: reason) }
        if amount != nil, named.count != 1 || file != nil || filtering {
            throw ValidationError("--amount lowers one claim's approval; for several, give each its amount in a --file")
        }
        if let file { named += try ClaimDecisionFileReader.read(path: file, kind: kind) }
        var seen = Set<Int64>()
        for decision in named where !seen.insert(decision.claim).inserted {
            throw LedgerInputError(field: "claim", value: "\(decision.claim)", reason: "is named twice")
        }
        return ClaimDecisionBatch(kind, named: named, filter: try filter(), reason: reason, date: date)
    }

    func filter() throws -> ClaimFilter? {
        guard filtering else { return nil }
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
        if let serviceMonth {
            let month = try Period(serviceMonth)
            filter.serviceFrom = month.firstDay
            filter.serviceThrough = month.lastDay
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

    /// Prints what the batch did: a line for the decisions, and the claims left out, with why.
    func report(_ outcome: ClaimBatchOutcome) throws {
        if format == .json {
            try printJSON(Self.json(outcome))
            return
        }
        if claims.count == 1, file == nil, !filtering, !outcome.dryRun, let only = outcome.decided.first {
            if only.repeated, !only.complete {
                print("claim \(only.claim): this key's approval is already recorded at seq \(only.seq), the first of two; "
                      + "the second needs a different approver")
            } else if only.repeated {
                print("claim \(only.claim): already \(outcome.kind.done) by this key at seq \(only.seq); nothing new recorded")
            } else if !only.complete {
                print("claim \(only.claim): first approval recorded at seq \(only.seq); a second approver must approve it")
            } else {
                print("claim \(only.claim) \(outcome.kind.done) at seq \(only.seq)")
            }
            return
        }
        let recorded = outcome.recorded
        let noun = outcome.kind == .review ? "review" : outcome.kind == .approve ? "approval" : "rejection"
        var line = "\(outcome.dryRun ? "would record" : "recorded") \(recorded.count) \(noun)\(recorded.count == 1 ? "" : "s"), "
            + "\(outcome.total.formatted()) \(outcome.kind == .approve ? "approved" : "assessed")"
        let firsts = recorded.filter { !$0.complete }.count
        if firsts > 0 { line += " (\(firsts) of them first approvals of large claims: a second approver must approve each)" }
        let repeats = outcome.decided.count - recorded.count
        if repeats > 0 { line += "; \(repeats) already recorded by this key" }
        print(line)
        if !outcome.leftOut.isEmpty {
            print("left out \(outcome.leftOut.count):")
            for left in outcome.leftOut.prefix(Self.leftOutShown) { print("  claim \(left.claim): \(left.reason)") }
            if outcome.leftOut.count > Self.leftOutShown {
                print("  … and \(outcome.leftOut.count - Self.leftOutShown) more (--format json lists them all)")
            }
        }
        if outcome.dryRun { print("nothing was recorded (dry run)") }
    }

    static let leftOutShown = 20

    static func json(_ outcome: ClaimBatchOutcome) -> JSONValue {
        ["decision": .string(outcome.kind.rawValue), "dryRun": .bool(outcome.dryRun), "recorded": .integer(Int64(outcome.recorded.count)),
         "totalFen": .integer(outcome.total.fen),
         "decided": .array(outcome.decided.map { decided in
             ["claim": .integer(decided.claim), "seq": .integer(decided.seq), "amountFen": .integer(decided.amount.fen),
              "complete": .bool(decided.complete), "repeated": .bool(decided.repeated)]
         }),
         "leftOut": .array(outcome.leftOut.map { ["claim": .integer($0.claim), "reason": .string($0.reason)] })]
    }
}
