/// `entry.posted`: a journal entry (记账凭证), its memo and balanced postings, keyed
/// `entry:<reference>` when the clerk gave one.
public struct EntryPostedEvent: EventValue, Equatable {
    public static let kind = EventKind.entryPosted
    public let date: LedgerDate
    public let memo: String
    public let postings: [Posting]
    public let idempotencyKey: String?

    public init(date: LedgerDate, memo: String, postings: [Posting], idempotencyKey: String?) {
        self.date = date
        self.memo = memo
        self.postings = postings
        self.idempotencyKey = idempotencyKey
    }

    public init(_ fields: EventFields) throws {
        self.init(date: try fields.date(), memo: try fields.string("memo"), postings: try fields.postings(),
                  idempotencyKey: try fields.optionalString("idempotencyKey"))
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        try EventDraft(kind: Self.kind, date: date, postings: postings, idempotencyKey: idempotencyKey, fields: ["memo": .string(memo)])
    }
}
