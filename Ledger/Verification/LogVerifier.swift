import Dispatch
import Foundation

/// Recomputes every hash, link, signature and Merkle node of a stored log, from the
/// stored bytes alone, and checks every checkpoint against it.
///
/// The chain is read once, in order, on the calling thread; signatures are checked on
/// every core in parallel, a chunk behind the reader. Memory stays flat: one chunk of
/// events and the Merkle frontier.
public struct LogVerifier {
    public let store: any LedgerStore
    public let policy: RolePolicy

    /// Events per parallel signature round.
    static let chunkSize = 4096

    public init(store: any LedgerStore, policy: RolePolicy) {
        self.store = store
        self.policy = policy
    }

    /// Verifies the whole log. `progress` is called now and then with the events read so far.
    public func verify(progress: ((Int64, Int64) -> Void)? = nil) throws -> VerificationReport {
        try store.read { reader in
            var run = try Run(reader: reader, policy: policy)
            let total = try reader.size()
            try reader.forEachStoredEvent(from: 1, through: nil) { stored in
                let keepGoing = try run.check(stored)
                if stored.seq % 65536 == 0 { progress?(stored.seq, total) }
                return keepGoing
            }
            return try run.finish()
        }
    }

    /// The state of one verification pass.
    struct Run {
        let reader: any LedgerStoreReader
        let policy: RolePolicy
        let ledgerID: String
        let checkpoints: [RecordedCheckpoint]
        var nextCheckpoint = 0
        var expectedSeq: Int64 = 1
        var previousHash = SHA256Hash.zero
        var frontier = MerkleFrontier()
        var keys: [KeyID: RegisteredKey] = [:]
        var failures: [VerificationReport.Failure] = []
        var chainBroken = false
        var checkpointsVerified = 0
        var signaturesVerified: Int64 = 0
        var batch = SignatureBatch()
        var inFlight: (batch: SignatureBatch, result: SignatureResults, done: DispatchGroup)?

        init(reader: any LedgerStoreReader, policy: RolePolicy) throws {
            self.reader = reader
            self.policy = policy
            ledgerID = try reader.ledgerInfo()?.id ?? ""
            checkpoints = try reader.checkpoints()
        }

        mutating func fail(_ seq: Int64, _ reason: String) {
            failures.append(.init(seq: seq, reason: reason))
        }

        /// Checks one stored event; returns false once the chain is broken.
        mutating func check(_ stored: StoredEvent) throws -> Bool {
            let seq = expectedSeq
            guard stored.seq == seq else {
                fail(seq, "event \(seq) is missing: the next stored event is \(stored.seq)")
                chainBroken = true
                return false
            }
            let hash = MerkleHashing.leafHash(stored.body)
            if hash != stored.hash {
                fail(seq, "the stored hash does not match the event's bytes (the event was altered)")
            }
            let event: RecordedEvent
            do {
                event = try RecordedEvent(body: stored.body, signature: stored.signature)
            } catch {
                fail(seq, "the stored bytes are not an event: \(error)")
                chainBroken = true
                return false
            }
            if event.seq != seq {
                fail(seq, "the event stored at seq \(seq) says it is seq \(event.seq) (events reordered)")
                chainBroken = true
                return false
            }
            if event.ledgerID != ledgerID {
                fail(seq, "the event belongs to ledger \(event.ledgerID), not \(ledgerID)")
            }
            if event.prev != previousHash {
                fail(seq, "prev is \(event.prev.hex.prefix(16))…, but the previous event's hash is \(previousHash.hex.prefix(16))…")
                chainBroken = true
                return false
            }
            checkSigner(event)
            checkMerkle(hash: hash, seq: seq)
            applyKeyChanges(event)
            previousHash = hash
            expectedSeq += 1
            return true
        }

        mutating func checkSigner(_ event: RecordedEvent) {
            if event.seq == 1 {
                guard event.kind == .ledgerCreated, let admin = event.data["admin"],
                      let key = try? CoreProjection.registeredKey(from: admin, seq: 1), key.id == event.actor
                else {
                    fail(1, "the first event must be ledger.created, signed by the administrator key it registers")
                    return
                }
                queueSignature(event, key.publicKey)
                return
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
                if let admin = event.data["admin"], let key = try? CoreProjection.registeredKey(from: admin, seq: event.seq) {
                    keys[key.id] = key
                }
            case .keyRegistered:
                if let key = try? CoreProjection.registeredKey(from: .object(event.data), seq: event.seq), keys[key.id] == nil {
                    keys[key.id] = key
                }
            case .keyRevoked:
                if let text = event.data["keyId"]?.stringValue, let id = try? KeyID(text), keys[id]?.revokedSeq == nil {
                    keys[id]?.revokedSeq = event.seq
                }
            default:
                break
            }
        }

