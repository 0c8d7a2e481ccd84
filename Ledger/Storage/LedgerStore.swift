/// The one narrow interface between the Ledger and a database.
///
/// Everything the Ledger reads or writes goes through these calls, inside a `read` or a
/// `write`. A `write` is one transaction that either commits whole or leaves the store as
/// it was, and writes are serialised, so `seq` and `prev` assigned inside one cannot fork
/// the chain however many processes append at once. The SQLite store implements it; a
/// PostgreSQL store implements the same calls over the same schema.
public protocol LedgerStore: Sendable {
    /// Runs `body` on a consistent snapshot.
    func read<T>(_ body: (any LedgerStoreReader) throws -> T) throws -> T
    /// Runs `body` in one exclusive write transaction; throws to roll it back.
    func write<T>(_ body: (any LedgerStoreWriter) throws -> T) throws -> T
    /// `write`, for a transaction of `shape`: a store that writes a file's worth of events
    /// another way than a command's does so here (`SQLiteLedgerStore.BulkWriteModes`).
    func write<T>(shape: WriteShape, _ body: (any LedgerStoreWriter) throws -> T) throws -> T
    /// Makes what committed transactions deleted unreadable from any journal the store
    /// keeps beside its data (after an erasure). False when it could not finish yet (a
    /// reader holds the journal). Default: true, for a store with no such journal.
    func checkpointJournal() throws -> Bool
    /// Which store this is, where, its schema versions and size (`huzhu db info`).
    func describe() throws -> StoreDescription
}

extension LedgerStore {
    public func checkpointJournal() throws -> Bool { true }

    /// A store whose writes never hold readers off writes every shape the same way.
    public func write<T>(shape: WriteShape, _ body: (any LedgerStoreWriter) throws -> T) throws -> T {
        try write(body)
    }
}

/// An event's stored form: the canonical bytes and what was computed from them.
public struct StoredEvent: Sendable {
    public let seq: Int64
    public let hash: SHA256Hash
    public let body: [UInt8]
    public let signature: [UInt8]

    public init(seq: Int64, hash: SHA256Hash, body: [UInt8], signature: [UInt8]) {
        self.seq = seq
        self.hash = hash
        self.body = body
        self.signature = signature
    }
}

/// The columns a store keeps beside an event's bytes so it can be found by kind, date or
/// idempotency key without reading bodies. Derived from the body; a full audit checks
/// that they still say what the body says.
public struct StoredEventColumns: Sendable, Hashable {
    public let kind: String
    public let time: String
    public let actor: String
    public let date: String?
    public let idempotencyKey: String?

    public init(kind: String, time: String, actor: String, date: String?, idempotencyKey: String?) {
        self.kind = kind
        self.time = time
        self.actor = actor
        self.date = date
        self.idempotencyKey = idempotencyKey
    }

    /// What the columns must hold for `event`, as the append path writes them.
    public init(of event: RecordedEvent) {
        self.init(kind: event.kind.name, time: event.time.text, actor: event.actor.value, date: event.date?.text,
                  idempotencyKey: event.idempotencyKey)
    }
}

/// A ledger's identity, fixed by its first event.
public struct LedgerInfo: Sendable, Hashable {
    public let id: String
    public let name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// A public key registered in the log, with its roles and validity.
public struct RegisteredKey: Sendable, Hashable {
    public let id: KeyID
    public let publicKey: PublicKey
    public let roles: Set<Role>
    /// Who holds it (a staff member's name or post); not a member's personal data.
    public let holder: String
    public let registeredSeq: Int64
    public var revokedSeq: Int64?

    public init(id: KeyID, publicKey: PublicKey, roles: Set<Role>, holder: String, registeredSeq: Int64, revokedSeq: Int64?) {
        self.id = id
        self.publicKey = publicKey
        self.roles = roles
        self.holder = holder
        self.registeredSeq = registeredSeq
        self.revokedSeq = revokedSeq
    }

    /// Whether the key could sign the event at `seq`: registered before it, not revoked before it.
    public func isValid(at seq: Int64) -> Bool {
        registeredSeq <= seq && (revokedSeq.map { seq < $0 } ?? true)
    }
}

/// The debits and credits of one account over some span.
public struct AccountTotals: Sendable, Hashable {
    public var debit: Money
    public var credit: Money

    public init(debit: Money = .zero, credit: Money = .zero) {
        self.debit = debit
        self.credit = credit
    }

    /// The balance on the account type's normal side (assets: debit − credit).
    public func balance(for type: AccountType) throws(MoneyError) -> Money {
        type.normalSide == .debit ? try debit.subtracting(credit) : try credit.subtracting(debit)
    }

