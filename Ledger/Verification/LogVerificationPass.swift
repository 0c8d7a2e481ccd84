import Foundation

/// One verification pass over a log, fed one stored event at a time, in seq order.
///
/// `LogVerifier` runs a pass over a store; an auditor's bundle or the full audit feed
/// their own events, so there is one implementation of the chain rules, whatever the
/// events come from. A pass recomputes every hash, link and Merkle node, checks each
/// signer's registration, revocation and role at that seq, checks every checkpoint it is
/// given (and every checkpoint an event carries) against the events, and checks
/// signatures on every core in parallel, a chunk behind the reader. Memory stays flat:
/// one chunk of signatures, the key table and the Merkle frontier.
///
/// ```swift
/// var pass = LogVerificationPass(ledgerID: nil, policy: policy, checkpoints: listed)
/// for stored in events { guard pass.check(stored) != nil else { break } }
/// let report = pass.finish(claimedSize: count)
/// ```
public struct LogVerificationPass {
    let policy: RolePolicy
    let checkpoints: [RecordedCheckpoint]
    let checkpointsBySize: [Int64: RecordedCheckpoint]
    let storedNodes: (any MerkleNodeSource)?
    let firstSeq: Int64
    public private(set) var ledgerID: String?
    var nextCheckpoint = 0
    var expectedSeq: Int64
    var previousHash: SHA256Hash
    /// The Merkle frontier of the events checked so far; its root is the log's root.
    public private(set) var frontier: MerkleFrontier
    /// The keys registered by the events so far, with their roles and revocations.
    public private(set) var keys: [KeyID: RegisteredKey]
    var failures: [VerificationReport.Failure] = []
    /// Whether the chain broke: nothing after the break can be trusted to be where it claims.
    public private(set) var chainBroken = false
    var checkpointsVerified = 0
    /// Seqs of the listed checkpoints that the event at that seq was seen to record.
    var recordedByEvents: Set<Int64> = []
    var signaturesVerified: Int64 = 0
    var batch = SignatureBatch()
    var inFlight: (batch: SignatureBatch, result: SignatureResults, round: ParallelRound)?

    /// Events per parallel signature round: enough to keep both cores busy between
    /// hand-offs, few enough that a round's bodies and keys stay small.
    static let chunkSize = 4096

    /// A pass from seq 1, or from `prefix.size + 1` when resuming after a verified prefix.
    ///
    /// - `ledgerID`: the id every event must carry; nil takes it from the first event read.
    /// - `checkpoints`: signed tree heads to check against the events (a store's table, a
    ///   bundle's list), in any order. Those within a resumed prefix are not rechecked.
    /// - `storedNodes`: the Merkle nodes a store keeps, compared with the recomputed ones;
    ///   nil when the source keeps none (a bundle).
    public init(ledgerID: String?, policy: RolePolicy, checkpoints: [RecordedCheckpoint],
                storedNodes: (any MerkleNodeSource)? = nil, resuming prefix: VerifiedPrefix? = nil) {
        self.ledgerID = ledgerID ?? prefix?.ledgerID
        self.policy = policy
        let startSize = prefix?.size ?? 0
        self.checkpoints = checkpoints.filter { $0.checkpoint.treeSize > startSize }.sorted { $0.checkpoint.treeSize < $1.checkpoint.treeSize }
        var bySize: [Int64: RecordedCheckpoint] = [:]
        for recorded in checkpoints { bySize[recorded.checkpoint.treeSize] = recorded }
        checkpointsBySize = bySize
        self.storedNodes = storedNodes
        firstSeq = startSize + 1
        expectedSeq = startSize + 1
        previousHash = prefix?.lastHash ?? .zero
        frontier = prefix?.frontier ?? MerkleFrontier()
        keys = prefix?.keys ?? [:]
    }

    /// The seq the pass expects next.
    public var nextSeq: Int64 { expectedSeq }

    mutating func fail(_ seq: Int64, _ reason: String) {
        failures.append(.init(seq: seq, reason: reason))
    }

