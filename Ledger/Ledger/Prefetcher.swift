import Dispatch
import Foundation

/// Runs a reader on a thread of its own, ahead of the thread that consumes what it reads.
///
/// In a bulk import the chain must be built in order on one thread, but reading the file,
/// parsing amounts, dates and ID numbers, and encoding each event's data do not depend on
/// the chain. Doing them here lets the append session's thread spend its time on what only
/// it can do. Elements travel in chunks through a bounded queue, so memory stays flat, and
/// an error from the reader arrives in order, after the elements read before it.
///
/// ```swift
/// let rows = Prefetcher { try reader.next() }     // the closure runs on the other thread
/// defer { rows.cancel() }
/// while let row = try rows.next() { … }
/// ```
public final class Prefetcher<Element: Sendable>: @unchecked Sendable {
    /// Elements per hand-over, and hand-overs queued at most.
    static var chunkSize: Int { 512 }
    static var queuedChunksMax: Int { 4 }

    private let lock = NSLock()
    private var chunks: [Result<[Element], any Error>] = []
    private var finished = false
    private var cancelled = false
    private let available = DispatchSemaphore(value: 0)
    private let space = DispatchSemaphore(value: 4)
    private var current: [Element] = []
    private var position = 0
    /// The chunk last handed out, and chunks the consumer is done with: the reading thread
    /// releases them, so freeing what the elements hold (dictionaries, strings) is not
    /// the consuming thread's work too.
    private var handedOut: [Element]?
    private var spent: [[Element]] = []

    /// Starts reading: `next` is called on the reading thread until it returns nil or throws.
    /// Whatever it captures must be used by that thread alone from now on.
    public init(_ next: @escaping @Sendable () throws -> Element?) {
        Thread.detachNewThread { [self] in
            var chunk: [Element] = []
            chunk.reserveCapacity(Self.chunkSize)
            do {
                while let element = try next() {
                    chunk.append(element)
                    if chunk.count == Self.chunkSize {
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

    private func push(_ chunk: Result<[Element], any Error>) -> Bool {
        space.wait()
        // `released` holds the last references to the spent chunks; they are freed here,
        // on this thread, when it goes out of scope.
        let (stop, released) = lock.withLock {
            if !cancelled { chunks.append(chunk) }
            defer { spent.removeAll() }
            return (cancelled, spent)
        }
        available.signal()
        withExtendedLifetime(released) {}
        return !stop
    }

    /// The next chunk, nil at the end; rethrows the reader's error in order.
    /// The caller should drop the previous chunk before asking for the next (as a
    /// `while let chunk = try nextChunk()` loop does), so the reading thread frees it.
    public func nextChunk() throws -> [Element]? {
        while true {
            available.wait()
            let (chunk, done): (Result<[Element], any Error>?, Bool) = lock.withLock {
                if let handedOut { spent.append(handedOut) }
                handedOut = nil
                return chunks.isEmpty ? (nil, finished) : (chunks.removeFirst(), false)
            }
            if let chunk {
                space.signal()
                let elements = try chunk.get()
                lock.withLock { handedOut = elements }
                return elements
            }
            if done {
                available.signal()   // later calls also see the end
                return nil
            }
        }
    }

    /// The next element, nil at the end.
    public func next() throws -> Element? {
        if position == current.count {
            current = []
            guard let chunk = try nextChunk() else { return nil }
            current = chunk
            position = 0
        }
        defer { position += 1 }
        return current[position]
    }

    /// Stops the reading thread; call when the consumer gives up (e.g. after an error).
    public func cancel() {
        lock.withLock { cancelled = true }
        for _ in 0..<Self.queuedChunksMax { space.signal() }
    }
}

/// A draft read and encoded ahead of the session (see `Prefetcher`).
struct PreparedDraft: Sendable {
    let row: Int
    let draft: EncodedDraft
}

/// Hands a value used by one thread at a time to another thread.
public final class UncheckedBox<Value>: @unchecked Sendable {
    public let value: Value
    public init(_ value: Value) { self.value = value }
}
