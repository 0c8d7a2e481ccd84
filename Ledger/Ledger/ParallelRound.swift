import Dispatch
import Foundation
import Synchronization

/// A body run for every index of a range on every core: started on the other cores'
/// threads, and finished with the help of the thread that started it.
///
/// Signature checks run beside a thread that keeps reading and checking the log. If
/// every core ran a checking thread, that thread would share a core with one of them
/// and get two thirds of it, and the audit, whose reading thread has the most to do,
/// would go at that pace. So a round starts on one thread fewer than there are cores,
/// and the starting thread joins in (`finish()`) once its own work reaches the point
/// where it needs the results: every core busy, none shared.
///
/// Indices are handed out in small blocks as threads become free, so a thread that is
/// slowed down does not leave the others waiting at the end of the round.
///
/// ```swift
/// let round = ParallelRound(count: batch.count) { index in results.set(index, check(index)) }
/// readTheNextChunk()        // the other cores check meanwhile
/// round.finish()            // this thread checks what is left, then every result is set
/// ```
final class ParallelRound: Sendable {
    /// Indices per hand-out: small enough to balance the threads, large enough that
    /// taking a block costs nothing next to a signature (tens of microseconds each).
    static let blockSize = 16

    private let count: Int
    private let body: @Sendable (Int) -> Void
    private let nextBlock = Atomic<Int>(0)
    private let helpers = DispatchGroup()

    /// Starts the round on threads of the global queue, one per core but the caller's.
    init(count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        self.count = count
        self.body = body
        let blocks = (count + Self.blockSize - 1) / Self.blockSize
        let helperCount = ProcessInfo.processInfo.activeProcessorCount - 1
        for _ in 0..<min(max(0, helperCount), blocks) {
            helpers.enter()
            DispatchQueue.global().async { [self] in
                takeBlocks()
                helpers.leave()
            }
        }
    }

    /// Runs the blocks no thread has taken yet on the calling thread, then waits for the
    /// helpers' last ones: when it returns, the body has run for every index.
    func finish() {
        takeBlocks()
        helpers.wait()
    }

    private func takeBlocks() {
        while true {
            let start = nextBlock.wrappingAdd(1, ordering: .relaxed).oldValue * Self.blockSize
            guard start < count else { return }
            for index in start..<min(start + Self.blockSize, count) { body(index) }
        }
    }
}
