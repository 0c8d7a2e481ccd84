/// The right edge of a Merkle log: the hashes of the complete subtrees that the leaves
/// so far decompose into, largest first (at most 64 of them).
///
/// Appending a leaf merges equal-sized subtrees, and each merge is a new complete
/// subtree the store keeps. So an append costs O(1) amortised hashes and node writes,
/// and the root is a fold of the frontier: O(log N) without reading the log.
public struct MerkleFrontier: Sendable {
    /// (level, hash) pairs, levels strictly decreasing.
    public private(set) var subtrees: [(level: Int, hash: SHA256Hash)]
    public private(set) var size: Int64

    public init() {
        subtrees = []
        size = 0
    }

    /// The frontier of the first `size` leaves, read from stored complete subtrees.
    public init(size: Int64, source: some MerkleNodeSource) throws {
        self.size = size
        subtrees = []
        var start: Int64 = 0
        for level in stride(from: 63, through: 0, by: -1) where size & (Int64(1) << level) != 0 {
            let width = Int64(1) << level
            subtrees.append((level, try source.node(level: level, index: start / width)))
            start += width
        }
    }

    /// The frontier of `size` leaves from its subtrees' hashes, largest first (as `subtrees`
    /// lists them); nil when their number is not the number of complete subtrees `size` has.
    public init?(size: Int64, hashes: [SHA256Hash]) {
        guard size >= 0, hashes.count == size.nonzeroBitCount else { return nil }
        let levels = stride(from: 63, through: 0, by: -1).filter { size & (Int64(1) << $0) != 0 }
        self.size = size
        subtrees = Array(zip(levels, hashes))
    }

    /// Adds a leaf and reports each complete subtree it completes, as (level ≥ 1, index, hash).
    public mutating func append(_ leafHash: SHA256Hash, completed: (Int, Int64, SHA256Hash) throws -> Void) rethrows {
        var level = 0
        var hash = leafHash
        let leafIndex = size
        size += 1
        while let last = subtrees.last, last.level == level {
            subtrees.removeLast()
            hash = MerkleHashing.nodeHash(last.hash, hash)
            level += 1
            try completed(level, leafIndex >> level, hash)
        }
        subtrees.append((level, hash))
    }

    /// The RFC 6962 root of the leaves so far.
    public var root: SHA256Hash {
        guard var result = subtrees.last?.hash else { return MerkleHashing.emptyRoot }
        for subtree in subtrees.dropLast().reversed() {
            result = MerkleHashing.nodeHash(subtree.hash, result)
        }
        return result
    }
}
