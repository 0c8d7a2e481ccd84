import Ledger

/// `member.erased`: who erased a member's personal data, and why; the data itself never
/// was in the log (PIPL 删除权).
public struct MemberErasedEvent: MutualAidEvent {
    public static let kind = MutualAidKinds.memberErased
    public let member: String
    public let reason: String

    public init(member: String, reason: String) {
        self.member = member
        self.reason = reason
    }

    public init(_ fields: EventFields) throws {
        self.init(member: try fields.string("member"), reason: try fields.string("reason"))
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        try EventDraft(kind: Self.kind, fields: ["member": .string(member), "reason": .string(reason)])
    }

    func project(_ event: RecordedEvent, tables: any MutualAidTables, writer: any LedgerStoreWriter) throws {
        try tables.markErased(member: member, seq: event.seq)
    }
}
