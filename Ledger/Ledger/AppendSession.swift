import Foundation

/// Appends events inside one write transaction: validates each against the books'
/// rules, chains and hashes it, updates projections, and has it signed.
///
/// Obtained from `Ledger.append(signer:_:)`. Everything appended in a session commits
/// together or not at all, so a batch import that fails at row 900,000 leaves the ledger
/// exactly as it was.
public final class AppendSession {
    public let ledger: Ledger
    /// The transaction, for reads a caller needs to decide what to append.
    public let store: any LedgerStoreWriter
    public let signer: SigningKey
    public let ledgerID: String
    /// The signer's key id, derived once (it hashes the public key).
    private let signerID: KeyID

    private var size: Int64
    /// The log's size when the session began: a session that appended nothing records no new head.
    private let startSize: Int64
    private var lastHash: SHA256Hash
    private var frontier: MerkleFrontier
    private var pipeline: SigningPipeline!
    /// Idempotency keys of events appended but not yet inserted (the signing pipeline holds
    /// them back), with their seqs; inserted ones are found in the store. Bounded by the
    /// pipeline's depth, so a batch of a million keeps memory flat.
    private var keysSeen: [String: Int64] = [:]
    private var accountCache: [AccountCode: (account: Account, isLeaf: Bool)] = [:]
    /// The accounts plain entries may not post to, read at the session's first plain entry.
    private var controlledAccounts: ControlledAccounts?
    /// Every debit the books hold, this session's included; read at the session's first
    /// posting. Kept within ±(2^53 − 1) so every total a close, a report or SQLite's sums
    /// compute from the postings fits the canonical integer range.
    private var debitsTotalFen: Int64?
    private var closedPeriods: [Period: Int64] { didSet { latestClosedPeriod = closedPeriods.keys.max() } }
    private var latestClosedPeriod: Period?
    /// The time stamped on events, formatted once per second rather than once per event.
    private var clock: (second: Int, time: EventTime)?
    private var pendingTotals = DayTotals()
    private var signerKey: RegisteredKey?
    private var bodyWriter: CanonicalBodyWriter
    /// Whether any projection acts on each kind seen so far (see `projectionsApply`).
    private var kindsProjected: [EventKind: Bool] = [:]
    /// An idempotency key known to be in neither this session nor the store: one
    /// `recordedSeq` just searched for, or one a caller vouched for (`append(_:keyIsUnused:)`).
    /// Cleared by the next append, which then need not search the store for it.
    private var keyFoundAbsent: String?

    /// What happened to an appended draft.
    public enum Outcome: Sendable, Equatable {
        /// Recorded as a new event.
        case recorded(seq: Int64, hash: SHA256Hash)
        /// Its idempotency key was already used by the event at `seq`; nothing new was recorded.
        case duplicate(seq: Int64)

        public var seq: Int64 {
            switch self {
            case let .recorded(seq, _), let .duplicate(seq): return seq
            }
        }
    }

    init(ledger: Ledger, store: any LedgerStoreWriter, signer: SigningKey, ledgerID: String) throws {
        self.ledger = ledger
        self.store = store
        self.signer = signer
        self.ledgerID = ledgerID
        signerID = signer.id
        bodyWriter = CanonicalBodyWriter(ledgerID: ledgerID, actor: signerID)
        let head = try store.chainHead()
        size = head.size
        startSize = head.size
        lastHash = head.lastHash
        frontier = head.frontier
        closedPeriods = try store.closedPeriods()
        latestClosedPeriod = closedPeriods.keys.max()
        signerKey = try store.key(signerID)
        pipeline = SigningPipeline(signer: signer) { [unowned self, store] event, signature in
            if let key = event.idempotencyKey { self.keysSeen.removeValue(forKey: key) }
            try store.insert(StoredEvent(seq: event.seq, hash: event.hash, body: event.body, signature: signature),
                             kind: event.kind, time: event.time, actor: event.actor, date: event.date,
                             idempotencyKey: event.idempotencyKey)
        }
    }

