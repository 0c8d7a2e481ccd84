import Foundation

/// Recomputes every hash, link, signature and Merkle node of a stored log, from the
/// stored bytes alone, and checks every checkpoint against it.
///
/// The chain rules live in `LogVerificationPass`; this runs one pass over a store. The
/// chain is read once, in order, on the calling thread; signatures are checked on every
/// core in parallel, a chunk behind the reader.
public struct LogVerifier {
    public let store: any LedgerStore
    public let policy: RolePolicy

    public init(store: any LedgerStore, policy: RolePolicy) {
        self.store = store
        self.policy = policy
    }

    /// Verifies the whole log. `progress` is called now and then with the events read so far.
    public func verify(progress: ((Int64, Int64) -> Void)? = nil) throws -> VerificationReport {
        try store.read { reader in try LogVerifier.verify(reader: reader, policy: policy, progress: progress) }
    }

    /// Verifies the log a reader sees (for callers already inside a read).
    public static func verify(reader: any LedgerStoreReader, policy: RolePolicy,
                              progress: ((Int64, Int64) -> Void)? = nil) throws -> VerificationReport {
        var pass = LogVerificationPass(ledgerID: try reader.ledgerInfo()?.id ?? "", policy: policy,
                                       checkpoints: try reader.checkpoints(), storedNodes: StoreNodeSource(reader))
        let total = try reader.size()
        try reader.forEachStoredEvent(from: 1, through: nil) { stored in
            let keepGoing = pass.check(stored) != nil
            if stored.seq % 4096 == 0 { progress?(stored.seq, total) }
            return keepGoing
        }
        return pass.finish(claimedSize: total)
    }
}

/// Signatures waiting to be checked together.
struct SignatureBatch: Sendable {
    var seqs: [Int64] = []
    var hashes: [[UInt8]] = []
    var signatures: [[UInt8]] = []
    var keys: [PublicKey] = []

    var count: Int { seqs.count }

    /// Starts checking every signature of the batch into `results` (one slot per
    /// signature) on the other cores; the round's `finish()` joins in on the calling
    /// thread and returns when all are checked.
    func startChecking(into results: SignatureResults) -> ParallelRound {
        ParallelRound(count: count) { [self] index in
            results.set(index, keys[index].isValidSignature(signatures[index], for: hashes[index]))
        }
    }

    /// Checks every signature of the batch on every core into `results`; returns when all
    /// are checked.
    func verifyOnEveryCore(into results: SignatureResults) {
        startChecking(into: results).finish()
    }

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
