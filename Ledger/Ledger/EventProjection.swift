/// Something kept up to date from the log: balances, keys, or a domain's tables.
///
/// A projection is applied inside the same write transaction as the event, so it never
/// disagrees with the log, and it must be a pure function of the events so a replay
/// rebuilds it exactly. Projections see an event before it is signed (signing runs in
/// parallel for bulk imports); they must not read `signature`.
public protocol EventProjection: Sendable {
    func apply(_ event: RecordedEvent, postings: [Posting], to writer: any LedgerStoreWriter) throws
    /// Whether `apply` may change anything for an event of `kind`. A replay hands the
    /// projection only those events, so an audit of a million plain entries does not queue
    /// each for projections that ignore it. Default: every kind.
    func mayApply(to kind: EventKind) -> Bool
    /// How `Ledger.reverse` records the reversal of `original`, an event of a kind this
    /// projection's tables follow (a claim's approval, a unit's receipt): the domain's own
    /// kind and fields for the reversing event, after checking against those tables, through
    /// `session`, that the reversal may be recorded now, dated `date`. The ledger adds what every reversal
    /// carries (`reverses`, `reason`, the date, the original's postings on the opposite sides
    /// and the idempotency key `reversal:<seq>`). The projection's `apply` then undoes the
    /// original's effect on its tables from the reversing event alone, so a replay rebuilds
    /// them, and records the pair in the ledger's reversals (`insertReversal`), as the core
    /// does for `entry.reversed`. Throw (`LedgerRuleError.notReversible`) to refuse. Return nil for kinds
    /// the projection does not follow: they are reversed as `entry.reversed`. Default: nil.
    func reversal(of original: RecordedEvent, on date: LedgerDate, in session: AppendSession) throws -> DomainReversal?
}

extension EventProjection {
    public func mayApply(to kind: EventKind) -> Bool { true }
    public func reversal(of original: RecordedEvent, on date: LedgerDate, in session: AppendSession) throws -> DomainReversal? { nil }
}

/// The reversing event a domain records in place of `entry.reversed` (see
/// `EventProjection.reversal(of:on:in:)`): its kind, and the fields it carries besides the
/// ones every reversal has.
public struct DomainReversal: Sendable {
    public let kind: EventKind
    public let fields: [String: JSONValue]

    public init(kind: EventKind, fields: [String: JSONValue]) {
        self.kind = kind
        self.fields = fields
    }
}

/// The Ledger's own projection: the ledger's identity, keys, accounts, reversals,
/// checkpoints and closed months. Balances are added in batches by `AppendSession`.
public struct CoreProjection: EventProjection {
    public init() {}

    /// The kinds `apply` acts on; balances are not among its tables.
    static let appliedKinds: Set<EventKind> = [.ledgerCreated, .keyRegistered, .keyRevoked, .accountOpened, .accountClosed,
                                               .entryReversed, .checkpointSigned, .periodClosed]

    public func mayApply(to kind: EventKind) -> Bool { CoreProjection.appliedKinds.contains(kind) }

    public func apply(_ event: RecordedEvent, postings: [Posting], to writer: any LedgerStoreWriter) throws {
        switch event.kind {
        case .ledgerCreated:
            let created = try LedgerCreatedEvent(event: event)
            try writer.insertLedgerInfo(LedgerInfo(id: event.ledgerID, name: created.name))
            try writer.insertKey(created.admin.registered(seq: event.seq))
        case .keyRegistered:
            try writer.insertKey(try KeyRegisteredEvent(event: event).registered(seq: event.seq))
        case .keyRevoked:
            try writer.revokeKey(try KeyRevokedEvent(event: event).keyID, seq: event.seq)
        case .accountOpened:
            try writer.insertAccount(try AccountOpenedEvent(event: event).account(seq: event.seq))
        case .accountClosed:
            try writer.closeAccount(try AccountClosedEvent(event: event).code, seq: event.seq)
        case .entryReversed:
            try writer.insertReversal(original: try EntryReversedEvent(event: event).reversal.reverses, reversal: event.seq)
        case .checkpointSigned:
            try writer.insertCheckpoint(RecordedCheckpoint(checkpoint: try CheckpointSignedEvent(event: event).checkpoint, seq: event.seq))
        case .periodClosed:
            let closed = try PeriodClosedEvent(event: event)
            try writer.insertClosedPeriod(closed.period, seq: event.seq)
            // A month close signs the tree head too (docs/BUNDLE.md); keep it with the
            // other checkpoints so verification, proofs and statements can rest on it.
            if let checkpoint = closed.checkpoint { try writer.insertCheckpoint(RecordedCheckpoint(checkpoint: checkpoint, seq: event.seq)) }
        default:
            break
        }
    }
}
