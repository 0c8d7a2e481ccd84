import Ledger

/// `contribution.billed`: a unit billed for the members enrolled since its last bill
/// (headcount × the plan's rate), split between the unit and the union subsidy.
public struct ContributionBilledEvent: MutualAidEvent {
    public static let kind = MutualAidKinds.contributionBilled
    public let unit: String
    public let planYear: Int64
    /// The members billed by this bill, and the unit's billed headcount after it.
    public let headcount: Int64
    public let totalHeadcount: Int64
    public let rateFen: Int64
    public let unitFen: Int64
    public let subsidyFen: Int64
    public let date: LedgerDate
    public let postings: [Posting]
    public let idempotencyKey: String

    public init(unit: String, planYear: Int64, headcount: Int64, totalHeadcount: Int64, rateFen: Int64, unitFen: Int64, subsidyFen: Int64,
         date: LedgerDate, postings: [Posting], idempotencyKey: String) {
        self.unit = unit
        self.planYear = planYear
        self.headcount = headcount
        self.totalHeadcount = totalHeadcount
        self.rateFen = rateFen
        self.unitFen = unitFen
        self.subsidyFen = subsidyFen
        self.date = date
        self.postings = postings
        self.idempotencyKey = idempotencyKey
    }

    public init(_ fields: EventFields) throws {
        self.init(unit: try fields.string("unit"), planYear: try fields.int("planYear"), headcount: try fields.int("headcount"),
                  totalHeadcount: try fields.int("totalHeadcount"), rateFen: try fields.int("rateFen"), unitFen: try fields.int("unitFen"),
                  subsidyFen: try fields.int("subsidyFen"), date: try fields.date(), postings: try fields.postings(),
                  idempotencyKey: try fields.idempotencyKey())
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        try EventDraft(kind: Self.kind, date: date, postings: postings, idempotencyKey: idempotencyKey,
                       fields: ["unit": .string(unit), "planYear": .integer(planYear), "headcount": .integer(headcount),
                                "totalHeadcount": .integer(totalHeadcount), "rateFen": .integer(rateFen),
                                "unitFen": .integer(unitFen), "subsidyFen": .integer(subsidyFen)])
    }

    func project(_ event: RecordedEvent, tables: any MutualAidTables, writer: any LedgerStoreWriter) throws {
        var billed = UnitContributionRecord()
        billed.billedHeadcount = headcount
        billed.billedUnit = Money(fen: unitFen)
        billed.billedSubsidy = Money(fen: subsidyFen)
        _ = try tables.addContributions(unit: unit, planYear: planYear, billed, mustExist: false)
    }
}
