import Ledger

/// A step of a filed claim, whichever its kind (`MutualAidKinds.claimSteps`): for readers
/// that follow a claim through its steps (the audit, a member's statement), with the claim
/// each names and the day it is dated.
public enum ClaimStepEvent: Sendable {
    case reviewed(ClaimReviewedEvent)
    case approved(ClaimApprovedEvent)
    case rejected(ClaimRejectedEvent)
    case paid(ClaimPaidEvent)
    case approvalRevoked(ClaimApprovalRevokedEvent)
    case paymentReturned(ClaimPaymentReturnedEvent)

    /// The step `event` records; throws for an event of another kind, or one that does not
    /// read as its kind's value.
    public init(_ event: RecordedEvent) throws {
        switch event.kind {
        case MutualAidKinds.claimReviewed: self = .reviewed(try ClaimReviewedEvent(event: event))
        case MutualAidKinds.claimApproved: self = .approved(try ClaimApprovedEvent(event: event))
        case MutualAidKinds.claimRejected: self = .rejected(try ClaimRejectedEvent(event: event))
        case MutualAidKinds.claimPaid: self = .paid(try ClaimPaidEvent(event: event))
        case MutualAidKinds.claimApprovalRevoked: self = .approvalRevoked(try ClaimApprovalRevokedEvent(event: event))
        case MutualAidKinds.claimPaymentReturned: self = .paymentReturned(try ClaimPaymentReturnedEvent(event: event))
        default: throw EventFields(event).badField("is not a step of a claim")
        }
    }

    /// The step a value already read from an event records (the audit reads each event as
    /// its kind's value once); nil for a value of another kind.
    public init?(_ value: any EventValue) {
        switch value {
        case let step as ClaimReviewedEvent: self = .reviewed(step)
        case let step as ClaimApprovedEvent: self = .approved(step)
        case let step as ClaimRejectedEvent: self = .rejected(step)
        case let step as ClaimPaidEvent: self = .paid(step)
        case let step as ClaimApprovalRevokedEvent: self = .approvalRevoked(step)
        case let step as ClaimPaymentReturnedEvent: self = .paymentReturned(step)
        default: return nil
        }
    }

    /// The claim's id: the seq of its `claim.filed` event.
    public var claim: Int64 {
        switch self {
        case let .reviewed(step): step.claim
        case let .approved(step): step.claim
        case let .rejected(step): step.claim
        case let .paid(step): step.claim
        case let .approvalRevoked(step): step.claim
        case let .paymentReturned(step): step.claim
        }
    }

    /// The day in the books; a review has none.
    public var date: LedgerDate? {
        switch self {
        case .reviewed: nil
        case let .approved(step): step.date
        case let .rejected(step): step.date
        case let .paid(step): step.date
        case let .approvalRevoked(step): step.reversal.date
        case let .paymentReturned(step): step.reversal.date
        }
    }
}
