import Ledger

/// `entry.approved`: approval `approval` of a proposed entry, on the day recorded
/// (`approvedOn`); the `final` one posts the proposal's lines, dated the entry's date.
public struct EntryApprovedEvent: MutualAidEvent {
    public static let kind = MutualAidKinds.entryApproved
    public let proposal: Int64
    public let approval: Int64
    public let final: Bool
    public let approvedOn: LedgerDate
    public let date: LedgerDate
    /// The proposal's lines when `final`; none before.
    public let postings: [Posting]
    public let idempotencyKey: String

    public init(proposal: Int64, approval: Int64, final: Bool, approvedOn: LedgerDate, date: LedgerDate, postings: [Posting], idempotencyKey: String) {
        self.proposal = proposal
        self.approval = approval
        self.final = final
        self.approvedOn = approvedOn
        self.date = date
        self.postings = postings
        self.idempotencyKey = idempotencyKey
    }

    public init(_ fields: EventFields) throws {
        self.init(proposal: try fields.int("proposal"), approval: try fields.int("approval"), final: try fields.bool("final"),
                  approvedOn: try fields.parsed("approvedOn") { try LedgerDate($0) }, date: try fields.date(), postings: try fields.postings(),
                  idempotencyKey: try fields.idempotencyKey())
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        try EventDraft(kind: Self.kind, date: date, postings: postings, idempotencyKey: idempotencyKey,
                       fields: ["proposal": .integer(proposal), "approval": .integer(approval), "final": .bool(final),
                                "approvedOn": .string(approvedOn.text)])
    }
}
