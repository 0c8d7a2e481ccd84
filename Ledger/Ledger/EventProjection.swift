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
            try writer.insertLedgerInfo(LedgerInfo(id: event.ledgerID, name: event.data["name"]?.stringValue ?? ""))
            if let admin = event.data["admin"] {
                try writer.insertKey(try CoreProjection.registeredKey(from: admin, seq: event.seq))
            }
        case .keyRegistered:
            try writer.insertKey(try CoreProjection.registeredKey(from: .object(event.data), seq: event.seq))
        case .keyRevoked:
            if let id = event.data["keyId"]?.stringValue { try writer.revokeKey(try KeyID(id), seq: event.seq) }
        case .accountOpened:
            guard let code = event.data["code"]?.stringValue, let name = event.data["name"]?.stringValue,
                  let typeName = event.data["type"]?.stringValue, let type = AccountType(rawValue: typeName)
            else { throw EventDecodingError.badField("account.opened at seq \(event.seq) lacks code, name or type") }
            try writer.insertAccount(Account(code: try AccountCode(code), name: name, type: type, openedSeq: event.seq))
        case .accountClosed:
            if let code = event.data["code"]?.stringValue { try writer.closeAccount(try AccountCode(code), seq: event.seq) }
        case .entryReversed:
            if let original = event.data["reverses"]?.integerValue { try writer.insertReversal(original: original, reversal: event.seq) }
        case .checkpointSigned:
            if let json = event.data["checkpoint"] {
                try writer.insertCheckpoint(RecordedCheckpoint(checkpoint: try Checkpoint(json: json), seq: event.seq))
            }
        case .periodClosed:
            if let text = event.data["period"]?.stringValue { try writer.insertClosedPeriod(try Period(text), seq: event.seq) }
            // A month close signs the tree head too (docs/BUNDLE.md); keep it with the
            // other checkpoints so verification, proofs and statements can rest on it.
            if let json = event.data["checkpoint"] {
                try writer.insertCheckpoint(RecordedCheckpoint(checkpoint: try Checkpoint(json: json), seq: event.seq))
            }
        default:
            break
        }
    }

    static func registeredKey(from json: JSONValue, seq: Int64) throws -> RegisteredKey {
        guard let hex = json["publicKey"]?.stringValue, let roleNames = json["roles"]?.arrayValue else {
            throw EventDecodingError.badField("a key registration at seq \(seq) lacks publicKey or roles")
        }
        let publicKey = try PublicKey(hex: hex)
        let roles = roleNames.compactMap { $0.stringValue.flatMap(Role.init(rawValue:)) }
        return RegisteredKey(id: publicKey.id, publicKey: publicKey, roles: Set(roles),
                             holder: json["holder"]?.stringValue ?? "", registeredSeq: seq, revokedSeq: nil)
    }

    /// The data of a key registration.
    public static func keyData(_ key: PublicKey, roles: [Role], holder: String) -> [String: JSONValue] {
        ["keyId": .string(key.id.value), "publicKey": .string(key.hex),
         "roles": .array(roles.sorted().map { .string($0.rawValue) }), "holder": .string(holder)]
    }
}
