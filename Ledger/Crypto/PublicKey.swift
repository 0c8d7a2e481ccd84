import Crypto
import Foundation

/// An Ed25519 public key, the half of a person's key the ledger registers.
///
/// `@unchecked Sendable` because swift-crypto 3 does not mark its key types Sendable on
/// Linux, though they are immutable values; sharing one across verifying threads is safe.
public struct PublicKey: @unchecked Sendable, Hashable {
    public let rawBytes: [UInt8]
    let key: Curve25519.Signing.PublicKey

    public init(rawBytes: [UInt8]) throws(LedgerInputError) {
        guard rawBytes.count == 32, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: rawBytes) else {
            throw LedgerInputError(field: "public key", value: Hex.encode(rawBytes), reason: "an Ed25519 public key is 32 bytes")
        }
        self.rawBytes = rawBytes
        self.key = key
    }

    public init(hex: String) throws(LedgerInputError) {
        guard let bytes = Hex.decode(hex), bytes.count == 32 else {
            throw LedgerInputError(field: "public key", value: hex, reason: "expected 64 lowercase hexadecimal digits")
        }
        try self.init(rawBytes: bytes)
    }

    public var hex: String { Hex.encode(rawBytes) }
    public var id: KeyID { KeyID(publicKey: self) }

    /// Whether `signature` is this key's Ed25519 signature of `message`.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        signature.count == 64 && key.isValidSignature(signature, for: message)
    }

    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool { lhs.rawBytes == rhs.rawBytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawBytes) }
}
