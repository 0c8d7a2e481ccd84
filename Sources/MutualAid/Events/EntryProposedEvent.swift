import Ledger

/// `entry.proposed` (记账凭证待审): a general entry on the plan's accounts proposed by a
/// clerk; it posts nothing until approved, within `lapsesOn`, by `approvalsNeeded` approvers.
public struct EntryProposedEvent: MutualAidEvent {
    public static let kind = MutualAidKinds.entryProposed
    public let memo: String
    /// The entry's lines, posted by the approval that completes it.
    public let lines: [Posting]
    public let amountFen: Int64
    public let lapsesOn: LedgerDate
    public let approvalsNeeded: Int64
    /// The entry's date.
    public let date: LedgerDate
    /// `proposal:<reference>` when the clerk gave one.
    public let idempotencyKey: String?

    public init(memo: String, lines: [Posting], amountFen: Int64, lapsesOn: LedgerDate, approvalsNeeded: Int64, date: LedgerDate,
         idempotencyKey: String?) {
        self.memo = memo
        self.lines = lines
        self.amountFen = amountFen
        self.lapsesOn = lapsesOn
        self.approvalsNeeded = approvalsNeeded
        self.date = date
        self.idempotencyKey = idempotencyKey
    }

    public init(_ fields: EventFields) throws {
        self.init(memo: try fields.string("memo"), lines: try fields.postings("lines"), amountFen: try fields.int("amountFen"),
                  lapsesOn: try fields.parsed("lapsesOn") { try LedgerDate($0) }, approvalsNeeded: try fields.int("approvalsNeeded"),
                  date: try fields.date(), idempotencyKey: try fields.optionalString("idempotencyKey"))
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        try EventDraft(kind: Self.kind, date: date, idempotencyKey: idempotencyKey,
                       fields: ["memo": .string(memo), "lines": .array(lines.map(\.json)), "amountFen": .integer(amountFen),
                                "lapsesOn": .string(lapsesOn.text), "approvalsNeeded": .integer(approvalsNeeded)])
    }
}
