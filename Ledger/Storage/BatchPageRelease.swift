import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Keeps what a batch that has the file to itself writes from piling up in the page cache.
///
/// Such a batch writes its pages straight into the database file (`WriteSharing`). Every
/// `Policy.interval` events, the pages it wrote past the file's old end, all but the most
/// recent `Policy.keptBytes`, are written out (`fdatasync`) and dropped from the page cache
/// (`POSIX_FADV_DONTNEED`), so the memory they held serves the next pages. Otherwise a
/// million claims leave 1.2 GB of cache behind, pushing other files out, and each page
/// takes memory never used before: on the virtual machine we measure on, that costs 3–4 s
/// per GB (docs/PERFORMANCE.md).
///
/// Safe at any moment of the transaction: SQLite writes a page into the file only after
/// its original is in the journal and the journal is synced, and a dropped page is read
/// back from the disk if SQLite needs it again (the recent ones, and SQLite's own cache,
/// are kept).
final class BatchPageRelease {
    /// When to release, and what to keep.
    struct Policy: Sendable {
        /// Events between releases: 16,384 is about 20 MB of claims.
        var interval = 16_384
        /// The most recently written part of the file, left in the cache.
        var keptBytes: off_t = 32 << 20
    }

    private let descriptor: Int32
    /// The file's size when the batch began: nothing before it is dropped.
    private let start: off_t
    private let policy: Policy
    private var events = 0
    /// How many times pages were written out and dropped.
    private(set) var releases = 0

    /// Nil when the file cannot be opened (nothing is then released).
    init?(path: String, policy: Policy) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        start = status.st_size
        self.policy = policy
    }

    deinit { close(descriptor) }

    /// Counts an event written; releases every `policy.interval` events.
    func noteEvent() {
        events += 1
        if events % max(1, policy.interval) == 0 { release() }
    }

    /// Writes out and drops the batch's pages but the most recent. Best effort: an error
    /// leaves the pages cached, which is only slower.
    func release() {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return }
        let end = status.st_size - policy.keptBytes
        guard end > start else { return }
        #if os(Linux)
        // Only clean pages can be dropped: write them out first.
        guard fdatasync(descriptor) == 0 else { return }
        _ = posix_fadvise(descriptor, start, end - start, POSIX_FADV_DONTNEED)
        releases += 1
        #endif
    }
}
