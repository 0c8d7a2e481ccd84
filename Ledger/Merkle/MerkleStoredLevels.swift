/// Which levels of complete subtrees a store writes down.
///
/// Every complete subtree is a node some proof may need, but writing each one costs a
/// B-tree insert per event, about a tenth of a bulk post. So a store keeps the event
/// hashes (level 0) and every fourth level above them (4, 8, 12, …) — one row per
/// sixteen events instead of one per event — and computes a node at any other level from
/// the at most eight nodes of the kept level below it. A root or proof still reads
/// O(log N) rows, never the log.
public enum MerkleStoredLevels {
    /// The distance between kept levels.
    public static let stride = 4

    /// Whether nodes of `level` are written down (level 0, the event hashes, always is).
    public static func isKept(_ level: Int) -> Bool { level % stride == 0 }

    /// The highest kept level at or below `level`: where a node of `level` is computed from.
    public static func keptLevel(atOrBelow level: Int) -> Int { level - level % stride }

    /// Folds the `2^r` consecutive nodes of a kept level, in order, into the node `r`
    /// levels above them (RFC 6962 node hashing, pairwise).
    public static func fold(_ nodes: [SHA256Hash]) -> SHA256Hash {
        precondition(!nodes.isEmpty && nodes.count & (nodes.count - 1) == 0)
        var layer = nodes
        while layer.count > 1 {
            layer = Swift.stride(from: 0, to: layer.count, by: 2).map { MerkleHashing.nodeHash(layer[$0], layer[$0 + 1]) }
        }
        return layer[0]
    }
}
