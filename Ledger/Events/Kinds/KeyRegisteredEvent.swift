/// `key.registered`: a public key, the roles it may sign for and who holds it. The ledger's
/// first administrator key is registered the same way inside `ledger.created` (`admin`).
public struct KeyRegisteredEvent: EventValue, Equatable {
    public static let kind = EventKind.keyRegistered
    public let publicKey: PublicKey
    /// In the order recorded; a registration sorts them.
    public let roles: [Role]
    public let holder: String

    public init(publicKey: PublicKey, roles: [Role], holder: String) {
        self.publicKey = publicKey
        self.roles = roles.sorted()
        self.holder = holder
    }

    public init(_ fields: EventFields) throws {
        try self.init(object: fields.event.data, at: fields)
    }

    /// Reads a registration from `object` (the event's data, or `ledger.created`'s `admin`).
    init(object: [String: JSONValue], at fields: EventFields) throws {
        guard let hex = object["publicKey"]?.stringValue, let roleNames = object["roles"]?.arrayValue,
              let holder = object["holder"]?.stringValue, let id = object["keyId"]?.stringValue else {
            throw fields.badField("lacks a key's keyId, publicKey, roles or holder")
        }
        do { publicKey = try PublicKey(hex: hex) } catch { throw fields.badField("has a public key that does not read: \(error)") }
        guard id == publicKey.id.value else { throw fields.badField("names key \(id) for the public key of \(publicKey.id)") }
        roles = try roleNames.map { name in
            guard let role = name.stringValue.flatMap(Role.init(rawValue:)) else { throw fields.badField("names an unknown role \(name)") }
            return role
        }
        self.holder = holder
    }

    public var id: KeyID { publicKey.id }

    /// The registration's fields, as the event (or `ledger.created`'s `admin`) carries them.
    public var object: [String: JSONValue] {
        ["keyId": .string(publicKey.id.value), "publicKey": .string(publicKey.hex),
         "roles": .array(roles.map { .string($0.rawValue) }), "holder": .string(holder)]
    }

    public func draft() throws(LedgerInputError) -> EventDraft { try EventDraft(kind: Self.kind, fields: object) }

    /// The key as the register keeps it, registered at `seq`.
    public func registered(seq: Int64) -> RegisteredKey {
        RegisteredKey(id: publicKey.id, publicKey: publicKey, roles: Set(roles), holder: holder, registeredSeq: seq, revokedSeq: nil)
    }
}
