/// An event before it is appended: what happened, not yet where it sits in the chain.
///
/// The Ledger assigns `seq`, `prev`, `time` and `actor` inside the write transaction, so
/// several processes appending at once still form one chain.
public struct EventDraft: Sendable {
    public let kind: EventKind
    /// The event's `data` object, including the standard fields below.
    public let data: [String: JSONValue]
    public let postings: [Posting]
    /// The business date, for events that belong to a day in the books.
    public let date: LedgerDate?
    /// A key that makes a repeat of this command return the original event instead of
    /// recording a second one (a claim number, a bank reference, an import row's hash).
    public let idempotencyKey: String?

    /// The longest idempotency key accepted; long enough for a hash and a prefix.
    public static let idempotencyKeyLengthMax = 200

    public init(kind: EventKind, date: LedgerDate? = nil, postings: [Posting] = [], idempotencyKey: String? = nil,
                fields: [String: JSONValue] = [:]) throws(LedgerInputError) {
        var data = fields
        if let date { data["date"] = .string(date.text) }
        if !postings.isEmpty {
            try postings.checkBalanced()
            data["postings"] = .array(postings.map(\.json))
        }
        if let idempotencyKey {
            try EventDraft.checkIdempotencyKey(idempotencyKey)
            data["idempotencyKey"] = .string(idempotencyKey)
        }
        self.kind = kind
        self.data = data
        self.postings = postings
        self.date = date
        self.idempotencyKey = idempotencyKey
    }

    static func checkIdempotencyKey(_ key: String) throws(LedgerInputError) {
        guard !key.isEmpty, key.utf8.count <= EventDraft.idempotencyKeyLengthMax else {
            throw LedgerInputError(field: "idempotency key", value: key, reason: "must be 1 to \(EventDraft.idempotencyKeyLengthMax) bytes")
        }
    }
}
