import Ledger

/// `claim.paid`: an approved claim paid from the bank, in a payment batch.
public struct ClaimPaidEvent: MutualAidEvent {
    public static let kind = MutualAidKinds.claimPaid
    public let claim: Int64
    public let amountFen: Int64
    public let batch: String?
    public let date: LedgerDate
    public let postings: [Posting]
    public let idempotencyKey: String

    public init(claim: Int64, amountFen: Int64, batch: String?, date: LedgerDate, postings: [Posting], idempotencyKey: String) {
        self.claim = claim
        self.amountFen = amountFen
        self.batch = batch
        self.date = date
        self.postings = postings
        self.idempotencyKey = idempotencyKey
    }

    public init(_ fields: EventFields) throws {
        self.init(claim: try fields.int("claim"), amountFen: try fields.int("amountFen"), batch: try fields.optionalString("batch"),
                  date: try fields.date(), postings: try fields.postings(), idempotencyKey: try fields.idempotencyKey())
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        var fields: [String: JSONValue] = ["claim": .integer(claim), "amountFen": .integer(amountFen)]
        if let batch { fields["batch"] = .string(batch) }
        return try EventDraft(kind: Self.kind, date: date, postings: postings, idempotencyKey: idempotencyKey, fields: fields)
    }

    func project(_ event: RecordedEvent, tables: any MutualAidTables, writer: any LedgerStoreWriter) throws {
        let step = try ClaimProjection.Step(claim: claim, event: event, tables: tables, writer: writer)
        try tables.updateClaim(claim, .paid(fen: amountFen, date: date.text, batch: batch), seq: event.seq)
        try step.tally(.paid, on: date.text, 1, amountFen)
    }
}
