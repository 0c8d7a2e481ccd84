/// The rows of a file taken `chunk` at a time, so that before a chunk is recorded the store
/// can be told what recording it will read (`readAhead`: a settlement file's keys and
/// members, a roster's resident IDs). On a server that is a few round trips a chunk instead
/// of a few a row. A row that cannot be read is reported when its turn comes, after the
/// rows before it, as without reading ahead.
struct ReadAheadChunks<Row> {
    static var chunk: Int { 1000 }
    private var buffered: [Row] = []
    private var position = 0
    private var failure: (any Error)?
    private var ended = false

    init() {}

    /// The next row from `source`; when a new chunk is read, `readAhead` is given it first.
    mutating func next(from source: () throws -> Row?, readAhead: ([Row]) throws -> Void) throws -> Row? {
        if position == buffered.count {
            if let failure { throw failure }
            if ended { return nil }
            buffered.removeAll(keepingCapacity: true)
            position = 0
            do {
                while buffered.count < Self.chunk {
                    guard let row = try source() else { ended = true; break }
                    buffered.append(row)
                }
            } catch {
                failure = error
            }
            if buffered.isEmpty {
                if let failure { throw failure }
                return nil
            }
            try readAhead(buffered)
        }
        defer { position += 1 }
        return buffered[position]
    }
}
