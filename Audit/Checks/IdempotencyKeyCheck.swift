import Ledger

/// No two events carry one idempotency key (FORMAT §4: unique across the ledger). The
/// bodies are what is signed, so the rule is checked on them, in one of two ways:
///
/// - A full audit of a store compares each event's stored key column with its body as the
///   pass reads it, and at the end asks the store for keys its column holds twice
///   (`repeatedIdempotencyKeys`, a scan that does not trust the unique index). Memory stays
///   flat whatever the ledger's size.
/// - A bundle, which has no column, and an incremental audit, which reads only the events
///   after its checkpoint, keep a 16-byte digest of each key read (about 50 bytes an event
///   with the set's overhead); an incremental audit also asks the store which earlier event
///   holds a key it has not seen in the pass.
public struct IdempotencyKeyCheck: AuditCheck {
    public let name = "events.idempotency"

    /// Repeats reported by the store's scan; more only repeat the point.
    public static let repeatsReportedMax = 100

    /// The first 16 bytes of SHA-256 of a key: two keys sharing them by chance is a 2^-64 event.
    struct KeyDigest: Hashable {
        let high: UInt64
        let low: UInt64

        init(_ key: String) {
            let bytes = SHA256Hash.of(Array(key.utf8)).bytes
            high = bytes[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
            low = bytes[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
        }
    }

    var seen: [KeyDigest: Int64] = [:]
    var reader: (any LedgerStoreReader)?
    var firstSeq: Int64 = 1
    /// A full audit of a store: the store's column stands in for the digest set.
    var storeScan = false

    public init() {}

    public mutating func begin(_ context: AuditContext, into findings: inout [Finding]) throws {
        firstSeq = context.firstSeq
        reader = context.reader
        storeScan = context.reader != nil && context.prefix == nil
    }

    public mutating func inspect(_ audited: AuditedEvent, into findings: inout [Finding]) {
        let key = audited.event.idempotencyKey
        if storeScan, let stored = audited.storedColumns {
            // The store's scan at the end vouches for a body whose key its column holds.
            guard stored.idempotencyKey != key, let key else { return }
            // The column says otherwise (books.replay reports that). The body's key is judged
            // on its own: against the event whose column holds it, if that event's body does
            // too, and against the other bodies the columns misstate, in the set below.
            if let reader, let other = try? reader.seq(idempotencyKey: key), other != audited.seq,
               let otherStored = try? reader.storedEvent(seq: other),
               let otherEvent = try? RecordedEvent(body: otherStored.body, signature: otherStored.signature),
               otherEvent.idempotencyKey == key {
                findings.append(repeated(key, seqs: [min(other, audited.seq), max(other, audited.seq)]))
                return
            }
        }
        guard let key else { return }
        let digest = KeyDigest(key)
        var earlier = seen[digest]
        if earlier == nil, firstSeq > 1, let reader, let stored = try? reader.seq(idempotencyKey: key), stored < firstSeq { earlier = stored }
        if let earlier {
            findings.append(repeated(key, seqs: [earlier, audited.seq]))
            return
        }
        seen[digest] = audited.seq
    }

    public mutating func finish(_ context: AuditContext, into findings: inout [Finding]) throws {
        guard storeScan, let reader = context.reader else { return }
        for repeatedKey in try reader.repeatedIdempotencyKeys(limit: Self.repeatsReportedMax) {
            findings.append(repeated(repeatedKey.key, seqs: repeatedKey.seqs))
        }
    }

    func repeated(_ key: String, seqs: [Int64]) -> Finding {
        let numbers = seqs.map(String.init)
        let named = numbers.count == 2 ? "\(numbers[0]) and \(numbers[1])"
            : numbers.dropLast().joined(separator: ", ") + " and " + numbers.last!
        return Finding(.error, check: name, seqs: seqs, """
            events \(named) carry one idempotency key "\(key.prefix(80))", which is unique across the ledger (FORMAT §4)
            """)
    }
}
