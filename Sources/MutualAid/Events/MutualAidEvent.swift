import Ledger

/// A mutual-aid event's value (`EventValue`) and what recording it does to the register:
/// `MutualAidProjection` reads each event as its kind's value and calls `project`, in the
/// append's transaction and again in the audit's replay.
protocol MutualAidEvent: EventValue {
    /// Applies the event, recorded as `event`, to the register through `tables` (and to the
    /// ledger's reversals through `writer`). Default: nothing (a control's approval, the
    /// statement index, which the register reads from the log).
    func project(_ event: RecordedEvent, tables: any MutualAidTables, writer: any LedgerStoreWriter) throws
}

extension MutualAidEvent {
    func project(_ event: RecordedEvent, tables: any MutualAidTables, writer: any LedgerStoreWriter) throws {}
}

/// The domain's event values, one per kind of `MutualAidKinds`.
public enum MutualAidEvents {
    static let all: [any MutualAidEvent.Type] = [
        PlanPublishedEvent.self, UnitAddedEvent.self, StatementsIndexedEvent.self,
        MemberEnrolledEvent.self, MemberLeftEvent.self, MemberErasedEvent.self, MemberDetailsUpdatedEvent.self,
        ContributionBilledEvent.self, ContributionReceivedEvent.self, ContributionRefundedEvent.self, SubsidyReceivedEvent.self,
        ContributionReversedEvent.self, SubsidyReversedEvent.self,
        ClaimFiledEvent.self, ClaimReviewedEvent.self, ClaimApprovedEvent.self, ClaimRejectedEvent.self, ClaimPaidEvent.self,
        ClaimApprovalRevokedEvent.self, ClaimPaymentReturnedEvent.self,
        EntryProposedEvent.self, EntryApprovedEvent.self, EntryRejectedEvent.self, PaymentBatchApprovedEvent.self, RefundApprovedEvent.self,
    ]

    static let byKind: [EventKind: any MutualAidEvent.Type] = Dictionary(uniqueKeysWithValues: all.map { ($0.kind, $0) })

    /// The ledger core's values and the domain's: every kind a mutual-aid ledger records.
    public static let catalog = EventValueCatalog.ledgerCore.merging(EventValueCatalog(all))
}
