import Ledger

/// `entry.rejected`: an approver's rejection of a proposed entry, on the day recorded; it never posts.
public struct EntryRejectedEvent: MutualAidEvent {
    public static let kind = MutualAidKinds.entryRejected
    public let proposal: Int64
    public let reason: String
    public let rejectedOn: LedgerDate
    public let idempotencyKey: String

    public init(proposal: Int64, reason: String, rejectedOn: LedgerDate, idempotencyKey: String) {
        self.proposal = proposal
        self.reason = reason
        self.rejectedOn = rejectedOn
        self.idempotencyKey = idempotencyKey
    }

    public init(_ fields: EventFields) throws {
        self.init(proposal: try fields.int("proposal"), reason: try fields.string("reason"),
                  rejectedOn: try fields.parsed("rejectedOn") { try LedgerDate($0) }, idempotencyKey: try fields.idempotencyKey())
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        try EventDraft(kind: Self.kind, idempotencyKey: idempotencyKey,
                       fields: ["proposal": .integer(proposal), "reason": .string(reason), "rejectedOn": .string(rejectedOn.text)])
    }
}
