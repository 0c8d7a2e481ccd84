import Ledger

/// The mutual-aid domain's event kinds and who may sign them.
///
/// Separation of duties starts here: only clerks file claims and record money coming in
/// and going out; only approvers review, approve and reject; administrators publish
/// rules and erase personal data; auditors sign nothing.
public enum MutualAidKinds {
    public static let planPublished: EventKind = "plan.published"
    public static let unitAdded: EventKind = "unit.added"
    public static let memberEnrolled: EventKind = "member.enrolled"
    public static let memberLeft: EventKind = "member.left"
    /// Records that a member's personal fields were erased (who, when); the fields themselves never were in the log.
    public static let memberErased: EventKind = "member.erased"
    public static let contributionBilled: EventKind = "contribution.billed"
    public static let contributionReceived: EventKind = "contribution.received"
    public static let subsidyReceived: EventKind = "subsidy.received"
    public static let contributionRefunded: EventKind = "contribution.refunded"
    public static let claimFiled: EventKind = "claim.filed"
    public static let claimReviewed: EventKind = "claim.reviewed"
    public static let claimApproved: EventKind = "claim.approved"
    public static let claimRejected: EventKind = "claim.rejected"
    public static let claimPaid: EventKind = "claim.paid"

    public static let policy = RolePolicy([
        planPublished: [.admin],
        unitAdded: [.clerk, .admin],
        memberEnrolled: [.clerk],
        memberLeft: [.clerk],
        memberErased: [.admin],
        contributionBilled: [.clerk],
        contributionReceived: [.clerk],
        subsidyReceived: [.clerk],
        contributionRefunded: [.clerk],
        claimFiled: [.clerk],
        claimReviewed: [.approver],
        claimApproved: [.approver],
        claimRejected: [.approver],
        claimPaid: [.clerk],
    ])
}