    /// The number of events in the log, counting those appended in this session.
    public var logSize: Int64 { size }

    /// The Merkle root of the log as it stands in this session.
    public var root: SHA256Hash { frontier.root }

    /// Validates and appends one event. Throws `LedgerRuleError` or `LedgerInputError`
    /// when the books' rules refuse it; the caller should then let the session fail.
    @discardableResult
    public func append(_ draft: EventDraft) throws -> Outcome {
        try append(EncodedDraft(draft))
    }

    /// Appends a draft whose idempotency key the caller knows no event can have used: one
    /// that names something this very event creates (a member whose id is the event's
    /// seq). The store is not searched for it; were the caller wrong, the store's unique
    /// index on idempotency keys would still refuse the second use when the event is
    /// written, failing the whole session.
    @discardableResult
    public func append(_ draft: EventDraft, keyIsUnused: Bool) throws -> Outcome {
        try append(EncodedDraft(draft), keyIsUnused: keyIsUnused)
    }

    /// `append(_:keyIsUnused:)` for a draft already in canonical bytes.
    @discardableResult
    package func append(_ draft: EncodedDraft, keyIsUnused: Bool) throws -> Outcome {
        if keyIsUnused, let key = draft.idempotencyKey, keysSeen[key] == nil { keyFoundAbsent = key }
        return try append(draft)
    }

    /// `append(_:keyIsUnused:)` for a draft whose domain projects the event itself, from
    /// values it holds typed: `project` is called with the new event's seq and actor in place
    /// of the ledger's projections, which then never see the event's data, so none is decoded
    /// or built as a dictionary.
    ///
    /// Only a domain that owns every projection the ledger was opened with may use this (the
    /// mutual-aid book, for claims and enrolments), and its `project` must change
    /// exactly what those projections would change for the event: the audit replays the log
    /// through the projections and reports any difference. Not for kinds the core projects.
    @discardableResult
    package func append(_ draft: EncodedDraft, keyIsUnused: Bool, projecting project: (_ seq: Int64, _ actor: KeyID) throws -> Void) throws -> Outcome {
        precondition(!ledger.coreProjection.mayApply(to: draft.kind), "\(draft.kind) is projected by the ledger core")
        if keyIsUnused, let key = draft.idempotencyKey, keysSeen[key] == nil { keyFoundAbsent = key }
        return try withoutActuallyEscaping(project) { try record(draft, project: $0) }
    }

    /// Appends a draft whose data is already in canonical bytes (see `Prefetcher`, and
    /// `EncodedDraft.init(_:encodedData:)` for this package's domains).
    @discardableResult
    package func append(_ draft: EncodedDraft) throws -> Outcome {
        try record(draft, project: nil)
    }

    /// Records `draft`, projecting it through the ledger's projections or, when given, `project`.
    private func record(_ draft: EncodedDraft, project: ((_ seq: Int64, _ actor: KeyID) throws -> Void)?) throws -> Outcome {
        defer { keyFoundAbsent = nil }  // good for the next append only
        if let key = draft.idempotencyKey, let seq = try duplicateSeq(of: draft, key: key) {
            return .duplicate(seq: seq)
        }
        try checkSigner(for: draft.kind)
        try checkPostings(draft)

        let seq = size + 1
        let time = now()
        let prev = lastHash
        let body = try bodyWriter.body(seq: seq, prev: prev, kind: draft.kind, time: time, encodedData: draft.encodedData)
        let hash = MerkleHashing.leafHash(body)
        try frontier.append(hash) { level, index, hash in
            try store.insertMerkleNode(level: level, index: index, hash: hash)
        }
        size = seq
        lastHash = hash
        if let key = draft.idempotencyKey { keysSeen[key] = seq }
        if let project {
            try project(seq, signerID)
        } else if projectionsApply(to: draft.kind) {
            let data = try draft.data ?? Self.decode(draft.encodedData)
            let event = RecordedEvent(seq: seq, ledgerID: ledgerID, prev: prev, kind: draft.kind, time: time, actor: signerID,
                                      data: data, body: body, hash: hash, date: draft.date)
            if ledger.coreProjection.mayApply(to: draft.kind) { try ledger.coreProjection.apply(event, postings: draft.postings, to: store) }
            for projection in ledger.projections where projection.mayApply(to: draft.kind) {
                try projection.apply(event, postings: draft.postings, to: store)
            }
        }
        try noteEffects(of: draft.kind, date: draft.date, postings: draft.postings)
        try pipeline.add(SigningPipeline.PendingEvent(seq: seq, hash: hash, body: body, kind: draft.kind, time: time,
                                                      actor: signerID, date: draft.date, idempotencyKey: draft.idempotencyKey))
        return .recorded(seq: seq, hash: hash)
    }

