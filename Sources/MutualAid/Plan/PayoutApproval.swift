import Foundation
import Ledger

/// The approver's decision on a payable claim: the computed amount, or less with a
/// reason (审批调减须注明理由), never more.
///
/// The rules engine's amount is the most the plan allows, so an approver may not
/// raise it: that would pay outside the published rules, and the audit would flag it.
/// Lowering it is allowed — a document is missing an item, a bill line is outside
/// scope — but the reason must be written, because a silent reduction is
/// indistinguishable from an error to the member and the auditor.
///
/// ```swift
/// let approval = try PayoutApproval(computation: result, approved: Money(fen: 150_000),
///                                   reason: "发票 3 中 200 元为自费药品，不予计算")
/// plan.needsTwoApprovers(approval.approved)
/// ```
public struct PayoutApproval: Sendable, Hashable {
    /// What the rules computed.
    public let computed: Money
    /// What the approver approves: greater than zero and at most `computed`.
    public let approved: Money
    /// Why `approved` is lower than `computed`; required then, optional otherwise.
    public let reason: String?

    /// A reason is a sentence or two; anything longer belongs in an attached document.
    public static let reasonLengthMax = 500

    /// Approves `approved` against the amount the rules computed.
    ///
    /// - Throws: ``PayoutApprovalError`` when the claim was rejected, the amount is
    ///   zero or above the computed amount, or a reduction has no reason.
    public init(computed: Money, approved: Money, reason: String? = nil) throws(PayoutApprovalError) {
        guard approved.fen > 0 else { throw .notPositive(approved: approved) }
        guard approved <= computed else { throw .aboveComputed(approved: approved, computed: computed) }
        // A reason of only spaces is no reason.
        let givenReason = reason.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        if approved < computed, givenReason == nil {
            throw .reasonRequired(approved: approved, computed: computed)
        }
        if let givenReason, givenReason.count > PayoutApproval.reasonLengthMax {
            throw .reasonTooLong(length: givenReason.count)
        }
        self.computed = computed
        self.approved = approved
        self.reason = givenReason
    }

    /// Approves `approved` against a computation, which must be payable.
    public init(computation: PayoutComputation, approved: Money, reason: String? = nil) throws(PayoutApprovalError) {
        switch computation.outcome {
        case .rejected(let rejection): throw .claimRejected(rejection)
        case .payable(let computed): try self.init(computed: computed, approved: approved, reason: reason)
        }
    }

    /// Whether the approver lowered the computed amount.
    public var isReduced: Bool { approved < computed }
}

/// Why an approval was refused; each case reads as a sentence.
public enum PayoutApprovalError: Error, Sendable, Equatable, CustomStringConvertible {
    case claimRejected(ClaimRejection)
    case notPositive(approved: Money)
    case aboveComputed(approved: Money, computed: Money)
    case reasonRequired(approved: Money, computed: Money)
    case reasonTooLong(length: Int)

    public var description: String {
        switch self {
        case .claimRejected(let rejection):
            "a rejected claim cannot be approved: \(rejection.sentence)"
        case .notPositive(let approved):
            "an approved amount must be greater than zero, found \(approved.formatted()); reject the claim instead"
        case let .aboveComputed(approved, computed):
            "the approved amount \(approved.formatted()) is more than the \(computed.formatted()) the plan rules allow"
        case let .reasonRequired(approved, computed):
            "approving \(approved.formatted()) instead of the computed \(computed.formatted()) needs a reason"
        case .reasonTooLong(let length):
            "the reason is \(length) characters long; at most \(PayoutApproval.reasonLengthMax) are allowed"
        }
    }
}
