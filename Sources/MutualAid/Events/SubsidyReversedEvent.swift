import Ledger

/// `subsidy.reversed`: a subsidy receipt reversed, with the figures it copies from it.
public struct SubsidyReversedEvent: MutualAidEvent {
    public static let kind = MutualAidKinds.subsidyReversed
    public let reversal: ReversalFields
    public let planYear: Int64
    public let amountFen: Int64
    public let reference: String

    public init(reversal: ReversalFields, planYear: Int64, amountFen: Int64, reference: String) {
        self.reversal = reversal
        self.planYear = planYear
        self.amountFen = amountFen
        self.reference = reference
    }

    public init(_ fields: EventFields) throws {
        let reversed = try fields.string("reversedKind")
        guard reversed == MutualAidKinds.subsidyReceived.name else { throw fields.badField("reverses a \(reversed) event, which is not a subsidy") }
        self.init(reversal: try ReversalFields(fields), planYear: try fields.int("planYear"), amountFen: try fields.int("amountFen"),
                  reference: try fields.string("reference"))
    }

    /// The fields the domain adds to the reversal (`DomainReversal`).
    public static func fields(planYear: Int64, amountFen: Int64, reference: String) -> [String: JSONValue] {
        ["reversedKind": .string(MutualAidKinds.subsidyReceived.name), "planYear": .integer(planYear), "amountFen": .integer(amountFen),
         "reference": .string(reference)]
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        try reversal.draft(kind: Self.kind, fields: Self.fields(planYear: planYear, amountFen: amountFen, reference: reference))
    }

    func project(_ event: RecordedEvent, tables: any MutualAidTables, writer: any LedgerStoreWriter) throws {
        guard try tables.addSubsidy(planYear: planYear, fen: -amountFen, mustExist: true) else {
            throw EventFields(event).badField("names plan year \(planYear), which received no subsidy")
        }
        try writer.insertReversal(original: reversal.reverses, reversal: event.seq)
    }
}
