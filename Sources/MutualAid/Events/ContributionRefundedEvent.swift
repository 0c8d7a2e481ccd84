import Ledger

/// `contribution.refunded`: part of a unit's contribution paid back, as an approver
/// approved it under `reference` (`contribution.refund-approved`).
public struct ContributionRefundedEvent: MutualAidEvent {
    public static let kind = MutualAidKinds.contributionRefunded
    public let unit: String
    public let planYear: Int64
    public let amountFen: Int64
    public let reason: String
    public let reference: String
    public let date: LedgerDate
    public let postings: [Posting]
    public let idempotencyKey: String

    public init(unit: String, planYear: Int64, amountFen: Int64, reason: String, reference: String, date: LedgerDate, postings: [Posting],
         idempotencyKey: String) {
        self.unit = unit
        self.planYear = planYear
        self.amountFen = amountFen
        self.reason = reason
        self.reference = reference
        self.date = date
        self.postings = postings
        self.idempotencyKey = idempotencyKey
    }

    public init(_ fields: EventFields) throws {
        self.init(unit: try fields.string("unit"), planYear: try fields.int("planYear"), amountFen: try fields.int("amountFen"),
                  reason: try fields.string("reason"), reference: try fields.string("reference"), date: try fields.date(),
                  postings: try fields.postings(), idempotencyKey: try fields.idempotencyKey())
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        try EventDraft(kind: Self.kind, date: date, postings: postings, idempotencyKey: idempotencyKey,
                       fields: ["unit": .string(unit), "planYear": .integer(planYear), "amountFen": .integer(amountFen),
                                "reason": .string(reason), "reference": .string(reference)])
    }

    func project(_ event: RecordedEvent, tables: any MutualAidTables, writer: any LedgerStoreWriter) throws {
        var moved = UnitContributionRecord()
        moved.refunded = Money(fen: amountFen)
        _ = try tables.addContributions(unit: unit, planYear: planYear, moved, mustExist: false)
    }
}