    /// Whether any projection acts on events of `kind`; asked once per kind in a session,
    /// so a batch of plain entries builds no event value for projections that ignore it.
    private func projectionsApply(to kind: EventKind) -> Bool {
        if let known = kindsProjected[kind] { return known }
        let applies = ledger.coreProjection.mayApply(to: kind) || ledger.projections.contains { $0.mayApply(to: kind) }
        kindsProjected[kind] = applies
        return applies
    }

    private static func decode(_ encodedData: [UInt8]) throws -> [String: JSONValue] {
        guard case let .object(data) = try JSONParser.parse(encodedData) else {
            throw EventDecodingError.badField("an event's data is not an object")
        }
        return data
    }

    /// The seq of the event that used `idempotencyKey`, in this session or before, or nil.
    /// For domains that must decide what to record (e.g. whether a claim repeats an
    /// earlier one) before building a draft.
    public func recordedSeq(idempotencyKey key: String) throws -> Int64? {
        if let seen = keysSeen[key] { return seen }
        let seq = try store.seq(idempotencyKey: key)
        keyFoundAbsent = seq == nil ? key : nil
        return seq
    }

    /// Tells the store that `recordedSeq` is about to be asked for each of `keys` (a chunk of a
    /// batch's rows), so a store on a server reads them in one round trip, not one each.
    public func readAhead(idempotencyKeys keys: [String]) throws {
        try store.readAhead(idempotencyKeys: keys.filter { keysSeen[$0] == nil })
    }

    /// The event at `seq`, whether appended in this session (perhaps not yet signed and
    /// written: its signature is then empty) or before it; nil past the end of the log.
    public func event(seq: Int64) throws -> RecordedEvent? {
        if let pending = pipeline.pendingEvent(seq: seq) { return try RecordedEvent(body: pending.body, signature: []) }
        return try store.storedEvent(seq: seq).map { try RecordedEvent(body: $0.body, signature: $0.signature) }
    }

