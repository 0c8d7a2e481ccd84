import Ledger

/// `member.left`: a member left the plan year (退出); coverage ends that day.
public struct MemberLeftEvent: MutualAidEvent {
    public static let kind = MutualAidKinds.memberLeft
    public let member: String
    public let planYear: Int64
    public let reason: String
    public let date: LedgerDate
    public let idempotencyKey: String

    public init(member: String, planYear: Int64, reason: String, date: LedgerDate) {
        self.init(member: member, planYear: planYear, reason: reason, date: date, idempotencyKey: "leave:\(planYear):\(member)")
    }

    private init(member: String, planYear: Int64, reason: String, date: LedgerDate, idempotencyKey: String) {
        self.member = member
        self.planYear = planYear
        self.reason = reason
        self.date = date
        self.idempotencyKey = idempotencyKey
    }

    public init(_ fields: EventFields) throws {
        self.init(member: try fields.string("member"), planYear: try fields.int("planYear"), reason: try fields.string("reason"),
                  date: try fields.date(), idempotencyKey: try fields.idempotencyKey())
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        try EventDraft(kind: Self.kind, date: date, idempotencyKey: idempotencyKey,
                       fields: ["member": .string(member), "planYear": .integer(planYear), "reason": .string(reason)])
    }

    func project(_ event: RecordedEvent, tables: any MutualAidTables, writer: any LedgerStoreWriter) throws {
        try tables.recordLeft(member: member, planYear: planYear, on: date.text)
    }
}
