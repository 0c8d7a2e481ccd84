import Crypto

/// Checks RFC 6962 proofs with nothing but hashes, as an outside verifier would
/// (the algorithms of RFC 9162 §2.1.3.2 and §2.1.4.2).
///
/// The raw-byte forms accept hashes of any length, as proofs from elsewhere may carry
/// malformed values that must be rejected rather than crash the checker.
public enum MerkleProofVerifier {
    /// Whether `proof` shows that `leafHash` is leaf `index` of the tree of `size` leaves with root `root`.
    public static func verifyInclusion(leafHash: SHA256Hash, index: Int64, size: Int64, proof: [SHA256Hash],
                                       root: SHA256Hash) -> Bool {
        verifyInclusion(leafHash: leafHash.bytes, index: index, size: size, proof: proof.map(\.bytes), root: root.bytes)
    }

    public static func verifyInclusion(leafHash: [UInt8], index: Int64, size: Int64, proof: [[UInt8]], root: [UInt8]) -> Bool {
        guard index >= 0, index < size, leafHash.count == 32, root.count == 32,
              proof.allSatisfy({ $0.count == 32 }) else { return false }
        var fn = index
        var sn = size - 1
        var result = leafHash
        for sibling in proof {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                result = node(sibling, result)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 }
                }
            } else {
                result = node(result, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && result == root
    }

    /// Whether `proof` shows that the tree of `oldSize` leaves with root `oldRoot` is a
    /// prefix of the tree of `newSize` leaves with root `newRoot`.
    ///
    /// A proof from the empty tree is refused: it proves nothing about any content.
    public static func verifyConsistency(oldSize: Int64, newSize: Int64, oldRoot: SHA256Hash, newRoot: SHA256Hash,
                                         proof: [SHA256Hash]) -> Bool {
        verifyConsistency(oldSize: oldSize, newSize: newSize, oldRoot: oldRoot.bytes, newRoot: newRoot.bytes,
                          proof: proof.map(\.bytes))
    }

    public static func verifyConsistency(oldSize: Int64, newSize: Int64, oldRoot: [UInt8], newRoot: [UInt8],
                                         proof: [[UInt8]]) -> Bool {
        guard oldSize > 0, oldSize <= newSize else { return false }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        guard !proof.isEmpty, oldRoot.count == 32, newRoot.count == 32, proof.allSatisfy({ $0.count == 32 }) else {
            return false
        }
        var path = proof
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 { fn >>= 1; sn >>= 1 }
        var oldResult = path[0]
        var newResult = path[0]
        for component in path.dropFirst() {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                oldResult = node(component, oldResult)
                newResult = node(component, newResult)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 }
                }
            } else {
                newResult = node(newResult, component)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && oldResult == oldRoot && newResult == newRoot
    }

    private static func node(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        hasher.update(data: left)
        hasher.update(data: right)
        return Array(hasher.finalize())
    }
}
