import Ledger

/// Whom an event is about, read from its kind's value: a member (for a plan year, or for
/// none), a unit (likewise), or a claim's step (whose member is the claim's). The member
/// statements and the statement index (FORMAT §10) place events by it.
public enum EventSubject: Sendable, Equatable {
    case member(String, year: Int64?)
    case unit(String, year: Int64?)
    case claimStep(claim: Int64)

    /// The subject of `event`; nil for an event about nobody in particular (a plan, an
    /// entry, a checkpoint), or one that does not read as its kind's value (which
    /// `events.format` reports).
    public init?(_ event: RecordedEvent) {
        switch event.kind {
        case MutualAidKinds.memberEnrolled:
            guard let value = try? MemberEnrolledEvent(event: event) else { return nil }
            self = .member(value.member, year: value.planYear)
        case MutualAidKinds.claimFiled:
            guard let value = try? ClaimFiledEvent(event: event) else { return nil }
            self = .member(value.member, year: value.planYear)
        case MutualAidKinds.memberLeft:
            guard let value = try? MemberLeftEvent(event: event) else { return nil }
            self = .member(value.member, year: nil)
        case MutualAidKinds.memberErased:
            guard let value = try? MemberErasedEvent(event: event) else { return nil }
            self = .member(value.member, year: nil)
        case MutualAidKinds.memberDetailsUpdated:
            guard let value = try? MemberDetailsUpdatedEvent(event: event) else { return nil }
            self = .member(value.member, year: nil)
        case let kind where MutualAidKinds.claimSteps.contains(kind):
            guard let value = try? ClaimStepEvent(event) else { return nil }
            self = .claimStep(claim: value.claim)
        case MutualAidKinds.contributionBilled:
            guard let value = try? ContributionBilledEvent(event: event) else { return nil }
            self = .unit(value.unit, year: value.planYear)
        case MutualAidKinds.contributionReceived:
            guard let value = try? ContributionReceivedEvent(event: event) else { return nil }
            self = .unit(value.unit, year: value.planYear)
        case MutualAidKinds.contributionRefunded:
            guard let value = try? ContributionRefundedEvent(event: event) else { return nil }
            self = .unit(value.unit, year: value.planYear)
        case MutualAidKinds.contributionReversed:
            guard let value = try? ContributionReversedEvent(event: event) else { return nil }
            self = .unit(value.unit, year: value.planYear)
        case MutualAidKinds.unitAdded:
            guard let value = try? UnitAddedEvent(event: event) else { return nil }
            self = .unit(value.unit, year: nil)
        default:
            return nil
        }
    }
}
