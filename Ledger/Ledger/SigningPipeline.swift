import Dispatch
import Foundation

/// Signs event hashes on every core while the caller goes on building the next events.
///
/// Hashing must follow the chain in order (each body names the previous hash), but a
/// signature depends only on its own hash, so signing, the costly step, runs in
/// parallel. Events reach `insert` in seq order, each with its signature.
final class SigningPipeline {
    struct Pending {
        let event: RecordedEvent
    }

    private let signer: SigningKey
    private let insert: (RecordedEvent, [UInt8]) throws -> Void
    private var building: [RecordedEvent] = []
    private var inFlight: (events: [RecordedEvent], signatures: SignatureBuffer, done: DispatchGroup)?

    /// Events per parallel signing round: large enough to amortise thread hand-offs,
    /// small enough that memory stays flat (about 1 MB of bodies).
    static let chunkSize = 2048
    /// Below this many events, signing in line is cheaper than waking threads.
    static let inlineThreshold = 64

    init(signer: SigningKey, insert: @escaping (RecordedEvent, [UInt8]) throws -> Void) {
        self.signer = signer
        self.insert = insert
    }

    /// The event with `seq` if it is still waiting to be signed or inserted (a repeat of its
    /// idempotency key within the session compares data with it); a short linear search,
    /// taken only on such a repeat.
    func pendingEvent(seq: Int64) -> RecordedEvent? {
        building.first { $0.seq == seq } ?? inFlight?.events.first { $0.seq == seq }
    }

    func add(_ event: RecordedEvent) throws {
        building.append(event)
        if building.count >= SigningPipeline.chunkSize { try rotate() }
    }

    /// Signs and inserts everything still pending.
    func finish() throws {
        if inFlight == nil && building.count < SigningPipeline.inlineThreshold {
            for event in building { try insert(event, signer.sign(event.hash.bytes)) }
            building.removeAll()
            return
        }
        try rotate()
        try drainInFlight()
    }

    private func rotate() throws {
        try drainInFlight()
        guard !building.isEmpty else { return }
        let events = building
        building = []
        building.reserveCapacity(SigningPipeline.chunkSize)
        let hashes = events.map(\.hash.bytes)
        let signatures = SignatureBuffer(count: events.count)
        let done = DispatchGroup()
        let signer = self.signer
        done.enter()
        DispatchQueue.global().async {
            ParallelIndices.forEach(hashes.count) { index in signatures.set(index, signer.sign(hashes[index])) }
            done.leave()
        }
        inFlight = (events, signatures, done)
    }

    private func drainInFlight() throws {
        guard let (events, signatures, done) = inFlight else { return }
        inFlight = nil
        done.wait()
        for (index, event) in events.enumerated() { try insert(event, signatures.get(index)) }
    }
}

/// Fixed slots written by signing threads, each slot by exactly one thread, and read
/// only after they all finished (the `DispatchGroup` wait orders the accesses).
final class SignatureBuffer: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<UInt8>
    private let count: Int

    init(count: Int) {
        self.count = count
        storage = .allocate(capacity: count * 64)
    }

    deinit { storage.deallocate() }

    func set(_ index: Int, _ signature: [UInt8]) {
        precondition(signature.count == 64 && index < count)
        signature.withUnsafeBufferPointer { (storage + index * 64).update(from: $0.baseAddress!, count: 64) }
    }

    func get(_ index: Int) -> [UInt8] { Array(UnsafeBufferPointer(start: storage + index * 64, count: 64)) }
}
