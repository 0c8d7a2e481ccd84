/// An event as it stands in the log: its canonical body, hash and signature, and the
/// fields read back from the body.
///
/// The body is the truth. Every other column the store keeps (kind, date, balances) is
/// derived from it and can be rebuilt by a replay.
public struct RecordedEvent: Sendable {
    public let seq: Int64
    public let ledgerID: String
    public let prev: SHA256Hash
    public let kind: EventKind
    public let time: EventTime
    public let actor: KeyID
    public let data: [String: JSONValue]
    /// RFC 6962 leaf hash of `body`: SHA-256(0x00 ‖ body).
    public let hash: SHA256Hash
    public let signature: [UInt8]
    /// The canonical bytes.
    public let body: [UInt8]
    /// The business date, for events that carry one (read once from `data`).
    public let date: LedgerDate?
    /// Whether `body` is exactly the canonical form of the fields read from it, as
    /// `canonicalBody` writes them. Noted by the parser while reading, so checking every
    /// event of a log costs no second encoding; false means someone other than Huzhu's
    /// encoder wrote the bytes (see `LogVerificationPass`).
    public let isCanonical: Bool

    /// Reads an event from its canonical bytes and signature, computing its hash.
    ///
    /// Throws when the bytes are not an event body. It does not check the signature or
    /// the chain; `LogVerifier` does.
    public init(body: [UInt8], signature: [UInt8]) throws(EventDecodingError) {
        try self.init(body: body, signature: signature, hash: MerkleHashing.leafHash(body))
    }

    /// The same, with the leaf hash of `body` already computed (a verifier hashes first).
    init(body: [UInt8], signature: [UInt8], hash: SHA256Hash) throws(EventDecodingError) {
        let value: JSONValue
        let parsedCanonical: Bool
        do { (value, parsedCanonical) = try JSONParser.parseNotingForm(body) } catch { throw .notJSON("\(error)") }
        guard case let .object(members) = value else { throw .missingField("the body is not an object") }
        func string(_ key: String) throws(EventDecodingError) -> String {
            guard let text = members[key]?.stringValue else { throw .missingField(key) }
            return text
        }
        guard let seq = members["seq"]?.integerValue, seq >= 1 else { throw .missingField("seq") }
        guard case let .object(data)? = members["data"] else { throw .missingField("data") }
        guard members.count == 7 else { throw .missingField("exactly ledger, seq, prev, kind, time, actor and data") }
        do {
            self.prev = try SHA256Hash(hex: string("prev"))
            self.time = try EventTime(string("time"))
            self.actor = try KeyID(string("actor"))
        } catch let error as EventDecodingError {
            throw error
        } catch {
            throw .badField("\(error)")
        }
        // The header fields are written back from their parsed values, which accept one
        // spelling each (lower-case hex, the time's one shape), so they add no other form.
        isCanonical = parsedCanonical
        self.seq = seq
        self.ledgerID = try string("ledger")
        self.kind = EventKind(try string("kind"))
        self.data = data
        self.body = body
        self.signature = signature
        self.hash = hash
        self.date = data["date"]?.stringValue.flatMap { try? LedgerDate($0) }
    }

    public var idempotencyKey: String? { data["idempotencyKey"]?.stringValue }

    /// The entry's postings; empty for events that move no money.
    public func postings() throws(LedgerInputError) -> [Posting] {
        guard let lines = data["postings"]?.arrayValue else { return [] }
        var postings: [Posting] = []
        postings.reserveCapacity(lines.count)
        for line in lines { postings.append(try Posting(json: line)) }
        return postings
    }

    /// The canonical body of an event with these fields.
    ///
    /// The seven keys are written in their canonical order directly (actor, data, kind,
    /// ledger, prev, seq, time): the same bytes `CanonicalJSON.encode` gives for the
    /// object, without sorting them for every event.
    public static func canonicalBody(ledgerID: String, seq: Int64, prev: SHA256Hash, kind: EventKind, time: EventTime,
                                     actor: KeyID, data: [String: JSONValue]) throws(CanonicalJSONError) -> [UInt8] {
        try canonicalBody(ledgerID: ledgerID, seq: seq, prev: prev, kind: kind, time: time, actor: actor,
                          encodedData: CanonicalJSON.encode(.object(data)))
    }

    /// The same, with `data` already in canonical bytes (see `CanonicalBodyWriter`, which
    /// an append session keeps to write many bodies).
    static func canonicalBody(ledgerID: String, seq: Int64, prev: SHA256Hash, kind: EventKind, time: EventTime,
                              actor: KeyID, encodedData: [UInt8]) throws(CanonicalJSONError) -> [UInt8] {
        var writer = CanonicalBodyWriter(ledgerID: ledgerID, actor: actor)
        return try writer.body(seq: seq, prev: prev, kind: kind, time: time, encodedData: encodedData)
    }
}

/// Why stored bytes are not an event body.
public enum EventDecodingError: Error, CustomStringConvertible {
    case notJSON(String)
    case missingField(String)
    case badField(String)

    public var description: String {
        switch self {
        case let .notJSON(reason): return "the body is not canonical JSON: \(reason)"
        case let .missingField(field): return "the body lacks \(field)"
        case let .badField(reason): return "the body has a bad field: \(reason)"
        }
    }
}
