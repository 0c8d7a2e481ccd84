import Ledger

/// `subsidy.received`: the union's subsidy for a plan year received, keyed
/// `subsidy:<reference>` (with `#2`, … after reversals).
public struct SubsidyReceivedEvent: MutualAidEvent {
    public static let kind = MutualAidKinds.subsidyReceived
    public let planYear: Int64
    public let amountFen: Int64
    public let reference: String
    public let date: LedgerDate
    public let postings: [Posting]
    public let idempotencyKey: String

    public init(planYear: Int64, amountFen: Int64, reference: String, date: LedgerDate, postings: [Posting], idempotencyKey: String) {
        self.planYear = planYear
        self.amountFen = amountFen
        self.reference = reference
        self.date = date
        self.postings = postings
        self.idempotencyKey = idempotencyKey
    }

    public init(_ fields: EventFields) throws {
        self.init(planYear: try fields.int("planYear"), amountFen: try fields.int("amountFen"), reference: try fields.string("reference"),
                  date: try fields.date(), postings: try fields.postings(), idempotencyKey: try fields.idempotencyKey())
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        try EventDraft(kind: Self.kind, date: date, postings: postings, idempotencyKey: idempotencyKey,
                       fields: ["planYear": .integer(planYear), "amountFen": .integer(amountFen), "reference": .string(reference)])
    }

    func project(_ event: RecordedEvent, tables: any MutualAidTables, writer: any LedgerStoreWriter) throws {
        _ = try tables.addSubsidy(planYear: planYear, fen: amountFen, mustExist: false)
    }
}
