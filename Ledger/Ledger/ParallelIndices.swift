import Dispatch

/// Runs a body for every index of a range on every core, handing out indices in small
/// blocks as threads become free.
///
/// Signature checks run beside a thread that keeps reading and hashing. A fixed split
/// (each core takes every other index) lets the core that shares its time with that
/// thread fall behind while the other one waits idle at the end of every round; blocks
/// taken on demand keep both busy until the round is done.
enum ParallelIndices {
    /// Indices per hand-out: small enough to balance the cores, large enough that taking
    /// a block costs nothing next to a signature (tens of microseconds each).
    static let blockSize = 16

    static func forEach(_ count: Int, _ body: @Sendable (Int) -> Void) {
        let blocks = (count + blockSize - 1) / blockSize
        // `concurrentPerform` gives out iterations one at a time to whichever thread asks.
        DispatchQueue.concurrentPerform(iterations: blocks) { block in
            let start = block * blockSize
            for index in start..<min(start + blockSize, count) { body(index) }
        }
    }
}
