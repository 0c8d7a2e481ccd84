import Ledger

/// `payment.batch-approved`: an approver's approval of a payment batch, its claims and
/// total, before a clerk pays it.
public struct PaymentBatchApprovedEvent: MutualAidEvent {
    public static let kind = MutualAidKinds.paymentBatchApproved
    public let batch: String
    public let claims: [Int64]
    public let amountFen: Int64
    public let date: LedgerDate
    public let idempotencyKey: String

    public init(batch: String, claims: [Int64], amountFen: Int64, date: LedgerDate, idempotencyKey: String) {
        self.batch = batch
        self.claims = claims
        self.amountFen = amountFen
        self.date = date
        self.idempotencyKey = idempotencyKey
    }

    public init(_ fields: EventFields) throws {
        self.init(batch: try fields.string("batch"), claims: try fields.intArray("claims"), amountFen: try fields.int("amountFen"),
                  date: try fields.date(), idempotencyKey: try fields.idempotencyKey())
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        try EventDraft(kind: Self.kind, date: date, idempotencyKey: idempotencyKey,
                       fields: ["batch": .string(batch), "claims": .array(claims.map { .integer($0) }), "amountFen": .integer(amountFen)])
    }
}
