/// `key.revoked`: a key signs nothing after this event.
public struct KeyRevokedEvent: EventValue, Equatable {
    public static let kind = EventKind.keyRevoked
    public let keyID: KeyID
    public let reason: String

    public init(keyID: KeyID, reason: String) {
        self.keyID = keyID
        self.reason = reason
    }

    public init(_ fields: EventFields) throws {
        self.init(keyID: try fields.parsed("keyId") { try KeyID($0) }, reason: try fields.string("reason"))
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        try EventDraft(kind: Self.kind, fields: ["keyId": .string(keyID.value), "reason": .string(reason)])
    }
}
