import Ledger

/// A count of claims (人次 or 件数) and their amount.
public struct ClaimTally: Sendable, Hashable {
    public var count: Int64 = 0
    public var amount = Money.zero

    public init(count: Int64 = 0, amount: Money = .zero) {
        self.count = count
        self.amount = amount
    }

    public mutating func add(_ other: ClaimTally) throws(MoneyError) {
        count += other.count
        amount = try amount.adding(other.amount)
    }
}

extension Dictionary where Key == String, Value == ClaimTally {
    /// The sum over every benefit.
    public func total() throws(MoneyError) -> ClaimTally {
        var sum = ClaimTally()
        for tally in values { try sum.add(tally) }
        return sum
    }
}

/// A claim refused in a span: by the rules when filed, or by an approver later.
public struct ClaimRejectionRecord: Sendable, Hashable {
    public let claim: String
    public let benefit: String
    /// `ClaimRejection.code`, or `ClaimRejectionRecord.approverCode`.
    public let code: String
    public let reason: String
    public let date: String

    /// The code of a claim an approver rejected (the rules' rejections have their own codes).
    public static let approverCode = "approver"

    public init(claim: String, benefit: String, code: String, reason: String, date: String) {
        self.claim = claim
        self.benefit = benefit
        self.code = code
        self.reason = reason
        self.date = date
    }
}

/// A claim as the register stands now, with the member's personal fields (nil once erased).
public struct ClaimRegisterRecord: Sendable, Hashable {
    public let claim: String
    public let unit: String
    public let member: String
    public let personal: [String: JSONValue]?
    public let benefit: String
    public let serviceDate: String
    public let filedOn: String
    public let state: ClaimState
    public let assessed: Money
    public let approved: Money?
    public let paid: Money?
    public let rejectionCode: String?
    public let rejectionReason: String

    public init(claim: String, unit: String, member: String, personal: [String: JSONValue]?, benefit: String, serviceDate: String,
                filedOn: String, state: ClaimState, assessed: Money, approved: Money?, paid: Money?, rejectionCode: String?,
                rejectionReason: String) {
        self.claim = claim
        self.unit = unit
        self.member = member
        self.personal = personal
        self.benefit = benefit
        self.serviceDate = serviceDate
        self.filedOn = filedOn
        self.state = state
        self.assessed = assessed
        self.approved = approved
        self.paid = paid
        self.rejectionCode = rejectionCode
        self.rejectionReason = rejectionReason
    }
}

/// Claims by date, as the fund report, the claims register and the period close read them.
///
/// Each is a range read on one of the register's date indexes, so a month's figures cost
/// what that month's claims cost, however long the books are.
public protocol ClaimRecords {
    /// Claims finally approved in `[from, through]`, per benefit: 人次 and approved amount,
    /// net of revocations dated in the span (an approval later revoked still counts in its
    /// own span; the revocation counts −1 and the amount in its). Of one plan year when given.
    func approvedClaims(from: LedgerDate, through: LedgerDate, planYear: Int?) throws -> [String: ClaimTally]
    /// Claims paid in `[from, through]`, per benefit, net of payments the bank returned in the span.
    func paidClaims(from: LedgerDate, through: LedgerDate) throws -> [String: ClaimTally]
    /// Claims waiting for a decision at the end of `day`, per benefit, at their assessed amounts.
    func pendingClaims(at day: LedgerDate) throws -> [String: ClaimTally]
    /// Claims rejected in `[from, through]`, by the rules on filing or by an approver.
    func rejectedClaims(from: LedgerDate, through: LedgerDate) throws -> [ClaimRejectionRecord]
    /// Claims filed, finally approved, paid, rejected or corrected in `[from, through]`, in
    /// filing order, at most `limit`.
    func claimsOfSpan(from: LedgerDate, through: LedgerDate, limit: Int) throws -> [ClaimRegisterRecord]
    /// A unit's claims of a plan year, in filing order, at most `limit`.
    func claims(unit: String, planYear: Int, limit: Int) throws -> [ClaimRegisterRecord]
    /// Claims finally approved in `[from, through]` and still unpaid, in filing order: claim id, approval day, plan year.
    func unpaidApprovedClaims(from: LedgerDate, through: LedgerDate) throws -> [(claim: String, approvedOn: LedgerDate, planYear: Int)]

