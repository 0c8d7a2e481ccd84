/// What every reversing event carries (`AppendSession.reverse`): the event it reverses, why,
/// the day, and the original's postings on the opposite sides, under the idempotency key
/// `reversal:<seq>`. The core's `entry.reversed` is these alone; a domain's reversal kinds
/// add their own fields.
public struct ReversalFields: Sendable, Equatable {
    public let reverses: Int64
    public let reason: String
    public let date: LedgerDate
    public let postings: [Posting]

    public init(reverses: Int64, reason: String, date: LedgerDate, postings: [Posting]) {
        self.reverses = reverses
        self.reason = reason
        self.date = date
        self.postings = postings
    }

    public init(_ fields: EventFields) throws {
        self.init(reverses: try fields.int("reverses"), reason: try fields.string("reason"), date: try fields.date(),
                  postings: try fields.postings())
    }

    public var idempotencyKey: String { "reversal:\(reverses)" }

    /// The reversing event of `kind`, with `fields` (the domain's own) beside these.
    public func draft(kind: EventKind, fields: [String: JSONValue] = [:]) throws(LedgerInputError) -> EventDraft {
        var data = fields
        data["reverses"] = .integer(reverses)
        data["reason"] = .string(reason)
        return try EventDraft(kind: kind, date: date, postings: postings, idempotencyKey: idempotencyKey, fields: data)
    }
}
