/// A signed tree head: "the ledger L had N events with Merkle root R at time T", signed
/// by an administrator.
///
/// A member's statement or an auditor's report names the checkpoint it rests on; a later
/// consistency proof shows the log only grew since.
///
/// Signed bytes: SHA-256 of the canonical JSON
/// `{"ledger":…,"rootHash":…,"time":…,"treeSize":…,"type":"huzhu-checkpoint-v1"}`.
public struct Checkpoint: Sendable, Hashable {
    public let ledgerID: String
    public let treeSize: Int64
    public let rootHash: SHA256Hash
    public let time: EventTime
    public let keyID: KeyID
    public let signature: [UInt8]

    public static let type = "huzhu-checkpoint-v1"

    public init(ledgerID: String, treeSize: Int64, rootHash: SHA256Hash, time: EventTime, signer: SigningKey) {
        self.ledgerID = ledgerID
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.time = time
        self.keyID = signer.id
        self.signature = signer.sign(Checkpoint.signedMessage(ledgerID: ledgerID, treeSize: treeSize, rootHash: rootHash, time: time))
    }

    public init(ledgerID: String, treeSize: Int64, rootHash: SHA256Hash, time: EventTime, keyID: KeyID, signature: [UInt8]) {
        self.ledgerID = ledgerID
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.time = time
        self.keyID = keyID
        self.signature = signature
    }

    static func body(ledgerID: String, treeSize: Int64, rootHash: SHA256Hash, time: EventTime) -> JSONValue {
        ["ledger": .string(ledgerID), "rootHash": .string(rootHash.hex), "time": .string(time.text),
         "treeSize": .integer(treeSize), "type": .string(Checkpoint.type)]
    }

    static func signedMessage(ledgerID: String, treeSize: Int64, rootHash: SHA256Hash, time: EventTime) -> [UInt8] {
        SHA256Hash.of(try! CanonicalJSON.encode(body(ledgerID: ledgerID, treeSize: treeSize, rootHash: rootHash, time: time))).bytes
    }

    /// Whether the signature is `key`'s over this checkpoint.
    public func isSigned(by key: PublicKey) -> Bool {
        key.id == keyID && key.isValidSignature(signature, for: Checkpoint.signedMessage(ledgerID: ledgerID, treeSize: treeSize, rootHash: rootHash, time: time))
    }

    /// `{"checkpoint":{…signed body…},"keyId":…,"signature":…}`.
    public var json: JSONValue {
        ["checkpoint": Checkpoint.body(ledgerID: ledgerID, treeSize: treeSize, rootHash: rootHash, time: time),
         "keyId": .string(keyID.value), "signature": .string(Hex.encode(signature))]
    }

    public init(json: JSONValue) throws(LedgerInputError) {
        guard let body = json["checkpoint"], body["type"]?.stringValue == Checkpoint.type,
              let ledger = body["ledger"]?.stringValue, let size = body["treeSize"]?.integerValue, size >= 0,
              let root = body["rootHash"]?.stringValue, let time = body["time"]?.stringValue,
              let keyID = json["keyId"]?.stringValue, let signatureHex = json["signature"]?.stringValue,
              let signature = Hex.decode(signatureHex), signature.count == 64
        else {
            throw LedgerInputError(field: "checkpoint", value: "\(json)", reason: "not a Huzhu checkpoint")
        }
        self.init(ledgerID: ledger, treeSize: size, rootHash: try SHA256Hash(hex: root), time: try EventTime(time),
                  keyID: try KeyID(keyID), signature: signature)
    }
}