    /// The events at `seqs` as their signers signed them: each body hashing to its leaf
    /// hash, its signature valid under the key registered for its actor and valid at that
    /// seq. For a domain about to move money on what earlier events decided (payments on
    /// their claims' filings and approvals): a projection row edited in the file, or an
    /// event row no key signed, is refused before the money moves, not found by the next
    /// audit. An event of this session is its own and not yet signed.
    ///
    /// The signatures are checked together on every core, as the verifier checks them: a
    /// month's payments rest on two signatures each, and one core would spend most of the
    /// batch on them. Throws `unsignedEvent` for the first seq that fails, in seq order.
    public func signedEvents(seqs: [Int64]) throws -> [Int64: RecordedEvent] {
        var events: [Int64: RecordedEvent] = [:]
        var batch = SignatureBatch()
        for seq in Set(seqs).sorted() {
            if let pending = pipeline.pendingEvent(seq: seq) {
                events[seq] = try RecordedEvent(body: pending.body, signature: [])
                continue
            }
            guard let stored = try store.storedEvent(seq: seq) else { throw LedgerRuleError.noSuchEvent(seq: seq) }
            let event = try RecordedEvent(body: stored.body, signature: stored.signature)
            guard event.seq == seq, event.hash == stored.hash else {
                throw LedgerRuleError.unsignedEvent(seq: seq, reason: "does not hash to the leaf hash stored with it")
            }
            guard let key = try store.key(event.actor), key.isValid(at: seq) else {
                throw LedgerRuleError.unsignedEvent(seq: seq, reason: "names signer \(event.actor), which no key valid at that seq is")
            }
            batch.add(seq: seq, hash: event.hash.bytes, signature: event.signature, key: key.publicKey)
            events[seq] = event
        }
        let results = SignatureResults(count: batch.count)
        batch.verifyOnEveryCore(into: results)
        for index in 0..<batch.count where !results.get(index) {
            let seq = batch.seqs[index]
            throw LedgerRuleError.unsignedEvent(seq: seq, reason: "has a signature that key \(events[seq]!.actor) did not make")
        }
        return events
    }

    /// Signs and writes everything still pending; called by `Ledger.append` before commit.
    func finish() throws {
        try pipeline.finish()
        try pendingTotals.write(to: store)
        if size != startSize { try store.recordChainHead(ChainHead(lastHash: lastHash, frontier: frontier)) }
    }

    // MARK: Rules

    /// The seq of the event that already used `key`, or nil. A repeat must carry the same
    /// data as the original: the same key with other content is a clerk's mistake (two
    /// claims typed with one settlement id), not a retry, and is refused.
    private func duplicateSeq(of draft: EncodedDraft, key: String) throws -> Int64? {
        if let seen = keysSeen[key] {
            // Rare (a key repeated within one batch): read the event's data back from its bytes.
            guard let earlier = try event(seq: seen), try Self.isSame(earlier, as: draft) else {
                throw LedgerRuleError.idempotencyConflict(key: key, seq: seen)
            }
            return seen
        }
        // A domain that just asked `recordedSeq` for this key (a claim checking for a
        // repeat) has had the store searched already.
        if key == keyFoundAbsent { return nil }
        guard let seq = try store.seq(idempotencyKey: key) else { return nil }
        guard let stored = try store.storedEvent(seq: seq) else { return nil }
        let original = try RecordedEvent(body: stored.body, signature: stored.signature)
        guard try Self.isSame(original, as: draft) else { throw LedgerRuleError.idempotencyConflict(key: key, seq: seq) }
        return seq
    }

    private static func isSame(_ event: RecordedEvent, as draft: EncodedDraft) throws -> Bool {
        guard event.kind == draft.kind else { return false }
        return try CanonicalJSON.encode(.object(event.data)) == draft.encodedData
    }

    /// Throws unless the session's signer may record `kind`: for operations that may end
    /// up appending nothing (a repeat) but must still refuse a signer without the role.
    public func requireSigner(mayRecord kind: EventKind) throws {
        try checkSigner(for: kind)
    }

    private func checkSigner(for kind: EventKind) throws {
        if kind == .ledgerCreated {
            guard size == 0 else { throw LedgerRuleError.notReversible(seq: 1, reason: "the ledger already exists") }
            return
        }
        guard let key = signerKey else { throw LedgerRuleError.unregisteredKey(signerID) }
        if let revoked = key.revokedSeq { throw LedgerRuleError.revokedKey(key.id, revokedSeq: revoked) }
        let allowed = ledger.policy.roles(for: kind)
        guard !allowed.isDisjoint(with: key.roles) else {
            throw LedgerRuleError.roleNotPermitted(key.id, kind: kind, needs: allowed.sorted(), has: key.roles.sorted())
        }
    }

