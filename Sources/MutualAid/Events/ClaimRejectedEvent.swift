import Ledger

/// `claim.rejected`: an approver's rejection of a claim not yet approved, keyed `reject:<claim>`.
public struct ClaimRejectedEvent: MutualAidEvent {
    public static let kind = MutualAidKinds.claimRejected
    public let claim: Int64
    public let reason: String
    public let date: LedgerDate
    public let idempotencyKey: String

    public init(claim: Int64, reason: String, date: LedgerDate) {
        self.init(claim: claim, reason: reason, date: date, idempotencyKey: "reject:\(claim)")
    }

    private init(claim: Int64, reason: String, date: LedgerDate, idempotencyKey: String) {
        self.claim = claim
        self.reason = reason
        self.date = date
        self.idempotencyKey = idempotencyKey
    }

    public init(_ fields: EventFields) throws {
        self.init(claim: try fields.int("claim"), reason: try fields.string("reason"), date: try fields.date(),
                  idempotencyKey: try fields.idempotencyKey())
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        try EventDraft(kind: Self.kind, date: date, idempotencyKey: idempotencyKey, fields: ["claim": .integer(claim), "reason": .string(reason)])
    }

    func project(_ event: RecordedEvent, tables: any MutualAidTables, writer: any LedgerStoreWriter) throws {
        let step = try ClaimProjection.Step(claim: claim, event: event, tables: tables, writer: writer)
        try tables.updateClaim(claim, .rejected(reason: reason), seq: event.seq)
        try step.use(-step.record.approvableFen)
        try step.tally(.pending, on: date.text, -1, -step.record.assessedFen)
    }
}
