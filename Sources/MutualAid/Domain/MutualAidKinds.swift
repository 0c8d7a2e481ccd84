import Ledger

/// The mutual-aid domain's event kinds and who may sign them.
///
/// Separation of duties starts here: only clerks file claims and record money coming in
/// and going out (and correct those records); only approvers review, approve, reject and
/// revoke an approval; administrators publish rules and erase personal data; auditors
/// sign nothing.
public enum MutualAidKinds {
    public static let planPublished: EventKind = "plan.published"
    public static let unitAdded: EventKind = "unit.added"
    public static let memberEnrolled: EventKind = "member.enrolled"
    public static let memberLeft: EventKind = "member.left"
    /// Records that a member's personal fields were erased (who, when); the fields themselves never were in the log.
    public static let memberErased: EventKind = "member.erased"
    /// Records that a member's personal details changed (which fields, and the commitment to them all).
    public static let memberDetailsUpdated: EventKind = "member.details-updated"
    public static let contributionBilled: EventKind = "contribution.billed"
    public static let contributionReceived: EventKind = "contribution.received"
    public static let subsidyReceived: EventKind = "subsidy.received"
    public static let contributionRefunded: EventKind = "contribution.refunded"
    public static let claimFiled: EventKind = "claim.filed"
    public static let claimReviewed: EventKind = "claim.reviewed"
    public static let claimApproved: EventKind = "claim.approved"
    public static let claimRejected: EventKind = "claim.rejected"
    public static let claimPaid: EventKind = "claim.paid"

    // Corrections: each reverses one money step of the plan (`reverses`), recorded through
    // `Ledger.reverse` with the step's postings on the opposite sides (see PlanReversals).
    /// Reverses a `contribution.billed`, `.received` or `.refunded` event (开单/到账/退还冲销).
    public static let contributionReversed: EventKind = "contribution.reversed"
    /// Reverses a `subsidy.received` event.
    public static let subsidyReversed: EventKind = "subsidy.reversed"
    /// Withdraws a claim's approval (撤销审批), before it is paid: the claim is reviewed again.
    public static let claimApprovalRevoked: EventKind = "claim.approval-revoked"
    /// Records a payment the bank returned (支付退回): the claim is approved and unpaid again.
    public static let claimPaymentReturned: EventKind = "claim.payment-returned"
    /// The steps of a filed claim, each naming it by `claim` (its filing's seq).
    public static let claimSteps: Set<EventKind> = [claimReviewed, claimApproved, claimRejected, claimPaid, claimApprovalRevoked,
                                                    claimPaymentReturned]

    // Internal control of the fund's money outside claims (see PlanControls).
    /// A general entry on the plan's accounts proposed by a clerk (记账凭证待审): posts nothing.
    public static let entryProposed: EventKind = "entry.proposed"
    /// An approver's approval of a proposed entry; the approval that completes it posts the entry.
    public static let entryApproved: EventKind = "entry.approved"
    /// An approver's rejection of a proposed entry: it will never post.
    public static let entryRejected: EventKind = "entry.rejected"
    /// An approver's approval of a payment batch (its claims and total) before a clerk pays it.
    public static let paymentBatchApproved: EventKind = "payment.batch-approved"
    /// An approver's approval of a refund to a unit before a clerk records it.
    public static let refundApproved: EventKind = "contribution.refund-approved"

    // Member statements.
    /// An administrator's record of the statement index's root (FORMAT §10): what lets a
    /// member's statement prove that nothing of theirs was left out.
    public static let statementsIndexed: EventKind = "statements.indexed"

    public static let policy = RolePolicy([
        planPublished: [.admin],
        statementsIndexed: [.admin],
        unitAdded: [.clerk, .admin],
        memberEnrolled: [.clerk],
        memberLeft: [.clerk],
        memberErased: [.admin],
        memberDetailsUpdated: [.clerk],
        contributionBilled: [.clerk],
        contributionReceived: [.clerk],
        subsidyReceived: [.clerk],
        contributionRefunded: [.clerk],
        claimFiled: [.clerk],
        claimReviewed: [.approver],
        claimApproved: [.approver],
        claimRejected: [.approver],
        claimPaid: [.clerk],
        contributionReversed: [.clerk],
        subsidyReversed: [.clerk],
        claimApprovalRevoked: [.approver],
        claimPaymentReturned: [.clerk],
        entryProposed: [.clerk],
        entryApproved: [.approver],
        entryRejected: [.approver],
        paymentBatchApproved: [.approver],
        refundApproved: [.approver],
    ])
}
