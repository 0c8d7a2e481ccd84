import Ledger
import MutualAid

/// The mutual-aid books as the audit rebuilds them from the events alone, event by event,
/// so each claim can be judged against exactly what was known when it was filed.
struct MutualAidState {
    struct Enrolment {
        let unit: String
        let coverageStart: LedgerDate
        var leftOn: LedgerDate?
    }

    struct UnitYear: Hashable {
        let unit: String
        let year: Int
    }

    struct Contributions {
        var billedHeadcount: Int64 = 0
        var billedUnitFen: Int64 = 0
        var billedSubsidyFen: Int64 = 0
        var receivedFen: Int64 = 0
        var refundedFen: Int64 = 0
        var isPaid: Bool { UnitContributionStatus.isPaid(billedFen: billedUnitFen, receivedFen: receivedFen, refundedFen: refundedFen) }
    }

    struct Claim {
        let seq: Int64
        let member: String
        let year: Int
        let benefit: String
        let plan: Int64
        let filer: String
        let serviceDate: LedgerDate?
        /// The day it was filed: no decision on it is dated before.
        var filedOn: LedgerDate? = nil
        var state: ClaimState
        let computedFen: Int64
        /// What a revoked approval left the claim approvable for (nil: its assessment).
        var approvableFen: Int64?
        /// What the claim counts against the caps while undecided, and the most it may be approved for.
        var countedFen: Int64 { approvableFen ?? computedFen }
        /// The key that reviewed it: kept from approving it where the plan says so.
        var reviewer: String?
        var approvers: [String] = []
        /// The seqs of the current round's approvals; a revocation withdraws them all.
        var approvalSeqs: [Int64] = []
        var approvedFen: Int64?
        var approvedOn: LedgerDate?
        /// The standing payment, until the bank returns it.
        var paidSeq: Int64?
        var paidFen: Int64?
    }

    /// A bill, receipt, refund or subsidy, kept so its reversal can be held against it.
    struct ContributionStep {
        let kind: EventKind
        let unit: String?
        let year: Int
        /// The data the reversal must copy (headcount, unitFen, subsidyFen or amountFen).
        let figures: [String: Int64]
        let postings: [Posting]
        var reversed = false
    }

    struct UsageKey: Hashable {
        let member: String
        let year: Int
        let benefit: String
    }

    var plans: [Int64: PlanRules] = [:]
    /// Each year's plan, its first publication and amendments (`PublishedPlan`); its
    /// `current` version is the plan as it stands.
    var publications: [Int: PublishedPlan] = [:]
    var sex: [String: MemberSex] = [:]
    var enrolments: [String: [Int: Enrolment]] = [:]
    var enrolledCount: [UnitYear: Int64] = [:]
    var contributions: [UnitYear: Contributions] = [:]
    var subsidyReceivedFen: [Int: Int64] = [:]
    var contributionSteps: [Int64: ContributionStep] = [:]
    var claims: [Int64: Claim] = [:]
    var usage: [UsageKey: Int64] = [:]
    var usageTotal: [String: [Int: Int64]] = [:]
    var settlements: [String: Int64] = [:]

    func capUsage(member: String, year: Int, benefit: String) -> CapUsage {
        CapUsage(benefitUsed: Money(fen: usage[UsageKey(member: member, year: year, benefit: benefit)] ?? 0),
                 totalUsed: Money(fen: usageTotal[member]?[year] ?? 0))
    }

    mutating func addUsage(member: String, year: Int, benefit: String, fen: Int64) {
        usage[UsageKey(member: member, year: year, benefit: benefit), default: 0] += fen
        usageTotal[member, default: [:]][year, default: 0] += fen
    }

    func coverage(member: String, year: Int, on date: LedgerDate) -> Coverage {
        guard let enrolment = enrolments[member]?[year] else { return .notEnrolled }
        if let left = enrolment.leftOn, left < date { return .notEnrolled }
        guard contributions[UnitYear(unit: enrolment.unit, year: year)]?.isPaid == true else { return .contributionUnpaid }
        return .covered(since: enrolment.coverageStart)
    }
}
