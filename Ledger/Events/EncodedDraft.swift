/// A draft with its data already in canonical bytes: what a bulk import prepares on its
/// reading thread, since the data does not depend on the chain.
///
/// The decoded dictionary is kept when the draft was built from one; a draft written
/// straight to bytes (a journal entry) has none, and the append session decodes the bytes
/// only if a projection acts on the event's kind or a repeated key must be compared.
package struct EncodedDraft: Sendable {
    package let kind: EventKind
    package let date: LedgerDate?
    package let postings: [Posting]
    package let idempotencyKey: String?
    /// `CanonicalJSON.encode(.object(data))`.
    package let encodedData: [UInt8]
    package let data: [String: JSONValue]?

    init(_ draft: EventDraft) throws(CanonicalJSONError) {
        kind = draft.kind
        date = draft.date
        postings = draft.postings
        idempotencyKey = draft.idempotencyKey
        encodedData = try CanonicalJSON.encode(.object(draft.data))
        data = draft.data
    }

    /// A draft whose data its domain wrote to canonical bytes itself, with
    /// `CanonicalJSON.write`, keeping `draft.data` for the projections: a bulk path that
    /// would otherwise build, sort and encode a dictionary per event.
    ///
    /// `encodedData` must be exactly `CanonicalJSON.encode(.object(draft.data))`, since the
    /// log keeps the bytes and the projections read the dictionary. Debug builds, and so
    /// every test, check it; the audit's replay of projections from the bytes would find
    /// a difference too. Unchecked in release builds, so it is open to this package's
    /// domains only, not to every user of the Ledger library.
    package init(_ draft: EventDraft, encodedData: [UInt8]) {
        assert((try? CanonicalJSON.encode(.object(draft.data))) == encodedData,
               "\(draft.kind) bytes differ from its data: \(String(decoding: encodedData, as: UTF8.self))")
        kind = draft.kind
        date = draft.date
        postings = draft.postings
        idempotencyKey = draft.idempotencyKey
        self.encodedData = encodedData
        data = draft.data
    }

    /// A draft without postings whose domain wrote its data to canonical bytes itself and
    /// applies its own projection to the event (`AppendSession.append(_:keyIsUnused:projecting:)`),
    /// so no dictionary of the data is built at all: a claim batch files a million of them.
    /// As with `init(_:encodedData:)`, the bytes must be the data's canonical encoding, and
    /// the domain's debug builds check it.
    package init(kind: EventKind, date: LedgerDate?, idempotencyKey: String?, encodedData: [UInt8]) throws(LedgerInputError) {
        if let idempotencyKey { try EventDraft.checkIdempotencyKey(idempotencyKey) }
        self.init(kind: kind, date: date, postings: [], idempotencyKey: idempotencyKey, encodedData: encodedData)
    }

    init(kind: EventKind, date: LedgerDate?, postings: [Posting], idempotencyKey: String?, encodedData: [UInt8]) {
        self.kind = kind
        self.date = date
        self.postings = postings
        self.idempotencyKey = idempotencyKey
        self.encodedData = encodedData
        data = nil
    }
}

extension JournalEntry {
    /// The entry as `draft` makes it, with the data written straight to canonical bytes:
    /// `{"date":…,"idempotencyKey":…,"memo":…,"postings":[{"account":…,"amountFen":…,"side":…},…]}`,
    /// keys in canonical order. A million-entry import would otherwise build and encode a
    /// dictionary per entry. Tests hold it equal to encoding `draft.data`.
    var encodedDraft: EncodedDraft {
        get throws(LedgerInputError) {
            let key = idempotencyKey.map { "entry:" + $0 }
            if let key { try EventDraft.checkIdempotencyKey(key) }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(96 + memo.utf8.count + postings.count * 64)
            bytes.append(contentsOf: #"{"date":"#.utf8)
            CanonicalJSON.writeString(date.text, into: &bytes)
            if let key {
                bytes.append(contentsOf: #","idempotencyKey":"#.utf8)
                CanonicalJSON.writeString(key, into: &bytes)
            }
            bytes.append(contentsOf: #","memo":"#.utf8)
            CanonicalJSON.writeString(memo, into: &bytes)
            bytes.append(contentsOf: #","postings":["#.utf8)
            for (index, posting) in postings.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes.append(contentsOf: #"{"account":"#.utf8)
                CanonicalJSON.writeString(posting.account.value, into: &bytes)
                bytes.append(contentsOf: #","amountFen":"#.utf8)
                guard posting.amount.fen.magnitude <= JSONValue.integerMagnitudeMax.magnitude else {
                    throw LedgerInputError(field: "amount", value: posting.amount.formatted(),
                                           reason: CanonicalJSONError.integerOutOfRange(posting.amount.fen).description)
                }
                CanonicalJSON.writeInteger(posting.amount.fen, into: &bytes)
                bytes.append(contentsOf: #","side":"#.utf8)
                CanonicalJSON.writeString(posting.side.rawValue, into: &bytes)
                bytes.append(UInt8(ascii: "}"))
            }
            bytes.append(contentsOf: "]}".utf8)
            return EncodedDraft(kind: .entryPosted, date: date, postings: postings, idempotencyKey: key, encodedData: bytes)
        }
    }
}
