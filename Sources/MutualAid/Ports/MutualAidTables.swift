import Ledger

/// The mutual-aid register as the domain writes it, inside the append session of the
/// operation that writes: the projection's rows (kept in step with the log by
/// `MutualAidProjection`, so a replay rebuilds them) and the personal data the log only
/// commits to (written by the operations themselves, and never replayed).
///
/// Each call is one change the domain has already decided on; the rules (who may do what,
/// what a step does to a claim's state, its caps and the fund's tallies) stay in the domain,
/// so every store applies them alike. A store implements these calls for its own tables
/// (`SQLiteMutualAidTables` for a ledger file). One object serves one batch: it may keep
/// its statements prepared across the batch's million rows.
public protocol MutualAidTables: MutualAidRecords {
    // MARK: Plans, units and members (the projection's rows)

    func insertPlan(_ plan: PublishedPlanRecord) throws
    func insertUnit(_ unit: String, name: String, seq: Int64) throws
    /// The member (new to the register; else their latest commitment) and their enrolment.
    func insertEnrolment(_ enrolment: MemberEnrolledEvent, seq: Int64) throws
    func recordLeft(member: String, planYear: Int64, on date: String) throws
    /// False when no such member is on the register.
    func updateCommitment(member: String, commitment: String) throws -> Bool
    func markErased(member: String, seq: Int64) throws

    // MARK: Contributions

    /// Adds to a unit's running sums for a plan year, creating its row. A reversal passes
    /// negative figures with `mustExist`, and gets false when the unit has no row to take
    /// them from.
    func addContributions(unit: String, planYear: Int64, _ change: UnitContributionRecord, mustExist: Bool) throws -> Bool
    /// Adds to the plan year's subsidy received; with `mustExist` (a reversal), false when
    /// the year received none.
    func addSubsidy(planYear: Int64, fen: Int64, mustExist: Bool) throws -> Bool

    // MARK: Claims

    func insertClaim(_ claim: FiledClaimRow) throws
    /// Moves a claim's row on by one step (`ClaimStep`), appending the step's seq to the
    /// claim's steps.
    func updateClaim(_ claim: Int64, _ step: ClaimStep, seq: Int64) throws
    /// Marks the claim's latest correction, whose date its later steps may not precede.
    func markClaimCorrected(_ claim: Int64, seq: Int64, on date: String) throws
    /// Keeps what a correction undid, dated both ways, for the reports.
    func insertClaimReversal(_ reversal: ClaimReversalRow) throws
    /// Adds `fen` to what `member` has used of `benefit` in `planYear`.
    func addCapUsage(member: String, planYear: Int64, benefit: String, fen: Int64) throws
    /// Moves one of the fund report's day tallies of a plan year's benefit.
    func addClaimTally(_ measure: ClaimTallyMeasure, on date: String, planYear: Int64, benefit: String, count: Int64, fen: Int64,
                       assessed: Int64) throws
    /// A hint that claims of `members` are about to be filed: a store whose every read is a
    /// round trip (PostgreSQL) reads their claimants and caps used in one, and answers
    /// `claimant(member:)` and `capsUsed(member:)` from that, kept up to date by this
    /// transaction's own writes. A file's store ignores it.
    func readAhead(claimantsOf members: [String]) throws
    /// A hint that claims `ids` are about to be decided: a store on a server reads them in
    /// one statement and answers `claim(_:)` from that until a step of the claim is written.
    /// A file's store ignores it.
    func readAhead(claims ids: [Int64]) throws
    /// A hint that roster rows of these resident IDs are about to be enrolled: a store on a
    /// server reads the personal data on file for them in one statement and answers
    /// `personal(residentID:)` from that, kept up to date by this transaction's own writes.
    /// A file's store ignores it.
    func readAhead(residents ids: [String]) throws
    /// After each claim a batch newly records (`recorded` so far): a store may set work
    /// aside for a large batch (the SQLite file's claims indexes) until `finishClaimBatch`.
    func claimRecorded(_ recorded: Int) throws
    /// At the end of a batch of claims, before it commits: puts back what `claimRecorded`
    /// set aside, telling `rebuilding` first when there is any.
    func finishClaimBatch(rebuilding: () -> Void) throws

    // MARK: Personal data (not projections: the log holds only commitments)

    func insertPersonal(member: String, residentID: String, personal: PersonalData) throws
    func updatePersonal(member: String, personal: PersonalData) throws
    func insertClaimPersonal(claim: Int64, member: String, personal: PersonalData) throws
    /// Forgets a member's personal fields and their claims' (an erasure).
    func erasePersonal(member: String) throws
    /// Remembers that the person with this resident-ID hash was erased as `member`.
    func insertErasedResident(hash: String, member: String, seq: Int64) throws

    // MARK: The statement index

    /// Replaces the kept statement index with `entries`, the index recorded at `indexSeq`.
    func keepStatementIndex(_ entries: [KeptStatementEntry], indexSeq: Int64) throws
}

/// The figures of a claim's row when it is filed: its assessment, and what the rules said.
public struct FiledClaimRow: Sendable {
    public let seq: Int64
    public let filer: KeyID
    public let member: String
    public let unit: String
    public let planYear: Int64
    public let benefit: String
    public let settlementKey: String
    public let serviceDate: String
    public let filedOn: String
    public let payoutFen: Int64
    public let isRejected: Bool
    public let rejectionCode: String?
    public let rejectionReason: String?
}

/// What one step of a claim changes in its row.
public enum ClaimStep: Sendable {
    case reviewed(reviewer: String)
    /// An approval; `final` carries the amount and day once the claim's approvals are complete.
    case approved(approvers: String, final: (fen: Int64, date: String)?)
    case rejected(reason: String)
    case paid(fen: Int64, date: String, batch: String?)
    /// Every approval withdrawn: reviewed again, approvable for `approvableFen`.
    case approvalRevoked(approvableFen: Int64)
    /// Approved again, unpaid.
    case paymentReturned
}

/// A correction's record of the step it undid (`claim_reversals` in a ledger file).
public struct ClaimReversalRow: Sendable {
    public let seq: Int64
    public let claim: Int64
    public let unit: String
    public let planYear: Int64
    public let benefit: String
    /// "approval" or "payment".
    public let step: String
    public let reversedSeq: Int64
    public let reversedOn: String
    public let reversedFen: Int64
    public let date: String
}

/// The fund report's claim figures per day, plan year and benefit.
public enum ClaimTallyMeasure: String, Sendable {
    /// Claims filed that count toward a payout (not rejected by the rules), at their assessment.
    case pending
    /// Claims whose approvals completed, at the amount approved (and their assessment).
    case approved
    /// Claims paid.
    case paid
}