    private func checkPostings(_ draft: EncodedDraft) throws {
        if let date = draft.date {
            if closedPeriods[date.period] != nil { throw LedgerRuleError.periodClosed(date.period, date: date) }
            // Months close in order, so a closed month's closing balances are final only if
            // nothing can be dated before it either: every month up to the latest closed is shut.
            if let latest = latestClosedPeriod, date.period < latest {
                throw LedgerRuleError.periodClosed(latest, date: date)
            }
        }
        guard !draft.postings.isEmpty else { return }
        guard draft.date != nil else { throw LedgerRuleError.dateRequired(draft.kind) }
        let total = try debitsTotalFen ?? store.debitsTotalFen()
        var adding: Int64 = 0
        for posting in draft.postings where posting.side == .debit { adding += posting.amount.fen }  // each ≤ 2^53 − 1: no overflow
        guard adding <= JSONValue.integerMagnitudeMax - total else { throw LedgerRuleError.totalsOutOfRange(totalFen: total, addingFen: adding) }
        debitsTotalFen = total + adding
        try requirePostable(draft.postings)
        if draft.kind == .entryPosted || draft.kind == .entryReversed, let control = ledger.accountControl {
            if controlledAccounts == nil { controlledAccounts = try control.controlledAccounts(in: store) }
            if let controlled = controlledAccounts, let posting = controlled.firstControlled(in: draft.postings) {
                let name = try cachedAccount(posting.account).account.name
                throw LedgerRuleError.controlledAccount(posting.account, name: name, kind: draft.kind, hint: controlled.hint)
            }
        }
    }

    /// Throws unless every line's account exists, is open and has no sub-accounts: what an
    /// event's postings must meet, for a domain that records lines to post later (a
    /// proposed entry) and must refuse them now as the posting would.
    public func requirePostable(_ postings: [Posting]) throws {
        for posting in postings {
            let (account, isLeaf) = try cachedAccount(posting.account)
            guard account.isOpen else { throw LedgerRuleError.closedAccount(posting.account) }
            guard isLeaf else { throw LedgerRuleError.parentAccount(posting.account) }
        }
    }

    /// The current time, as `EventTime.now()` gives it, formatted at most once a second.
    private func now() -> EventTime {
        let second = Int(Date().timeIntervalSince1970)
        if let clock, clock.second == second { return clock.time }
        let time = EventTime.now()
        clock = (second, time)
        return time
    }

    private func cachedAccount(_ code: AccountCode) throws -> (account: Account, isLeaf: Bool) {
        if let cached = accountCache[code] { return cached }
        guard let account = try store.account(code) else { throw LedgerRuleError.unknownAccount(code) }
        let entry = (account, !(try store.hasSubaccounts(code)))
        accountCache[code] = entry
        return entry
    }

    /// Keeps the session's caches in step with what it just appended.
    private func noteEffects(of kind: EventKind, date: LedgerDate?, postings: [Posting]) throws {
        switch kind {
        case .accountOpened, .accountClosed:
            accountCache.removeAll()
        case .keyRegistered, .keyRevoked, .ledgerCreated:
            signerKey = try store.key(signerID)
        case .periodClosed:
            closedPeriods = try store.closedPeriods()
        default:
            break
        }
        if let date {
            for posting in postings { try pendingTotals.add(posting, on: date) }
        }
    }
}

extension RecordedEvent {
    /// An event built by the append path, which already holds its fields and need not
    /// parse its own body back.
    init(seq: Int64, ledgerID: String, prev: SHA256Hash, kind: EventKind, time: EventTime, actor: KeyID,
         data: [String: JSONValue], body: [UInt8], hash: SHA256Hash, date: LedgerDate?) {
        self.seq = seq
        self.ledgerID = ledgerID
        self.prev = prev
        self.kind = kind
        self.time = time
        self.actor = actor
        self.data = data
        self.signature = []  // projections run before signing and must not read it
        self.body = body
        self.hash = hash
        self.date = date
        self.isCanonical = true  // written by `CanonicalBodyWriter` just now
    }
}