    /// Checks one stored event and returns it decoded, or nil once the chain is broken
    /// (a gap, undecodable bytes, a reordered or relinked event): the caller stops there.
    public mutating func check(_ stored: StoredEvent) -> RecordedEvent? {
        guard !chainBroken else { return nil }
        let seq = expectedSeq
        guard stored.seq == seq else {
            fail(seq, "event \(seq) is missing: the next stored event is \(stored.seq)")
            chainBroken = true
            return nil
        }
        let hash = MerkleHashing.leafHash(stored.body)
        if hash != stored.hash {
            fail(seq, "the stored hash does not match the event's bytes (the event was altered)")
        }
        let event: RecordedEvent
        do {
            event = try RecordedEvent(body: stored.body, signature: stored.signature, hash: hash)
        } catch {
            fail(seq, "the stored bytes are not an event: \(error)")
            chainBroken = true
            return nil
        }
        if event.seq != seq {
            fail(seq, "the event stored at seq \(seq) says it is seq \(event.seq) (events reordered)")
            chainBroken = true
            return nil
        }
        // The bytes must be the canonical form of what they say: two spellings of one event
        // would let a signer show different bytes to different verifiers.
        // The parser notes the form as it reads; only bytes it doubts are encoded again.
        if !event.isCanonical, (try? RecordedEvent.canonicalBody(ledgerID: event.ledgerID, seq: event.seq, prev: event.prev, kind: event.kind,
                                                                 time: event.time, actor: event.actor, data: event.data)) != stored.body {
            fail(seq, "the stored bytes are not in canonical form (RFC 8785: sorted keys, no whitespace, NFC strings)")
        }
        if ledgerID == nil { ledgerID = event.ledgerID }
        if event.ledgerID != ledgerID {
            fail(seq, "the event belongs to ledger \(event.ledgerID), not \(ledgerID ?? "")")
        }
        if event.prev != previousHash {
            fail(seq, "prev is \(event.prev.hex.prefix(16))…, but the previous event's hash is \(previousHash.hex.prefix(16))…")
            chainBroken = true
            return nil
        }
        checkSigner(event)
        checkCarriedCheckpoint(event)
        checkMerkle(hash: hash, seq: seq)
        applyKeyChanges(event)
        previousHash = hash
        expectedSeq += 1
        return event
    }

    mutating func checkSigner(_ event: RecordedEvent) {
        if event.seq == 1 {
            guard event.kind == .ledgerCreated, let key = try? LedgerCreatedEvent(event: event).admin.registered(seq: 1), key.id == event.actor
            else {
                fail(1, "the first event must be ledger.created, signed by the administrator key it registers")
                return
            }
            queueSignature(event, key.publicKey)
            return
        }
        if event.kind == .ledgerCreated {
            fail(event.seq, "ledger.created may only be the first event")
        }
        guard let key = keys[event.actor] else {
            fail(event.seq, "signed by key \(event.actor), which is not registered before this event")
            return
        }
        if let revoked = key.revokedSeq, revoked < event.seq {
            fail(event.seq, "signed by key \(event.actor), which was revoked at seq \(revoked)")
        }
        let allowed = policy.roles(for: event.kind)
        if allowed.isDisjoint(with: key.roles) {
            let needs = allowed.isEmpty ? "no key may sign this kind" : "needs " + allowed.map(\.rawValue).sorted().joined(separator: " or ")
            fail(event.seq, "key \(event.actor) may not sign \(event.kind) (\(needs))")
        }
        queueSignature(event, key.publicKey)
    }

    mutating func applyKeyChanges(_ event: RecordedEvent) {
        switch event.kind {
        case .ledgerCreated:
            if let key = try? LedgerCreatedEvent(event: event).admin.registered(seq: event.seq) { keys[key.id] = key }
        case .keyRegistered:
            let key: RegisteredKey
            do { key = try KeyRegisteredEvent(event: event).registered(seq: event.seq) } catch {
                fail(event.seq, "the key registration cannot be read: \(error)")
                return
            }
            if keys[key.id] != nil {
                fail(event.seq, "key \(key.id) is registered a second time")
            } else {
                keys[key.id] = key
            }
        case .keyRevoked:
            guard let id = try? KeyRevokedEvent(event: event).keyID, let key = keys[id] else {
                fail(event.seq, "the revocation names a key that is not registered")
                return
            }
            if let earlier = key.revokedSeq {
                fail(event.seq, "key \(id) was already revoked at seq \(earlier)")
            } else {
                keys[id]?.revokedSeq = event.seq
            }
        default:
            break
        }
    }

    /// An event that carries a checkpoint (`checkpoint.signed`, `period.closed`) signs the
    /// tree of exactly the events before it: check it here, where the frontier is that
    /// tree, so a checkpoint missing from the list given to the pass is checked all the same.
    mutating func checkCarriedCheckpoint(_ event: RecordedEvent) {
        guard let json = event.data["checkpoint"], event.kind == .checkpointSigned || event.kind == .periodClosed else { return }
        guard let carried = try? Checkpoint(json: json) else {
            fail(event.seq, "the \(event.kind) event carries a checkpoint that cannot be read")
            return
        }
        guard carried.treeSize == event.seq - 1 else {
            fail(event.seq, "the checkpoint recorded at seq \(event.seq) is of tree size \(carried.treeSize), not \(event.seq - 1)")
            return
        }
        if let listed = checkpointsBySize[carried.treeSize] {
            if listed.checkpoint != carried || listed.seq != event.seq {
                fail(event.seq, "the checkpoint list does not match the checkpoint recorded at seq \(event.seq)")
            } else {
                recordedByEvents.insert(event.seq)
            }
            return  // checked against the events when the frontier reached its size
        }
        fail(event.seq, "the checkpoint recorded at seq \(event.seq) is missing from the checkpoint list")
        verify(RecordedCheckpoint(checkpoint: carried, seq: event.seq))
    }

