import Ledger

/// `contribution.received`: a unit's payment received in the bank, keyed by the bank's
/// reference (`receipt:<reference>`, with `#2`, … after reversals).
public struct ContributionReceivedEvent: MutualAidEvent {
    public static let kind = MutualAidKinds.contributionReceived
    public let unit: String
    public let planYear: Int64
    public let amountFen: Int64
    public let bankReference: String
    public let date: LedgerDate
    public let postings: [Posting]
    public let idempotencyKey: String

    public init(unit: String, planYear: Int64, amountFen: Int64, bankReference: String, date: LedgerDate, postings: [Posting], idempotencyKey: String) {
        self.unit = unit
        self.planYear = planYear
        self.amountFen = amountFen
        self.bankReference = bankReference
        self.date = date
        self.postings = postings
        self.idempotencyKey = idempotencyKey
    }

    public init(_ fields: EventFields) throws {
        self.init(unit: try fields.string("unit"), planYear: try fields.int("planYear"), amountFen: try fields.int("amountFen"),
                  bankReference: try fields.string("bankReference"), date: try fields.date(), postings: try fields.postings(),
                  idempotencyKey: try fields.idempotencyKey())
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        try EventDraft(kind: Self.kind, date: date, postings: postings, idempotencyKey: idempotencyKey,
                       fields: ["unit": .string(unit), "planYear": .integer(planYear), "amountFen": .integer(amountFen),
                                "bankReference": .string(bankReference)])
    }

    func project(_ event: RecordedEvent, tables: any MutualAidTables, writer: any LedgerStoreWriter) throws {
        var moved = UnitContributionRecord()
        moved.received = Money(fen: amountFen)
        _ = try tables.addContributions(unit: unit, planYear: planYear, moved, mustExist: false)
    }
}
