import Ledger

/// One kind of audit check: the chain's, the books', the periods', and later the
/// mutual-aid domain's (claims, contributions, coverage), each its own type.
///
/// The auditor reads the log once. Every check sees every event of that single pass, in
/// seq order, through `inspect`, and may keep what it needs (running totals, the state of
/// a claim); `finish` then reports what only the whole can show. A check that needs the
/// database reads it in `finish` through the context; in an auditor's bundle there is
/// none, and the check says what it could not do or stays silent.
///
/// ```swift
/// struct PaymentTracesToApprovedClaim: AuditCheck {
///     let name = "claims.payment-traced"
///     var approved: [String: Money] = [:]
///     mutating func inspect(_ event: AuditedEvent, into findings: inout [Finding]) { … }
///     mutating func finish(_ context: AuditContext, into findings: inout [Finding]) throws { … }
/// }
/// ```
public protocol AuditCheck {
    /// The check's name in findings and per-check totals ("books.balanced").
    var name: String { get }
    /// Called once before the pass: a check seeds its state here for an incremental audit
    /// (the events before `context.firstSeq` are not read again). Default: nothing.
    mutating func begin(_ context: AuditContext, into findings: inout [Finding]) throws
    /// Called for each event of the pass, in seq order. Must not block: the pass is the
    /// audit's one streaming read, and its speed is the audit's speed.
    mutating func inspect(_ event: AuditedEvent, into findings: inout [Finding])
    /// Called once after the pass.
    mutating func finish(_ context: AuditContext, into findings: inout [Finding]) throws
}

extension AuditCheck {
    public mutating func begin(_ context: AuditContext, into findings: inout [Finding]) throws {}
}

/// An event as the pass hands it to the checks: decoded once, with its postings parsed
/// once and its data read once as its kind's typed value, so no check pays for parsing
/// again.
public struct AuditedEvent {
    public let event: RecordedEvent
    /// The postings, or why they cannot be read (a check of the books reports that).
    public let postings: Result<[Posting], LedgerInputError>
    /// The event read as its kind's typed value (`EventValue`): nil for a kind the audit's
    /// catalog does not know, or why the data does not read as its kind's value
    /// (`events.format` reports that).
    public let typedValue: Result<(any EventValue)?, any Error>
    /// The index columns the store keeps beside the event, when the pass read them (a full
    /// audit of a database); nil from a bundle, which has no such columns.
    public let storedColumns: StoredEventColumns?

    /// `eventValues` is the audit's catalog: every kind the checks read as a value.
    public init(_ event: RecordedEvent, eventValues: EventValueCatalog, storedColumns: StoredEventColumns? = nil) {
        self.event = event
        self.storedColumns = storedColumns
        postings = Result { () throws(LedgerInputError) -> [Posting] in try event.postings() }
        typedValue = Result { try eventValues.value(of: event) }
    }

    public var seq: Int64 { event.seq }
    /// The event read as its kind's value, or nil where it does not read as one: a check
    /// judges what the events that read say, and `events.format` reports the others.
    public func value<Value: EventValue>(_ type: Value.Type) -> Value? { readValue as? Value }

    /// The typed value, of whichever kind, where the event reads as one (a claim's step
    /// takes it as `ClaimStepEvent`).
    public var readValue: (any EventValue)? { try? typedValue.get() }

    /// Whether the event's data has a `postings` member at all (it moves money, or claims to).
    public var claimsPostings: Bool { event.data["postings"] != nil }
}

/// What a check may consult besides the events.
public struct AuditContext {
    /// The ledger's store on the audit's snapshot; nil when auditing a bundle of files.
    public let reader: (any LedgerStoreReader)?
    public let ledgerID: String
    /// The first seq the pass reads: 1, or just after the verified prefix of an incremental audit.
    public let firstSeq: Int64
    /// The state before `firstSeq` that an incremental audit rests on; nil for a full audit.
    public let prefix: VerifiedPrefix?
    /// The events the pass read (set for `finish`; equal to `firstSeq - 1` in `begin`).
    public let lastSeq: Int64
    /// The Merkle root of the events through `lastSeq` (set for `finish`).
    public let root: SHA256Hash
    /// False when the chain broke and the pass stopped early: comparisons with the whole
    /// log (a replay) would only repeat that.
    public let chainIntact: Bool

    public init(reader: (any LedgerStoreReader)?, ledgerID: String, firstSeq: Int64, prefix: VerifiedPrefix?,
                lastSeq: Int64, root: SHA256Hash, chainIntact: Bool) {
        self.reader = reader
        self.ledgerID = ledgerID
        self.firstSeq = firstSeq
        self.prefix = prefix
        self.lastSeq = lastSeq
        self.root = root
        self.chainIntact = chainIntact
    }

    public var isIncremental: Bool { prefix != nil }
}
