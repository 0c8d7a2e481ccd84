/// Where the hashes of complete subtrees come from.
///
/// A Merkle log keeps the hash of every complete, aligned subtree: level 0 is the event
/// hashes, level L index i covers leaves [i·2^L, (i+1)·2^L). Any root or proof then needs
/// O(log N) of them, never the whole log in memory.
public protocol MerkleNodeSource {
    func node(level: Int, index: Int64) throws -> SHA256Hash
}

extension MerkleNodeSource {
    /// The RFC 6962 hash of leaves [start, end).
    public func hash(from start: Int64, to end: Int64) throws -> SHA256Hash {
        let count = end - start
        precondition(count >= 1)
        if count & (count - 1) == 0 && start % count == 0 {
            return try node(level: count.trailingZeroBitCount, index: start / count)
        }
        let split = largestPowerOfTwo(below: count)
        return MerkleHashing.nodeHash(try hash(from: start, to: start + split), try hash(from: start + split, to: end))
    }

    /// The root of the tree of the first `size` leaves.
    public func root(size: Int64) throws -> SHA256Hash {
        size == 0 ? MerkleHashing.emptyRoot : try hash(from: 0, to: size)
    }

    /// RFC 6962 §2.1.1 audit path for leaf `index` in the tree of `size` leaves,
    /// from the leaf's sibling up to the root's children.
    public func inclusionProof(index: Int64, size: Int64) throws -> [SHA256Hash] {
        precondition(index >= 0 && index < size)
        var path: [SHA256Hash] = []
        try inclusionPath(index: index, start: 0, end: size, into: &path)
        return path
    }

    private func inclusionPath(index: Int64, start: Int64, end: Int64, into path: inout [SHA256Hash]) throws {
        let count = end - start
        guard count > 1 else { return }
        let split = largestPowerOfTwo(below: count)
        if index < split {
            try inclusionPath(index: index, start: start, end: start + split, into: &path)
            path.append(try hash(from: start + split, to: end))
        } else {
            try inclusionPath(index: index - split, start: start + split, end: end, into: &path)
            path.append(try hash(from: start, to: start + split))
        }
    }

    /// RFC 6962 §2.1.2 consistency proof between the trees of `oldSize` and `newSize` leaves.
    public func consistencyProof(oldSize: Int64, newSize: Int64) throws -> [SHA256Hash] {
        precondition(0 < oldSize && oldSize <= newSize)
        var proof: [SHA256Hash] = []
        if oldSize < newSize {
            try subproof(old: oldSize, start: 0, end: newSize, isWholeOldTree: true, into: &proof)
        }
        return proof
    }

    private func subproof(old: Int64, start: Int64, end: Int64, isWholeOldTree: Bool, into proof: inout [SHA256Hash]) throws {
        let count = end - start
        if old == count {
            if !isWholeOldTree { proof.append(try hash(from: start, to: end)) }
            return
        }
        let split = largestPowerOfTwo(below: count)
        if old <= split {
            try subproof(old: old, start: start, end: start + split, isWholeOldTree: isWholeOldTree, into: &proof)
            proof.append(try hash(from: start + split, to: end))
        } else {
            try subproof(old: old - split, start: start + split, end: end, isWholeOldTree: false, into: &proof)
            proof.append(try hash(from: start, to: start + split))
        }
    }
}
