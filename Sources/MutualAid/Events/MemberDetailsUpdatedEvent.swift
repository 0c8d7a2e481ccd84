import Ledger

/// `member.details-updated`: which of a member's personal fields changed, and the
/// commitment to them all as they now stand (the fields stay outside the log).
public struct MemberDetailsUpdatedEvent: MutualAidEvent {
    public static let kind = MutualAidKinds.memberDetailsUpdated
    public let member: String
    public let commitment: String
    /// The fields' names, sorted.
    public let updated: [String]
    public let reason: String

    public init(member: String, commitment: String, updated: [String], reason: String) {
        self.member = member
        self.commitment = commitment
        self.updated = updated
        self.reason = reason
    }

    public init(_ fields: EventFields) throws {
        self.init(member: try fields.string("member"), commitment: try fields.string("commitment"), updated: try fields.stringArray("updated"),
                  reason: try fields.string("reason"))
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        try EventDraft(kind: Self.kind, fields: ["member": .string(member), "commitment": .string(commitment),
                                                 "updated": .array(updated.map { .string($0) }), "reason": .string(reason)])
    }

    func project(_ event: RecordedEvent, tables: any MutualAidTables, writer: any LedgerStoreWriter) throws {
        guard try tables.updateCommitment(member: member, commitment: commitment) else {
            throw EventFields(event).badField("names member \(member), who is not on the register")
        }
    }
}
