import Foundation

/// Reads a file line by line (lines end in 0x0A) in fixed-size chunks, so a bundle of a
/// million events is checked in flat memory.
struct LineReader {
    let handle: FileHandle
    var buffer: [UInt8] = []
    var start = 0
    var atEnd = false

    /// Bytes read per chunk.
    static let chunkSize = 1 << 20
    /// The longest line accepted: an event body is far smaller; anything longer is not a bundle.
    static let lineLengthMax = 16 << 20

    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw BundleError(file: (path as NSString).lastPathComponent, reason: "cannot be opened")
        }
        self.handle = handle
    }

    /// The next line without its newline; nil at the end. A last line without a newline
    /// is returned too, flagged, since a bundle's files end every line with one.
    mutating func next() throws -> (line: [UInt8], terminated: Bool)? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                let line = Array(buffer[start..<newline])
                start = newline + 1
                return (line, true)
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                return (line, false)
            }
            guard buffer.count - start <= LineReader.lineLengthMax else {
                throw BundleError(file: "", reason: "a line is longer than \(LineReader.lineLengthMax) bytes")
            }
            buffer.removeFirst(start)
            start = 0
            let chunk = handle.readData(ofLength: LineReader.chunkSize)
            if chunk.isEmpty { atEnd = true } else { buffer.append(contentsOf: chunk) }
        }
    }
}

/// A bundle that cannot be read at all (a missing file, a manifest of another format).
public struct BundleError: Error, CustomStringConvertible {
    public let file: String
    public let reason: String
    public var description: String { file.isEmpty ? reason : "\(file): \(reason)" }
}
