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
    @Flag(help: "Every claim awaiting this decision (with the conditions below, those they select).") var all = false
    @OptionGroup(title: "Selecting claims") var conditions: ClaimFilterOptions
    @Flag(help: "Make every decision, print what would be recorded and left out, and record nothing.") var dryRun = false
    @Option(help: "text or json.") var format: OutputFormat = .text

    /// Whether the filter takes claims: `--all`, or any condition given.
    var filtering: Bool { all || conditions.isSet }

    func validate() throws {
        guard !claims.isEmpty || file != nil || filtering else {
            throw ValidationError("name claims by id, give a --file of decisions, or select them with --all or a filter")
        }
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
        filtering ? try conditions.filter() : nil
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