        mutating func checkMerkle(hash: SHA256Hash, seq: Int64) {
            var mismatches: [(Int, Int64)] = []
            let reader = self.reader
            frontier.append(hash) { level, index, computed in
                let stored = try? reader.merkleNode(level: level, index: index)
                if stored != computed { mismatches.append((level, index)) }
            }
            for (level, index) in mismatches {
                fail(seq, "the stored Merkle node at level \(level), index \(index) does not match the events")
            }
            while nextCheckpoint < checkpoints.count, checkpoints[nextCheckpoint].checkpoint.treeSize == frontier.size {
                checkCheckpoint(checkpoints[nextCheckpoint])
                nextCheckpoint += 1
            }
        }

        mutating func checkCheckpoint(_ recorded: RecordedCheckpoint) {
            let checkpoint = recorded.checkpoint
            if checkpoint.rootHash != frontier.root {
                fail(recorded.seq, "checkpoint of tree size \(checkpoint.treeSize) has root \(checkpoint.rootHash.hex.prefix(16))…, but the events give \(frontier.root.hex.prefix(16))…")
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
            if batch.count >= LogVerifier.chunkSize { rotate() }
        }

        mutating func rotate() {
            drain()
            guard batch.count > 0 else { return }
            let work = batch
            batch = SignatureBatch()
            let results = SignatureResults(count: work.count)
            let done = DispatchGroup()
            done.enter()
            DispatchQueue.global().async {
                let workers = SigningPipeline.workerCount
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    var index = worker
                    while index < work.count {
                        results.set(index, work.keys[index].isValidSignature(work.signatures[index], for: work.hashes[index]))
                        index += workers
                    }
                }
                done.leave()
            }
            inFlight = (work, results, done)
        }

        mutating func drain() {
            guard let (work, results, done) = inFlight else { return }
            inFlight = nil
            done.wait()
            for index in 0..<work.count {
                if results.get(index) { signaturesVerified += 1 } else { fail(work.seqs[index], "the signature does not verify") }
            }
        }

        mutating func finish() throws -> VerificationReport {
            rotate()
            drain()
            let storedSize = try reader.size()
            if !chainBroken {
                if frontier.size != storedSize {
                    fail(frontier.size + 1, "the store counts \(storedSize) events but only \(frontier.size) could be read")
                }
                if frontier.size > 0 {
                    let storedRoot = try? StoreNodeSource(reader).root(size: frontier.size)
                    if storedRoot != frontier.root {
                        fail(frontier.size, "the Merkle root from the stored nodes differs from the root of the events")
                    }
                }
                for recorded in checkpoints where recorded.checkpoint.treeSize > frontier.size {
                    fail(frontier.size + 1, "checkpoint of tree size \(recorded.checkpoint.treeSize) covers more events than the log holds (\(frontier.size)): the log was truncated")
                }
                for recorded in checkpoints where recorded.checkpoint.ledgerID != ledgerID {
                    fail(recorded.seq, "a checkpoint names ledger \(recorded.checkpoint.ledgerID)")
                }
            }
            failures.sort { $0.seq < $1.seq }
            return VerificationReport(ledgerID: ledgerID, eventCount: frontier.size, rootHash: frontier.root,
                                      checkpointsVerified: checkpointsVerified, signaturesVerified: signaturesVerified,
                                      failures: failures)
        }
    }
}

/// Signatures waiting to be checked together.
struct SignatureBatch: Sendable {
    var seqs: [Int64] = []
    var hashes: [[UInt8]] = []
    var signatures: [[UInt8]] = []
    var keys: [PublicKey] = []

    var count: Int { seqs.count }

    mutating func add(seq: Int64, hash: [UInt8], signature: [UInt8], key: PublicKey) {
        seqs.append(seq)
        hashes.append(hash)
        signatures.append(signature)
        keys.append(key)
    }
}

/// One result slot per signature, each written by one thread, read after all finished.
final class SignatureResults: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<Bool>
    private let count: Int

    init(count: Int) {
        self.count = count
        storage = .allocate(capacity: count)
        storage.initialize(repeating: false, count: count)
    }

    deinit { storage.deallocate() }

    func set(_ index: Int, _ value: Bool) { storage[index] = value }
    func get(_ index: Int) -> Bool { storage[index] }
}
