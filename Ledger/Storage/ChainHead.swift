/// Where the chain stands as a write begins: the log's size, the last event's hash (the
/// next event's `prev`) and the Merkle frontier (the next roots). Every append session
/// starts from it (`LedgerStoreWriter.chainHead()`).
///
/// The log is the truth: by default a store reads the head from its events and kept
/// Merkle nodes, a handful of reads. A store whose every read is a round trip to a server
/// (PostgreSQL) keeps the head in the row its writers lock, and trusts it only when it
/// names the size and the last hash its events table has.
public struct ChainHead: Sendable {
    public let lastHash: SHA256Hash
    public let frontier: MerkleFrontier
    public var size: Int64 { frontier.size }

    public init(lastHash: SHA256Hash, frontier: MerkleFrontier) {
        self.lastHash = lastHash
        self.frontier = frontier
    }

    /// The head read from the log `reader` sees.
    public init(reading reader: any LedgerStoreReader) throws {
        let size = try reader.size()
        lastHash = size == 0 ? .zero : try reader.merkleNode(level: 0, index: size - 1)
        frontier = try MerkleFrontier(size: size, source: StoreNodeSource(reader))
    }
}
