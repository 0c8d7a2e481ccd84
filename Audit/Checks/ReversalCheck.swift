import Ledger

/// Every reversal undoes exactly the entry it names (`reverses`), whatever its kind
/// (`entry.reversed`, or a domain's own, such as `claim.payment-returned`): the original
/// is an earlier event that is not itself a reversal, is reversed once, and the reversal
/// posts its lines in the same order on the opposite sides, dated no earlier than it.
///
/// A core reversal (`entry.reversed`) reverses only a plain entry (`entry.posted`): the
/// domain reverses its own money events with its own kinds (FORMAT §5).
///
/// Reversals are few, so the pass keeps only them, and `finish` reads each original back
/// from the store. Without one (an auditor's bundle) the pass keeps, for every event with
/// postings, what a reversal of it must match (its kind, date and the digest of its lines
/// on the opposite sides: 40 bytes an event), so the bundle is held to the same rule.
/// The domain's checks judge the plan's own reversals from the pass besides.
public struct ReversalCheck: AuditCheck {
    public let name = "books.reversals"
    struct Reversal {
        let seq: Int64
        let original: Int64
        let postings: [Posting]
        let date: LedgerDate?
        /// An `entry.reversed`, which may reverse only an `entry.posted`.
        let isCore: Bool
    }
    var reversals: [Reversal] = []

    /// What a reversal of an event must match, kept from the stream when there is no store.
    struct Original {
        let isPlainEntry: Bool
        let isReversal: Bool
        let date: LedgerDate?
        /// `ReversalCheck.digest` of the event's lines on the opposite sides.
        let reversedLines: SHA256Hash
    }
    /// Set in `begin` when the pass has no store to read originals back from.
    var originals: [Int64: Original]?

    public init() {}

    public mutating func begin(_ context: AuditContext, into findings: inout [Finding]) throws {
        if context.reader == nil { originals = [:] }
    }

    /// One hash of a list of lines, in order: what two lists are compared by.
    static func digest(_ postings: [Posting]) -> SHA256Hash {
        SHA256Hash.of(Array(postings.map { "\($0.account)|\($0.side.rawValue)|\($0.amount.fen);" }.joined().utf8))
    }

    public mutating func inspect(_ audited: AuditedEvent, into findings: inout [Finding]) {
        if originals != nil, let postings = try? audited.postings.get(), !postings.isEmpty {
            originals![audited.seq] = Original(isPlainEntry: audited.event.kind == .entryPosted, isReversal: audited.event.data["reverses"] != nil,
                                               date: audited.event.date, reversedLines: Self.digest(postings.map(\.reversed)))
        }
        guard let reverses = audited.event.data["reverses"] else { return }
        guard let original = reverses.integerValue, original >= 1, original < audited.seq else {
            findings.append(Finding(.error, check: name, seqs: [audited.seq], "the reversal names no earlier event (reverses \(reverses))"))
            return
        }
        // Unreadable postings are reported by books.balanced; compare what can be read.
        reversals.append(Reversal(seq: audited.seq, original: original, postings: (try? audited.postings.get()) ?? [], date: audited.event.date,
                                  isCore: audited.event.kind == .entryReversed))
    }

    public mutating func finish(_ context: AuditContext, into findings: inout [Finding]) throws {
        guard !reversals.isEmpty else { return }
        var reversedBy: [Int64: Int64] = [:]
        for reversal in reversals {
            func fail(_ text: String) { findings.append(Finding(.error, check: name, seqs: [reversal.original, reversal.seq], text)) }
            if let earlier = reversedBy[reversal.original] {
                fail("event \(reversal.original) is reversed twice, by \(earlier) and \(reversal.seq)")
                continue
            }
            reversedBy[reversal.original] = reversal.seq
            guard let original = try self.original(reversal.original, context) else {
                fail("event \(reversal.seq) reverses event \(reversal.original), which cannot be read or posts nothing")
                continue
            }
            if original.isReversal {
                fail("event \(reversal.seq) reverses event \(reversal.original), which is itself a reversal")
            }
            if reversal.isCore && !original.isPlainEntry {
                fail("event \(reversal.seq), an entry.reversed, reverses event \(reversal.original), a domain money event the domain reverses with its own kind (FORMAT §5)")
            }
            if let made = original.date, let date = reversal.date, date < made {
                fail("event \(reversal.seq), dated \(date), reverses event \(reversal.original) dated \(made): before it was made")
            }
            if Self.digest(reversal.postings) != original.reversedLines {
                fail("event \(reversal.seq) does not post event \(reversal.original)'s lines on the opposite sides")
            }
        }
    }

    /// What a reversal of event `seq` must match: kept from the stream, or read back from the store.
    func original(_ seq: Int64, _ context: AuditContext) throws -> Original? {
        if let originals { return originals[seq] }
        guard let stored = try context.reader?.storedEvent(seq: seq),
              let event = try? RecordedEvent(body: stored.body, signature: stored.signature) else { return nil }
        return Original(isPlainEntry: event.kind == .entryPosted, isReversal: event.data["reverses"] != nil, date: event.date,
                        reversedLines: Self.digest(((try? event.postings()) ?? []).map(\.reversed)))
    }
}
