import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The threads that sign a pipeline's rounds, one per core, at a lower scheduling
/// priority than the thread that appends.
///
/// Only the appending thread may chain, hash and write, so a bulk import that does much
/// per event (a claim's lookups and projections) goes as fast as that thread. Signing
/// threads of equal priority take turns with it on its core and slow it down; at nice 10
/// they run on the time it leaves. They cannot starve it of signatures for long: when
/// too many rounds wait (`SigningPipeline.roundsInFlightMax`), the appending thread
/// waits, and the signers have every core.
final class SigningThreads: @unchecked Sendable {
    /// One round: its hashes, where signatures go, and the next block to hand out.
    final class Job {
        let hashes: [SHA256Hash]
        let signatures: SignatureBuffer
        let done = DispatchGroup()
        fileprivate var next = 0
        fileprivate var unsigned: Int

        init(hashes: [SHA256Hash]) {
            self.hashes = hashes
            signatures = SignatureBuffer(count: hashes.count)
            unsigned = hashes.count
            done.enter()
        }

        var isSigned: Bool { done.wait(timeout: .now()) == .success }
    }

    /// Hashes per hand-out: small enough to share a round between the threads, large
    /// enough that taking a block costs nothing next to the signatures (~15 µs each).
    static let blockSize = 16
    /// How much lower than the appending thread's the signers' priority is (nice units).
    static let niceness: Int32 = 10

    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var stopping = false

    init(signer: SigningKey, count: Int = ProcessInfo.processInfo.activeProcessorCount) {
        for _ in 0..<max(1, count) {
            Thread.detachNewThread { [self] in run(signer) }
        }
    }

    /// Queues a round; its `done` group is left when all its hashes are signed.
    func submit(_ job: Job) {
        condition.lock()
        jobs.append(job)
        condition.broadcast()
        condition.unlock()
    }

    /// Lets the threads end once the queued rounds are signed.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func run(_ signer: SigningKey) {
        #if canImport(Glibc)
        // On Linux the nice value belongs to the thread, and `who == 0` names the caller.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, SigningThreads.niceness)
        #endif
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            guard let job = jobs.first else {
                condition.unlock()
                return
            }
            let start = job.next
            let end = min(start + SigningThreads.blockSize, job.hashes.count)
            job.next = end
            if end == job.hashes.count { jobs.removeFirst() }
            condition.unlock()

            for index in start..<end { job.signatures.set(index, signer.sign(job.hashes[index].bytes)) }

            condition.lock()
            job.unsigned -= end - start
            let finished = job.unsigned == 0
            condition.unlock()
            if finished { job.done.leave() }
        }
    }
}
