/// A key's short name: the first 16 hex digits of SHA-256 of the raw 32-byte public key.
public struct KeyID: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let value: String

    public init(publicKey: PublicKey) {
        value = String(SHA256Hash.of(publicKey.rawBytes).hex.prefix(16))
    }

    public init(_ text: String) throws(LedgerInputError) {
        guard text.utf8.count == 16, Hex.decode(text) != nil else {
            throw LedgerInputError(field: "key id", value: text, reason: "a key id is 16 lowercase hexadecimal digits")
        }
        value = text
    }

    init(trusted value: String) { self.value = value }

    public var description: String { value }
    public static func < (lhs: KeyID, rhs: KeyID) -> Bool { lhs.value < rhs.value }

    public init(from decoder: any Decoder) throws {
        try self.init(decoder.singleValueContainer().decode(String.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
