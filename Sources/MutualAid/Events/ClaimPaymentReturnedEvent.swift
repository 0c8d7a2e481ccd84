import Ledger

/// `claim.payment-returned` (支付退回): a payment the bank returned; the claim is approved
/// and unpaid again.
public struct ClaimPaymentReturnedEvent: MutualAidEvent {
    public static let kind = MutualAidKinds.claimPaymentReturned
    public let reversal: ReversalFields
    public let claim: Int64
    public let amountFen: Int64
    public let batch: String?

    public init(_ fields: EventFields) throws {
        reversal = try ReversalFields(fields)
        claim = try fields.int("claim")
        amountFen = try fields.int("amountFen")
        batch = try fields.optionalString("batch")
    }

    /// The fields the domain adds to the reversal (`DomainReversal`).
    public static func fields(claim: Int64, amountFen: Int64, batch: String?) -> [String: JSONValue] {
        var fields: [String: JSONValue] = ["claim": .integer(claim), "amountFen": .integer(amountFen)]
        if let batch { fields["batch"] = .string(batch) }
        return fields
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        try reversal.draft(kind: Self.kind, fields: Self.fields(claim: claim, amountFen: amountFen, batch: batch))
    }

    func project(_ event: RecordedEvent, tables: any MutualAidTables, writer: any LedgerStoreWriter) throws {
        let step = try ClaimProjection.Step(claim: claim, event: event, tables: tables, writer: writer)
        try step.recordReversal(step: "payment", from: .paid, reversedOn: step.record.paidOn, reversedFen: step.record.paidFen,
                                reverses: reversal.reverses, date: reversal.date)
        try step.tally(.paid, on: reversal.date.text, -1, -(step.record.paidFen ?? 0))
        try tables.updateClaim(claim, .paymentReturned, seq: event.seq)
        try writer.insertReversal(original: reversal.reverses, reversal: event.seq)
        try tables.markClaimCorrected(claim, seq: event.seq, on: reversal.date.text)
    }
}