    mutating func checkMerkle(hash: SHA256Hash, seq: Int64) {
        var mismatches: [(Int, Int64)] = []
        let storedNodes = self.storedNodes
        frontier.append(hash) { level, index, computed in
            // Nodes of other levels are computed from these when read, never stored.
            guard let storedNodes, MerkleStoredLevels.isKept(level) else { return }
            let stored = try? storedNodes.node(level: level, index: index)
            if stored != computed { mismatches.append((level, index)) }
        }
        for (level, index) in mismatches {
            fail(seq, "the stored Merkle node at level \(level), index \(index) does not match the events")
        }
        while nextCheckpoint < checkpoints.count, checkpoints[nextCheckpoint].checkpoint.treeSize <= frontier.size {
            if checkpoints[nextCheckpoint].checkpoint.treeSize == frontier.size { verify(checkpoints[nextCheckpoint]) }
            nextCheckpoint += 1
        }
    }

    /// Checks a checkpoint of the current tree size: its root, ledger and signature.
    mutating func verify(_ recorded: RecordedCheckpoint) {
        let checkpoint = recorded.checkpoint
        if checkpoint.rootHash != frontier.root {
            fail(recorded.seq, "checkpoint of tree size \(checkpoint.treeSize) has root \(checkpoint.rootHash.hex.prefix(16))…, but the events give \(frontier.root.hex.prefix(16))…")
        }
        if let ledgerID, checkpoint.ledgerID != ledgerID {
            fail(recorded.seq, "a checkpoint names ledger \(checkpoint.ledgerID)")
        }
        guard let key = keys[checkpoint.keyID], key.roles.contains(.admin), key.isValid(at: recorded.seq) else {
            fail(recorded.seq, "checkpoint of tree size \(checkpoint.treeSize) is signed by \(checkpoint.keyID), not a valid administrator key")
            return
        }
        if !checkpoint.isSigned(by: key.publicKey) {
            fail(recorded.seq, "checkpoint of tree size \(checkpoint.treeSize) has an invalid signature")
        }
        checkpointsVerified += 1
    }

    // MARK: Signatures, in parallel

    mutating func queueSignature(_ event: RecordedEvent, _ key: PublicKey) {
        batch.add(seq: event.seq, hash: event.hash.bytes, signature: event.signature, key: key)
        if batch.count >= LogVerificationPass.chunkSize { rotate() }
    }

    /// Hands the batch to the other cores, once the one before it is checked: the reading
    /// thread reads and checks the next chunk meanwhile, and then joins in on this one.
    mutating func rotate() {
        drain()
        guard batch.count > 0 else { return }
        let work = batch
        batch = SignatureBatch()
        let results = SignatureResults(count: work.count)
        inFlight = (work, results, work.startChecking(into: results))
    }

    mutating func drain() {
        guard let (work, results, round) = inFlight else { return }
        inFlight = nil
        round.finish()
        for index in 0..<work.count {
            if results.get(index) { signaturesVerified += 1 } else { fail(work.seqs[index], "the signature does not verify") }
        }
    }

    /// Waits for the last signatures and closes the pass. `claimedSize` is how many events
    /// the source says it holds: fewer read than claimed, or a checkpoint beyond what was
    /// read, means the log was cut short.
    public mutating func finish(claimedSize: Int64) -> VerificationReport {
        rotate()
        drain()
        if !chainBroken {
            if frontier.size != claimedSize {
                fail(frontier.size + 1, "the store counts \(claimedSize) events but only \(frontier.size) could be read")
            }
            if frontier.size > 0, frontier.size >= firstSeq, let storedNodes {
                let storedRoot = try? storedNodes.root(size: frontier.size)
                if storedRoot != frontier.root {
                    fail(frontier.size, "the Merkle root from the stored nodes differs from the root of the events")
                }
            }
            for recorded in checkpoints where recorded.seq > frontier.size && recorded.checkpoint.treeSize <= frontier.size {
                fail(frontier.size + 1, "the checkpoint of tree size \(recorded.checkpoint.treeSize) was recorded by event \(recorded.seq), which the log no longer holds: the log was truncated")
            }
            // Every listed checkpoint is one an event records: a line no event records is a
            // signed tree head from somewhere else, passed off as the ledger's.
            for recorded in checkpoints where recorded.seq <= frontier.size && !recordedByEvents.contains(recorded.seq) {
                fail(recorded.seq, """
                    the checkpoint list names event \(recorded.seq) as recording the checkpoint of tree size \(recorded.checkpoint.treeSize), \
                    but that event records no such checkpoint
                    """)
            }
            for recorded in checkpoints where recorded.checkpoint.treeSize > frontier.size {
                fail(frontier.size + 1, "checkpoint of tree size \(recorded.checkpoint.treeSize) covers more events than the log holds (\(frontier.size)): the log was truncated")
            }
        }
        failures.sort { $0.seq < $1.seq }
        return VerificationReport(ledgerID: ledgerID ?? "", eventCount: frontier.size, rootHash: frontier.root,
                                  checkpointsVerified: checkpointsVerified, signaturesVerified: signaturesVerified,
                                  failures: failures)
    }
}
