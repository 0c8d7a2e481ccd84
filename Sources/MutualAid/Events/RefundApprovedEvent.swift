import Ledger

/// `contribution.refund-approved`: an approver's approval of a refund to a unit, under the
/// reference the clerk's refund will name.
public struct RefundApprovedEvent: MutualAidEvent {
    public static let kind = MutualAidKinds.refundApproved
    public let unit: String
    public let planYear: Int64
    public let amountFen: Int64
    public let reference: String
    public let date: LedgerDate
    public let idempotencyKey: String

    public init(unit: String, planYear: Int64, amountFen: Int64, reference: String, date: LedgerDate, idempotencyKey: String) {
        self.unit = unit
        self.planYear = planYear
        self.amountFen = amountFen
        self.reference = reference
        self.date = date
        self.idempotencyKey = idempotencyKey
    }

    public init(_ fields: EventFields) throws {
        self.init(unit: try fields.string("unit"), planYear: try fields.int("planYear"), amountFen: try fields.int("amountFen"),
                  reference: try fields.string("reference"), date: try fields.date(), idempotencyKey: try fields.idempotencyKey())
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        try EventDraft(kind: Self.kind, date: date, idempotencyKey: idempotencyKey,
                       fields: ["unit": .string(unit), "planYear": .integer(planYear), "amountFen": .integer(amountFen),
                                "reference": .string(reference)])
    }
}
