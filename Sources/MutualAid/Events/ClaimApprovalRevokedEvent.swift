import Ledger

/// `claim.approval-revoked` (撤销审批): every approval of a claim's round withdrawn before it
/// is paid; the claim waits for a decision again. A final approval's revocation says what
/// the claim may then be approved for (`approvableFen`, see `PlanReversals.approval`).
public struct ClaimApprovalRevokedEvent: MutualAidEvent {
    public static let kind = MutualAidKinds.claimApprovalRevoked
    public let reversal: ReversalFields
    public let claim: Int64
    /// The seqs of the round's approvals, all withdrawn.
    public let approvals: [Int64]
    public let amountFen: Int64
    public let final: Bool
    public let approvableFen: Int64?

    public init(_ fields: EventFields) throws {
        reversal = try ReversalFields(fields)
        claim = try fields.int("claim")
        approvals = try fields.intArray("approvals")
        amountFen = try fields.int("amountFen")
        final = try fields.bool("final")
        approvableFen = try fields.optionalInt("approvableFen")
    }

    /// The fields the domain adds to the reversal (`DomainReversal`).
    public static func fields(claim: Int64, approvals: [Int64], amountFen: Int64, final: Bool, approvableFen: Int64?) -> [String: JSONValue] {
        var fields: [String: JSONValue] = ["claim": .integer(claim), "approvals": .array(approvals.map { .integer($0) }),
                                           "amountFen": .integer(amountFen), "final": .bool(final)]
        if let approvableFen { fields["approvableFen"] = .integer(approvableFen) }
        return fields
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        try reversal.draft(kind: Self.kind, fields: Self.fields(claim: claim, approvals: approvals, amountFen: amountFen, final: final,
                                                                approvableFen: approvableFen))
    }

    func project(_ event: RecordedEvent, tables: any MutualAidTables, writer: any LedgerStoreWriter) throws {
        let step = try ClaimProjection.Step(claim: claim, event: event, tables: tables, writer: writer)
        let record = step.record
        // Every approval of the round is withdrawn; the claim counts against the caps at what
        // it may now be approved for: `approvableFen` (its assessment, or less where the caps
        // have since been spent).
        var approvableNow = record.approvableFen
        if final {
            try step.recordReversal(step: "approval", from: .approved, reversedOn: record.approvedOn, reversedFen: record.approvedFen,
                                    reverses: reversal.reverses, date: reversal.date)
            approvableNow = approvableFen ?? record.assessedFen
            try step.use(approvableNow - (record.approvedFen ?? approvableNow))
            try step.tally(.approved, on: reversal.date.text, -1, -(record.approvedFen ?? 0), assessed: -record.assessedFen)
        } else if record.state != .partlyApproved {
            throw EventFields(event).badField("withdraws the first approval of claim \(claim), which is \(record.state.rawValue)")
        }
        try tables.updateClaim(claim, .approvalRevoked(approvableFen: approvableNow), seq: event.seq)
        for approval in approvals { try writer.insertReversal(original: approval, reversal: event.seq) }
        try tables.markClaimCorrected(claim, seq: event.seq, on: reversal.date.text)
    }
}
