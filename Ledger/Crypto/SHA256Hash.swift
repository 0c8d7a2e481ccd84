import Crypto

/// A 32-byte SHA-256 value: an event hash, a Merkle node or a root.
public struct SHA256Hash: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    public static let byteCount = 32

    /// 32 zero bytes: the `prev` of the first event.
    public static let zero = SHA256Hash(trusted: [UInt8](repeating: 0, count: 32))

    public init(bytes: [UInt8]) throws(LedgerInputError) {
        guard bytes.count == SHA256Hash.byteCount else {
            throw LedgerInputError(field: "hash", value: Hex.encode(bytes), reason: "a SHA-256 hash has 32 bytes, this has \(bytes.count)")
        }
        self.bytes = bytes
    }

    public init(hex: String) throws(LedgerInputError) {
        guard let bytes = Hex.decode(hex), bytes.count == SHA256Hash.byteCount else {
            throw LedgerInputError(field: "hash", value: hex, reason: "expected 64 lowercase hexadecimal digits")
        }
        self.bytes = bytes
    }

    init(trusted bytes: [UInt8]) { self.bytes = bytes }

    // Copied through its buffer: `Array(digest)` walks the digest as a generic sequence,
    // a visible cost when every event and Merkle node makes one.
    init(_ digest: SHA256.Digest) { self.bytes = digest.withUnsafeBytes { Array($0) } }

    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }

    /// SHA-256 of `data`, without a domain prefix.
    public static func of(_ data: some DataProtocol) -> SHA256Hash {
        SHA256Hash(SHA256.hash(data: data))
    }
}

import Foundation
