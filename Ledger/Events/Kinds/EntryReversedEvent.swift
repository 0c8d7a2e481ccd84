/// `entry.reversed`: an entry's lines posted on the opposite sides, naming the entry.
public struct EntryReversedEvent: EventValue, Equatable {
    public static let kind = EventKind.entryReversed
    public let reversal: ReversalFields

    public init(reversal: ReversalFields) { self.reversal = reversal }

    public init(_ fields: EventFields) throws { self.init(reversal: try ReversalFields(fields)) }

    public func draft() throws(LedgerInputError) -> EventDraft { try reversal.draft(kind: Self.kind) }
}
