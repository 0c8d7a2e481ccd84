/// One kind of event as a typed value: its fields, and the one way they are written into
/// an event's data and read back from it.
///
/// Every place that records an event of a kind builds its value and appends `draft()`; the
/// projections, the audit and the reports read the value back with `init(_:)` rather than
/// spelling its keys again. Format v1 (docs/FORMAT.md) is what these values write: a value
/// read from a recorded event drafts the same data again, byte for byte, which the audit
/// checks for every event (`EventValueCatalog.reencodes`) and the tests check on events
/// written before the values existed (Tests/LedgerTests/Fixtures/v1-events.jsonl).
public protocol EventValue: Sendable {
    static var kind: EventKind { get }
    /// The value of a recorded event of `kind`; throws naming a field that is missing or of
    /// the wrong type.
    init(_ fields: EventFields) throws
    /// The event to append: kind, date, postings, idempotency key and fields. Throws what
    /// `EventDraft` refuses (postings that do not balance, a key too long).
    func draft() throws(LedgerInputError) -> EventDraft
}

extension EventValue {
    /// The value of `event`, which must be of this kind.
    public init(event: RecordedEvent) throws {
        guard event.kind == Self.kind else {
            throw EventDecodingError.badField("seq \(event.seq) is \(event.kind), not \(Self.kind)")
        }
        try self.init(EventFields(event))
    }
}

/// The typed values of a set of kinds: the ledger core's, with a domain's added.
public struct EventValueCatalog: Sendable {
    public let types: [EventKind: any EventValue.Type]

    public init(_ types: [any EventValue.Type]) {
        self.types = Dictionary(types.map { ($0.kind, $0) }, uniquingKeysWith: { _, new in new })
    }

    /// The ledger core's kinds.
    public static let ledgerCore = EventValueCatalog([
        LedgerCreatedEvent.self, KeyRegisteredEvent.self, KeyRevokedEvent.self, AccountOpenedEvent.self, AccountClosedEvent.self,
        EntryPostedEvent.self, EntryReversedEvent.self, CheckpointSignedEvent.self, PeriodClosedEvent.self,
    ])

    /// This catalog with `other`'s kinds added.
    public func merging(_ other: EventValueCatalog) -> EventValueCatalog {
        EventValueCatalog(Array(types.merging(other.types, uniquingKeysWith: { _, new in new }).values))
    }

    /// The typed value of `event`, or nil for a kind the catalog does not know.
    public func value(of event: RecordedEvent) throws -> (any EventValue)? {
        guard let type = types[event.kind] else { return nil }
        return try type.init(EventFields(event))
    }

    /// Whether `event`'s data is exactly what its kind's value writes: read as the value and
    /// drafted again, the same kind and the same fields, no more and no fewer. With a
    /// canonical body (`RecordedEvent.isCanonical`) the same fields are the same bytes.
    /// Nil for a kind the catalog does not know; throws where the data does not read as
    /// its kind's value.
    public func reencodes(_ event: RecordedEvent) throws -> Bool? {
        guard let value = try value(of: event) else { return nil }
        return try Self.drafts(value, as: event)
    }

    /// Whether `value`, read from `event`, drafts `event`'s kind and data again exactly:
    /// `reencodes` for a value already read.
    public static func drafts(_ value: any EventValue, as event: RecordedEvent) throws -> Bool {
        let draft = try value.draft()
        return draft.kind == event.kind && draft.data == event.data
    }
}
