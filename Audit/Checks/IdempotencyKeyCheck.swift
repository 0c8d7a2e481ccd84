import Ledger

/// No two events carry one idempotency key (FORMAT §4: unique across the ledger). A
/// database's unique index holds its own column to that; the bodies, which are what is
/// signed, and a bundle, which has no index, are checked here.
///
/// The pass keeps a 16-byte digest of each key it reads (about 50 bytes an event with the
/// set's overhead), so a repeat is found in one streaming read. An incremental audit also
/// asks the store which event holds a key it has not seen in the pass.
public struct IdempotencyKeyCheck: AuditCheck {
    public let name = "events.idempotency"

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

    public init() {}

    public mutating func begin(_ context: AuditContext, into findings: inout [Finding]) throws {
        firstSeq = context.firstSeq
        if context.prefix != nil { reader = context.reader }
    }

    public mutating func inspect(_ audited: AuditedEvent, into findings: inout [Finding]) {
        guard let key = audited.event.idempotencyKey else { return }
        let digest = KeyDigest(key)
        var earlier = seen[digest]
        if earlier == nil, let reader, let stored = try? reader.seq(idempotencyKey: key), stored < firstSeq { earlier = stored }
        if let earlier {
            findings.append(Finding(.error, check: name, seqs: [earlier, audited.seq], """
                events \(earlier) and \(audited.seq) carry one idempotency key "\(key.prefix(80))", which is unique across the ledger (FORMAT §4)
                """))
            return
        }
        seen[digest] = audited.seq
    }

    public mutating func finish(_ context: AuditContext, into findings: inout [Finding]) throws {}
}
