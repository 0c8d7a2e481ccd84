import Dispatch
import Foundation

/// Signs event hashes on every core while the caller goes on building the next events.
///
/// Hashing must follow the chain in order (each body names the previous hash), but a
/// signature depends only on its own hash, so signing, the costly step, runs in
/// parallel, on `SigningThreads`. Events reach `insert` in seq order, each with its signature.
final class SigningPipeline {
    /// What the pipeline keeps of an appended event until it is signed and written: the
    /// bytes and the index columns, not the decoded data (projections are done with it,
    /// and releasing it is then the business of whoever read it).
    struct PendingEvent {
        let seq: Int64
        let hash: SHA256Hash
        let body: [UInt8]
        let kind: EventKind
        let time: EventTime
        let actor: KeyID
        let date: LedgerDate?
        let idempotencyKey: String?
    }

    /// A chunk handed to the signing threads: its events, and the job that signs them.
    private struct Round {
        let events: [PendingEvent]
        let job: SigningThreads.Job
    }

    private let signer: SigningKey
    private let insert: (PendingEvent, [UInt8]) throws -> Void
    private var building: [PendingEvent] = []
    /// Rounds being signed, oldest first; inserted in this order, so seqs stay in order.
    private var inFlight: [Round] = []
    /// Started with the first round, so a single post signs in line without threads.
    private var threads: SigningThreads?

    /// Events per signing round: large enough to amortise thread hand-offs, small enough
    /// that a round is signed while the caller builds the next ones.
    static let chunkSize = 1024
    /// Rounds signed at once at most. More than one lets the caller go on building while
    /// the signing threads catch up after the caller had the cores; the bound keeps
    /// memory flat (a few megabytes of bodies).
    static let roundsInFlightMax = 4
    /// Below this many events, signing in line is cheaper than waking threads.
    static let inlineThreshold = 64

    init(signer: SigningKey, insert: @escaping (PendingEvent, [UInt8]) throws -> Void) {
        self.signer = signer
        self.insert = insert
    }

    deinit { threads?.stop() }

    /// The event with `seq` if it is still waiting to be signed or inserted (a repeat of its
    /// idempotency key within the session compares data with it); a short linear search,
    /// taken only on such a repeat.
    func pendingEvent(seq: Int64) -> PendingEvent? {
        if let event = building.first(where: { $0.seq == seq }) { return event }
        for round in inFlight { if let event = round.events.first(where: { $0.seq == seq }) { return event } }
        return nil
    }

    func add(_ event: PendingEvent) throws {
        building.append(event)
        if building.count >= SigningPipeline.chunkSize { try rotate() }
    }

    /// Signs and inserts everything still pending.
    func finish() throws {
        if inFlight.isEmpty && building.count < SigningPipeline.inlineThreshold {
            for event in building { try insert(event, signer.sign(event.hash.bytes)) }
            building.removeAll()
            return
        }
        try rotate()
        while !inFlight.isEmpty { try insertOldestRound() }
        threads?.stop()
        threads = nil
    }

    /// Hands the events built so far to the signing threads, then inserts the rounds
    /// already signed; waits only when too many rounds are in flight.
    private func rotate() throws {
        if !building.isEmpty {
            let events = building
            building = []
            building.reserveCapacity(SigningPipeline.chunkSize)
            let threads = self.threads ?? SigningThreads(signer: signer)
            self.threads = threads
            let job = SigningThreads.Job(hashes: events.map(\.hash))
            threads.submit(job)
            inFlight.append(Round(events: events, job: job))
        }
        while let oldest = inFlight.first, inFlight.count > SigningPipeline.roundsInFlightMax || oldest.job.isSigned {
            try insertOldestRound()
        }
    }

    private func insertOldestRound() throws {
        let round = inFlight.removeFirst()
        round.job.done.wait()
        for (index, event) in round.events.enumerated() { try insert(event, round.job.signatures.get(index)) }
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
