import Crypto

/// RFC 6962 §2.1 hashing: a leaf is SHA-256(0x00 ‖ data), a node SHA-256(0x01 ‖ left ‖ right).
///
/// The one-byte prefixes keep a leaf from ever being mistaken for a node, so no one can
/// present an inner node as an event.
public enum MerkleHashing {
    public static func leafHash(_ data: [UInt8]) -> SHA256Hash {
        var hasher = SHA256()
        withUnsafeBytes(of: UInt8(0x00)) { hasher.update(bufferPointer: $0) }
        data.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return SHA256Hash(hasher.finalize())
    }

    public static func nodeHash(_ left: SHA256Hash, _ right: SHA256Hash) -> SHA256Hash {
        var hasher = SHA256()
        withUnsafeBytes(of: UInt8(0x01)) { hasher.update(bufferPointer: $0) }
        left.bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        right.bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return SHA256Hash(hasher.finalize())
    }

    /// The root of the empty tree: SHA-256 of no bytes.
    public static let emptyRoot = SHA256Hash.of([UInt8]())
}

/// The largest power of two strictly less than `n` (n ≥ 2): where RFC 6962 splits a tree.
@inlinable
func largestPowerOfTwo(below n: Int64) -> Int64 {
    precondition(n >= 2)
    return Int64(1) << (63 - (n - 1).leadingZeroBitCount)
}
