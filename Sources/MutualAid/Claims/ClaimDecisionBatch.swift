import Ledger

/// A decision an approver records on claims: review (审核), approve (审批) or reject.
public enum ClaimDecisionKind: String, Sendable, CaseIterable {
    case review, approve, reject

    /// The states a claim must be in for the decision.
    public var decidableStates: [ClaimState] {
        switch self {
        case .review: [.filed]
        case .approve: [.reviewed, .partlyApproved]
        case .reject: [.filed, .reviewed, .partlyApproved]
        }
    }

    /// The past tense, as the output says it.
    public var done: String {
        switch self {
        case .review: "reviewed"
        case .approve: "approved"
        case .reject: "rejected"
        }
    }
}

/// One claim named for a decision: by id on the command line, or a row of a decisions file
/// (`claim,amount,reason`).
public struct NamedClaimDecision: Sendable {
    public let claim: Int64
    /// For an approval: a lower amount than the assessed one (with `reason`).
    public let amount: Money?
    /// The reviewer's note, why an approval is lower, or why a claim is rejected; nil for
    /// the batch's own.
    public let reason: String?
    /// The decisions file's row, for errors; nil for an id on the command line.
    public let row: Int?

    public init(claim: Int64, amount: Money? = nil, reason: String? = nil, row: Int? = nil) {
        self.claim = claim
        self.amount = amount
        self.reason = reason
        self.row = row
    }
}

/// Which claims a decision takes without naming them (those in a state the decision
/// applies to), or a list shows: the claims that match every condition given, in filing
/// order.
public struct ClaimFilter: Sendable {
    public var planYear: Int?
    /// For a decision, one of its `decidableStates` (all of them when nil).
    public var state: ClaimState?
    public var benefit: String?
    public var unit: String?
    public var member: String?
    /// Filing dates in `[filedFrom, filedThrough]`.
    public var filedFrom: LedgerDate?
    public var filedThrough: LedgerDate?
    /// Service dates in `[serviceFrom, serviceThrough]` (a month, with `--service-month`).
    public var serviceFrom: LedgerDate?
    public var serviceThrough: LedgerDate?
    /// The amount a claim may be approved for (its assessment), inclusive bounds.
    public var assessedMin: Money?
    public var assessedMax: Money?
    /// Claims filed at these seqs: an import's batch, as `huzhu claim import` prints it.
    public var filedSeqs: ClosedRange<Int64>?
    public var limit: Int?

    public init() {}
}

/// Decisions of one kind on many claims, recorded in one transaction: every claim named,
/// then every claim the filter takes.
public struct ClaimDecisionBatch: Sendable {
    public let kind: ClaimDecisionKind
    public var named: [NamedClaimDecision]
    public var filter: ClaimFilter?
    /// The note of a review, or the reason of a rejection, for each claim that gives none.
    public var reason: String?
    /// The day in the books of approvals and rejections.
    public var date: LedgerDate

    public init(_ kind: ClaimDecisionKind, named: [NamedClaimDecision] = [], filter: ClaimFilter? = nil, reason: String? = nil,
                date: LedgerDate) {
        self.kind = kind
        self.named = named
        self.filter = filter
        self.reason = reason
        self.date = date
    }
}

/// What a batch of decisions did (or, in a dry run, would do).
public struct ClaimBatchOutcome: Sendable {
    /// One decision on one claim.
    public struct Decided: Sendable {
        public let claim: Int64
        /// The decision's event (for a repeat, the one already recorded).
        public let seq: Int64
        /// An approval's amount, or the claim's assessed amount for a review or rejection.
        public let amount: Money
        /// False for the first of two approvals a large claim needs.
        public let complete: Bool
        /// True when this key had already recorded this decision: nothing new was written.
        public let repeated: Bool
    }

    /// A claim the filter took that the decision may not apply to, and why.
    public struct LeftOut: Sendable {
        public let claim: Int64
        public let reason: String
    }

    public let kind: ClaimDecisionKind
    public internal(set) var decided: [Decided] = []
    public internal(set) var leftOut: [LeftOut] = []
    /// True when nothing was recorded: the decisions were made and rolled back.
    public internal(set) var dryRun = false

    public init(kind: ClaimDecisionKind) { self.kind = kind }

    /// The decisions newly recorded (or that a dry run would record).
    public var recorded: [Decided] { decided.filter { !$0.repeated } }
    /// Their amounts in all.
    public var total: Money { Money(fen: recorded.reduce(Int64(0)) { $0 + $1.amount.fen }) }
}

/// Thrown inside a dry run's transaction so that it rolls back, carrying what it did.
struct ClaimBatchDryRun: Error {
    let outcome: ClaimBatchOutcome
}
