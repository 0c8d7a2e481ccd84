import Dispatch
import Foundation

/// Reads and prepares drafts on a thread of its own, ahead of the append session.
///
/// In a bulk import the chain must be built in order on one thread, but reading the
/// file, parsing amounts and dates, and encoding each event's data do not depend on the
/// chain. Doing them here lets the session's thread spend its time on what only it can
/// do. Chunks travel through a bounded queue, so memory stays flat.
final class PreparedDrafts: @unchecked Sendable {
    struct Item: Sendable {
        let row: Int
        let draft: EventDraft
        let encodedData: [UInt8]
    }

    /// Drafts per hand-over, and hand-overs queued at most.
    static let chunkSize = 512
    static let queuedChunksMax = 4

    private let lock = NSLock()
    private var chunks: [Result<[Item], any Error>] = []
    private var finished = false
    private let available = DispatchSemaphore(value: 0)
    private let space = DispatchSemaphore(value: PreparedDrafts.queuedChunksMax)
    private var cancelled = false

    /// Starts preparing: `next` is called on the preparing thread until it returns nil.
    init(next: @escaping @Sendable () throws -> (row: Int, draft: EventDraft)?) {
        Thread.detachNewThread { [self] in
            var chunk: [Item] = []
            chunk.reserveCapacity(PreparedDrafts.chunkSize)
            do {
                while let (row, draft) = try next() {
                    chunk.append(Item(row: row, draft: draft, encodedData: try CanonicalJSON.encode(.object(draft.data))))
                    if chunk.count == PreparedDrafts.chunkSize {
                        guard push(.success(chunk)) else { return }
                        chunk = []
                    }
                }
                if !chunk.isEmpty { _ = push(.success(chunk)) }
            } catch {
                if !chunk.isEmpty { _ = push(.success(chunk)) }
                _ = push(.failure(error))
            }
            lock.withLock { finished = true }
            available.signal()
        }
    }

    private func push(_ chunk: Result<[Item], any Error>) -> Bool {
        space.wait()
        let stop = lock.withLock {
            if !cancelled { chunks.append(chunk) }
            return cancelled
        }
        available.signal()
        return !stop
    }

    /// The next chunk, nil at the end; rethrows the preparing thread's error in order.
    func nextChunk() throws -> [Item]? {
        while true {
            available.wait()
            let (chunk, done): (Result<[Item], any Error>?, Bool) = lock.withLock {
                chunks.isEmpty ? (nil, finished) : (chunks.removeFirst(), false)
            }
            if let chunk {
                space.signal()
                return try chunk.get()
            }
            if done { return nil }
        }
    }

    /// Stops the preparing thread after a failure on the consuming side.
    func cancel() {
        lock.withLock { cancelled = true }
        for _ in 0..<PreparedDrafts.queuedChunksMax { space.signal() }
    }
}