    public mutating func add(_ posting: Posting) throws(MoneyError) {
        if posting.side == .debit { debit = try debit.adding(posting.amount) } else { credit = try credit.adding(posting.amount) }
    }
}

public protocol LedgerStoreReader {
    func ledgerInfo() throws -> LedgerInfo?
    /// The number of events, which is also the last seq.
    func size() throws -> Int64
    func storedEvent(seq: Int64) throws -> StoredEvent?
    /// Calls `visit` for the events with `first ≤ seq ≤ last`, in seq order, until it returns false.
    func forEachStoredEvent(from first: Int64, through last: Int64?, _ visit: (StoredEvent) throws -> Bool) throws
    /// The same, with each event's index columns (for the audit, which compares them with the body).
    func forEachStoredEventWithColumns(from first: Int64, through last: Int64?,
                                       _ visit: (StoredEvent, StoredEventColumns) throws -> Bool) throws
    /// The seqs of events of `kind`, in order (an index scan, not a log scan).
    func seqs(ofKind kind: EventKind) throws -> [Int64]
    func seq(idempotencyKey: String) throws -> Int64?
    /// Up to `limit` idempotency keys the events' key column holds more than once, each with
    /// its seqs in order, found by one scan of the column that does not trust its unique
    /// index (an index can be dropped or damaged; the full audit asks this instead of
    /// holding every key in memory).
    func repeatedIdempotencyKeys(limit: Int) throws -> [(key: String, seqs: [Int64])]
    func account(_ code: AccountCode) throws -> Account?
    func accounts() throws -> [Account]
    func hasSubaccounts(_ code: AccountCode) throws -> Bool
    func key(_ id: KeyID) throws -> RegisteredKey?
    func keys() throws -> [RegisteredKey]
    /// Debits and credits per account for entries dated in `[from, through]` (either end open when nil).
    func totals(from: LedgerDate?, through: LedgerDate?) throws -> [AccountCode: AccountTotals]
    /// The sum of every debit the books hold (what `totals` would add up over all accounts and days).
    func debitsTotalFen() throws -> Int64
    /// The hash of a complete subtree (level 0: an event hash), read or computed from the
    /// kept level below it. See `MerkleNodeSource` and `MerkleStoredLevels`.
    func merkleNode(level: Int, index: Int64) throws -> SHA256Hash
    func checkpoints() throws -> [RecordedCheckpoint]
    func closedPeriods() throws -> [Period: Int64]
    func reversal(of seq: Int64) throws -> Int64?
}

public protocol LedgerStoreWriter: LedgerStoreReader {
    func insertLedgerInfo(_ info: LedgerInfo) throws
    func insert(_ event: StoredEvent, kind: EventKind, time: EventTime, actor: KeyID, date: LedgerDate?,
                idempotencyKey: String?) throws
    /// Offered every complete subtree as the log grows; a store writes down those of the
    /// levels it keeps (`MerkleStoredLevels`) and computes the others when read.
    func insertMerkleNode(level: Int, index: Int64, hash: SHA256Hash) throws
    /// The chain's head as this write begins (`ChainHead`); by default read from the log.
    func chainHead() throws -> ChainHead
    /// The head after this write's appends, just before it commits, for a store that keeps
    /// it beside the log (by default, one that does not: nothing is written).
    func recordChainHead(_ head: ChainHead) throws
    /// A hint that the write is about to ask for each of `keys` (`seq(idempotencyKey:)`): a
    /// store whose every read is a round trip reads them in one. By default, nothing.
    func readAhead(idempotencyKeys keys: [String]) throws
    func insertAccount(_ account: Account) throws
    func closeAccount(_ code: AccountCode, seq: Int64) throws
    func insertKey(_ key: RegisteredKey) throws
    func revokeKey(_ id: KeyID, seq: Int64) throws
    /// Adds to the per-account, per-day totals the balance reports read.
    func addTotals(account: AccountCode, date: LedgerDate, debit: Money, credit: Money) throws
    func insertCheckpoint(_ checkpoint: RecordedCheckpoint) throws
    func insertClosedPeriod(_ period: Period, seq: Int64) throws
    func insertReversal(original: Int64, reversal: Int64) throws
}

/// A checkpoint and the seq of the event that recorded it in the log.
public struct RecordedCheckpoint: Sendable, Hashable {
    public let checkpoint: Checkpoint
    public let seq: Int64

    public init(checkpoint: Checkpoint, seq: Int64) {
        self.checkpoint = checkpoint
        self.seq = seq
    }
}

extension LedgerStoreWriter {
    public func chainHead() throws -> ChainHead { try ChainHead(reading: self) }
    public func recordChainHead(_ head: ChainHead) throws {}
    public func readAhead(idempotencyKeys keys: [String]) throws {}
}

/// Lets a store serve Merkle nodes to proof and root computations.
public struct StoreNodeSource: MerkleNodeSource {
    let reader: any LedgerStoreReader
    public init(_ reader: any LedgerStoreReader) { self.reader = reader }
    public func node(level: Int, index: Int64) throws -> SHA256Hash { try reader.merkleNode(level: level, index: index) }
}