    // MARK: The claims the domain decides on

    /// One claim, or nil when none has this id.
    func claim(_ id: Int64) throws -> ClaimRecord?
    /// What the projection of a claim's next step needs of it (`ClaimStepRecord`): fewer
    /// columns than `claim(_:)`, read once for every step a batch records.
    func claimForStep(_ id: Int64) throws -> ClaimStepRecord?
    /// Calls `body` with every claim `filter` takes (in `states` when given), in filing
    /// order, one row at a time: a list of a city's year never holds the year.
    func forEachClaim(_ filter: ClaimFilter, states: [ClaimState]?, _ body: (ClaimRecord) throws -> Void) throws
    /// The ids of the claims `filter` takes in `states`, in filing order.
    func claimIDs(_ filter: ClaimFilter, states: [ClaimState]) throws -> [Int64]
    /// The seq of a claim's latest correction, or nil when it has none.
    func correctedSeq(claim: Int64) throws -> Int64?
    /// The fen batch `batch`'s standing payments have paid.
    func batchPaidFen(_ batch: String) throws -> Int64
    /// Batch `batch`'s standing payments in the order paid: claim, member, amount.
    func standingPayments(batch: String) throws -> [(claim: Int64, member: String, paid: Money)]
    /// What `member` has used of every cap, per plan year and benefit, in that order.
    func capsUsed(member: String) throws -> [CapUsed]
    /// What `member` has used of the caps in `planYear`: under `benefit`, and in total.
    func capUsage(member: String, planYear: Int, benefit: String) throws -> CapUsage
}

/// What a member has used of one benefit's cap in a plan year.
/// A claim as the projection of its next step (a review, an approval, a rejection, a payment,
/// a correction) reads it: where it counts (member, unit, plan year, benefit), its state, its
/// amounts and its approvals so far.
public struct ClaimStepRecord: Sendable, Hashable {
    public let member: String
    public let unit: String
    public let planYear: Int64
    public let benefit: String
    public let state: ClaimState
    /// What it may be approved for: its assessment, or after a revoked approval what the caps leave.
    public let approvableFen: Int64
    public let assessedFen: Int64
    public let approvers: [String]
    public let approvedFen: Int64?
    public let approvedOn: String?
    public let paidFen: Int64?
    public let paidOn: String?

    public init(member: String, unit: String, planYear: Int64, benefit: String, state: ClaimState, approvableFen: Int64, assessedFen: Int64,
                approvers: [String], approvedFen: Int64?, approvedOn: String?, paidFen: Int64?, paidOn: String?) {
        self.member = member
        self.unit = unit
        self.planYear = planYear
        self.benefit = benefit
        self.state = state
        self.approvableFen = approvableFen
        self.assessedFen = assessedFen
        self.approvers = approvers
        self.approvedFen = approvedFen
        self.approvedOn = approvedOn
        self.paidFen = paidFen
        self.paidOn = paidOn
    }

    /// The step record of a claim read whole.
    public init(_ claim: ClaimRecord) {
        self.init(member: claim.member, unit: claim.unit, planYear: Int64(claim.year), benefit: claim.benefit, state: claim.state,
                  approvableFen: claim.approvable.fen, assessedFen: claim.computed.fen, approvers: claim.approvers,
                  approvedFen: claim.approved?.fen, approvedOn: claim.approvedOn, paidFen: claim.paid?.fen, paidOn: claim.paidOn)
    }
}

public struct CapUsed: Sendable, Hashable {
    public let planYear: Int
    public let benefit: String
    public let usedFen: Int64

    public init(planYear: Int, benefit: String, usedFen: Int64) {
        self.planYear = planYear
        self.benefit = benefit
        self.usedFen = usedFen
    }
}
