import Ledger

/// `claim.reviewed`: an approver's review of a filed claim (初审), keyed `review:<claim>`.
public struct ClaimReviewedEvent: MutualAidEvent {
    public static let kind = MutualAidKinds.claimReviewed
    public let claim: Int64
    public let note: String
    public let idempotencyKey: String

    public init(claim: Int64, note: String) { self.init(claim: claim, note: note, idempotencyKey: "review:\(claim)") }

    private init(claim: Int64, note: String, idempotencyKey: String) {
        self.claim = claim
        self.note = note
        self.idempotencyKey = idempotencyKey
    }

    public init(_ fields: EventFields) throws {
        self.init(claim: try fields.int("claim"), note: try fields.string("note"), idempotencyKey: try fields.idempotencyKey())
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        try EventDraft(kind: Self.kind, idempotencyKey: idempotencyKey, fields: ["claim": .integer(claim), "note": .string(note)])
    }

    func project(_ event: RecordedEvent, tables: any MutualAidTables, writer: any LedgerStoreWriter) throws {
        _ = try ClaimProjection.Step(claim: claim, event: event, tables: tables, writer: writer)
        try tables.updateClaim(claim, .reviewed(reviewer: event.actor.value), seq: event.seq)
    }
}
