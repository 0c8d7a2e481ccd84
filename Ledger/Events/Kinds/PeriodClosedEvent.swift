/// `period.closed`: a month closed, with the tree head signed at its close and the month's
/// closing balances (docs/BUNDLE.md). Both are optional to read: a close recorded without
/// them still closes its month, and the audit's `periods` check warns of it.
public struct PeriodClosedEvent: EventValue, Equatable {
    public static let kind = EventKind.periodClosed
    public let period: Period
    public let checkpoint: Checkpoint?
    /// The closing balances' summary as `ClosingBalances.summary` wrote it.
    public let closingBalances: JSONValue?

    public init(period: Period, checkpoint: Checkpoint?, closingBalances: JSONValue?) {
        self.period = period
        self.checkpoint = checkpoint
        self.closingBalances = closingBalances
    }

    public init(_ fields: EventFields) throws {
        var checkpoint: Checkpoint?
        if let json = fields.data["checkpoint"] {
            do { checkpoint = try Checkpoint(json: json) } catch { throw fields.badField("has a checkpoint that does not read: \(error)") }
        }
        self.init(period: try fields.parsed("period") { try Period($0) }, checkpoint: checkpoint, closingBalances: fields.data["closingBalances"])
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        var fields: [String: JSONValue] = ["period": .string(period.text)]
        if let checkpoint { fields["checkpoint"] = checkpoint.json }
        if let closingBalances { fields["closingBalances"] = closingBalances }
        return try EventDraft(kind: Self.kind, fields: fields)
    }
}
