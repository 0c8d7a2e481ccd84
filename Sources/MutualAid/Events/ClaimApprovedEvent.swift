import Ledger

/// `claim.approved`: one approval of a reviewed claim, numbered `approval` (1, or 2 where
/// the amount needs two approvers); the `final` one posts the payout to claims payable.
public struct ClaimApprovedEvent: MutualAidEvent {
    public static let kind = MutualAidKinds.claimApproved
    public let claim: Int64
    public let amountFen: Int64
    public let approval: Int64
    /// Why the amount differs from the assessment, where it does.
    public let reason: String?
    public let final: Bool
    public let date: LedgerDate
    public let postings: [Posting]
    public let idempotencyKey: String

    public init(claim: Int64, amountFen: Int64, approval: Int64, reason: String?, final: Bool, date: LedgerDate, postings: [Posting],
         idempotencyKey: String) {
        self.claim = claim
        self.amountFen = amountFen
        self.approval = approval
        self.reason = reason
        self.final = final
        self.date = date
        self.postings = postings
        self.idempotencyKey = idempotencyKey
    }

    public init(_ fields: EventFields) throws {
        self.init(claim: try fields.int("claim"), amountFen: try fields.int("amountFen"), approval: try fields.int("approval"),
                  reason: try fields.optionalString("reason"), final: try fields.bool("final"), date: try fields.date(),
                  postings: try fields.postings(), idempotencyKey: try fields.idempotencyKey())
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        var fields: [String: JSONValue] = ["claim": .integer(claim), "amountFen": .integer(amountFen), "approval": .integer(approval),
                                           "final": .bool(final)]
        if let reason { fields["reason"] = .string(reason) }
        return try EventDraft(kind: Self.kind, date: date, postings: postings, idempotencyKey: idempotencyKey, fields: fields)
    }

    func project(_ event: RecordedEvent, tables: any MutualAidTables, writer: any LedgerStoreWriter) throws {
        let step = try ClaimProjection.Step(claim: claim, event: event, tables: tables, writer: writer)
        let approvers = (step.record.approvers + [event.actor.value]).joined(separator: ",")
        guard final else {
            try tables.updateClaim(claim, .approved(approvers: approvers, final: nil), seq: event.seq)
            return
        }
        try tables.updateClaim(claim, .approved(approvers: approvers, final: (amountFen, date.text)), seq: event.seq)
        try step.use(amountFen - step.record.approvableFen)
        try step.tally(.approved, on: date.text, 1, amountFen, assessed: step.record.assessedFen)
    }
}
