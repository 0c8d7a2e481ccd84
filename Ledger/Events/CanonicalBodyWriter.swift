/// Writes the canonical bodies of one signer's events in one ledger: the seven keys in
/// their canonical order, the same bytes `CanonicalJSON.encode` gives for the whole
/// object, without sorting them for every event. The parts that repeat from one event to
/// the next are encoded once: the actor, each kind with the ledger id, and the time
/// (which an append session changes at most once a second).
///
/// The canonical key order puts them around the two parts that change every event:
/// `{"actor":A,"data":D,"kind":K,"ledger":L,"prev":"P","seq":S,"time":T}`.
struct CanonicalBodyWriter {
    private let head: [UInt8]
    private let ledgerID: String
    /// `,"kind":K,"ledger":L,"prev":"` per kind.
    private var kindParts: [EventKind: [UInt8]] = [:]
    /// `,"time":T}` for the last time written.
    private var timePart: (time: EventTime, bytes: [UInt8])?

    init(ledgerID: String, actor: KeyID) {
        var head = Array(#"{"actor":"#.utf8)
        CanonicalJSON.writeString(actor.value, into: &head)
        head.append(contentsOf: #","data":"#.utf8)
        self.head = head
        self.ledgerID = ledgerID
    }

    mutating func body(seq: Int64, prev: SHA256Hash, kind: EventKind, time: EventTime,
                       encodedData: [UInt8]) throws(CanonicalJSONError) -> [UInt8] {
        guard seq.magnitude <= JSONValue.integerMagnitudeMax.magnitude else { throw .integerOutOfRange(seq) }
        let kindPart = kindParts[kind] ?? makeKindPart(kind)
        if timePart?.time != time {
            var bytes = Array(#","time":"#.utf8)
            CanonicalJSON.writeString(time.text, into: &bytes)
            bytes.append(UInt8(ascii: "}"))
            timePart = (time, bytes)
        }
        var output: [UInt8] = []
        output.reserveCapacity(head.count + encodedData.count + kindPart.count + 64 + 2 + 26 + timePart!.bytes.count)
        output.append(contentsOf: head)
        output.append(contentsOf: encodedData)
        output.append(contentsOf: kindPart)
        Hex.write(prev.bytes, into: &output)
        output.append(contentsOf: #"","seq":"#.utf8)
        CanonicalJSON.writeInteger(seq, into: &output)
        output.append(contentsOf: timePart!.bytes)
        return output
    }

    private mutating func makeKindPart(_ kind: EventKind) -> [UInt8] {
        var bytes = Array(#","kind":"#.utf8)
        CanonicalJSON.writeString(kind.name, into: &bytes)
        bytes.append(contentsOf: #","ledger":"#.utf8)
        CanonicalJSON.writeString(ledgerID, into: &bytes)
        bytes.append(contentsOf: #","prev":""#.utf8)
        kindParts[kind] = bytes
        return bytes
    }
}
