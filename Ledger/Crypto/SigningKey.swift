import Crypto
import Foundation

/// An Ed25519 private key, read from a key file only its owner can read.
///
/// A key file is JSON: `{"type":"huzhu-ed25519-private-key","keyId":"…","publicKey":"…hex…","privateKey":"…hex of the 32-byte seed…"}`.
/// It is written with mode 0600 and refused on load when others can read it, as
/// ssh does, because a signature is a person's word in the books.
///
/// `@unchecked Sendable` for the reason given on `PublicKey`: the key is immutable, and
/// bulk imports sign on several threads with one key.
public struct SigningKey: @unchecked Sendable {
    let key: Curve25519.Signing.PrivateKey
    public let publicKey: PublicKey

    public static let fileType = "huzhu-ed25519-private-key"

    /// A new random key.
    public init() {
        self.init(key: Curve25519.Signing.PrivateKey())
    }

    /// The key whose 32-byte seed is `seed` (RFC 8032's private key).
    public init(seed: [UInt8]) throws(LedgerInputError) {
        guard seed.count == 32, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else {
            throw LedgerInputError(field: "private key", value: "(hidden)", reason: "an Ed25519 private key is a 32-byte seed")
        }
        self.init(key: key)
    }

    private init(key: Curve25519.Signing.PrivateKey) {
        self.key = key
        // The raw representation of a valid key is always 32 bytes.
        self.publicKey = try! PublicKey(rawBytes: Array(key.publicKey.rawRepresentation))
    }

    public var id: KeyID { publicKey.id }

    /// The Ed25519 signature of `message` (for events, the 32-byte event hash).
    public func sign(_ message: [UInt8]) -> [UInt8] {
        // BoringSSL's Ed25519 signing does not fail for a valid key.
        Array(try! key.signature(for: message))
    }

    // MARK: Key files

    /// Writes the key to a new file with mode 0600. Refuses to overwrite an existing file
    /// unless `overwrite` is set, because a lost key cannot be recovered.
    public func write(to path: String, overwrite: Bool = false) throws {
        let body: JSONValue = [
            "type": .string(SigningKey.fileType),
            "keyId": .string(id.value),
            "publicKey": .string(publicKey.hex),
            "privateKey": .string(Hex.encode(key.rawRepresentation)),
        ]
        var bytes = try CanonicalJSON.encode(body)
        bytes.append(0x0A)
        let flags = O_WRONLY | O_CREAT | (overwrite ? O_TRUNC : O_EXCL)
        let fd = open(path, flags, 0o600)
        guard fd >= 0 else {
            let reason = errno == EEXIST ? "the file exists; pass --force to replace it" : String(cString: strerror(errno))
            throw LedgerInputError(field: "key file", value: path, reason: reason)
        }
        defer { close(fd) }
        fchmod(fd, 0o600)
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw LedgerInputError(field: "key file", value: path, reason: "could not write: \(String(cString: strerror(errno)))")
        }
    }

    /// Reads a key file, refusing one that others can read.
    public static func load(from path: String) throws -> SigningKey {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw LedgerInputError(field: "key file", value: path, reason: "cannot be read: \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw LedgerInputError(field: "key file", value: path,
                                   reason: "others can read it (mode \(String(info.st_mode & 0o777, radix: 8))); run chmod 600 on it")
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let value = try? JSONParser.parse(data), value["type"]?.stringValue == fileType,
              let seedHex = value["privateKey"]?.stringValue, let seed = Hex.decode(seedHex)
        else {
            throw LedgerInputError(field: "key file", value: path, reason: "not a Huzhu private key file")
        }
        let key = try SigningKey(seed: seed)
        if let claimed = value["publicKey"]?.stringValue, claimed != key.publicKey.hex {
            throw LedgerInputError(field: "key file", value: path, reason: "its public key does not match its private key")
        }
        return key
    }
}
