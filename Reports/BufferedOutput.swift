import Foundation

/// A text stream to a file handle that writes in large chunks: an export of millions of
/// entries would otherwise make millions of small writes.
///
/// `TextOutputStream.write` cannot throw, so the first write error is kept and thrown by
/// `finish()`; nothing after it is written.
public final class BufferedOutput: TextOutputStream {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var failure: (any Error)?

    /// Bytes gathered before a write: large enough to amortise the system call, small
    /// enough not to matter in memory.
    public static let chunkBytesMax = 1 << 20

    public init(handle: FileHandle) {
        self.handle = handle
        buffer.reserveCapacity(BufferedOutput.chunkBytesMax)
    }

    public func write(_ string: String) {
        buffer.append(contentsOf: string.utf8)
        if buffer.count >= BufferedOutput.chunkBytesMax { flush() }
    }

    private func flush() {
        guard failure == nil, !buffer.isEmpty else {
            buffer.removeAll(keepingCapacity: true)
            return
        }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            failure = error
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and throws the first write error, if any.
    public func finish() throws {
        flush()
        if let failure { throw failure }
    }
}
