import Ledger

/// Every reversal undoes exactly the entry it names (`reverses`), whatever its kind
/// (`entry.reversed`, or a domain's own, such as `claim.payment-returned`): the original
/// is an earlier event that is not itself a reversal, is reversed once, and the reversal
/// posts its lines in the same order on the opposite sides, dated no earlier than it.
///
/// Reversals are few, so the pass keeps only them, and `finish` reads each original back
/// from the store; without one (an auditor's bundle) it says what it could not compare.
/// The domain's checks judge the plan's own reversals from the pass besides.
public struct ReversalCheck: AuditCheck {
    public let name = "books.reversals"
    struct Reversal {
        let seq: Int64
        let original: Int64
        let postings: [Posting]
        let date: LedgerDate?
    }
    var reversals: [Reversal] = []

    public init() {}

    public mutating func inspect(_ audited: AuditedEvent, into findings: inout [Finding]) {
        guard let reverses = audited.event.data["reverses"] else { return }
        guard let original = reverses.integerValue, original >= 1, original < audited.seq else {
            findings.append(Finding(.error, check: name, seqs: [audited.seq], "the reversal names no earlier event (reverses \(reverses))"))
            return
        }
        // Unreadable postings are reported by books.balanced; compare what can be read.
        reversals.append(Reversal(seq: audited.seq, original: original, postings: (try? audited.postings.get()) ?? [], date: audited.event.date))
    }

    public mutating func finish(_ context: AuditContext, into findings: inout [Finding]) throws {
        guard !reversals.isEmpty else { return }
        guard let reader = context.reader else {
            findings.append(Finding(.info, check: name, "\(reversals.count) reversal(s) not compared with the entries they reverse: a bundle has no store to read them from"))
            return
        }
        var reversedBy: [Int64: Int64] = [:]
        for reversal in reversals {
            func fail(_ text: String) { findings.append(Finding(.error, check: name, seqs: [reversal.original, reversal.seq], text)) }
            if let earlier = reversedBy[reversal.original] {
                fail("event \(reversal.original) is reversed twice, by \(earlier) and \(reversal.seq)")
                continue
            }
            reversedBy[reversal.original] = reversal.seq
            guard let stored = try reader.storedEvent(seq: reversal.original),
                  let original = try? RecordedEvent(body: stored.body, signature: stored.signature) else {
                fail("event \(reversal.seq) reverses event \(reversal.original), which cannot be read")
                continue
            }
            if original.data["reverses"] != nil {
                fail("event \(reversal.seq) reverses event \(reversal.original), which is itself a reversal")
            }
            if let made = original.date, let date = reversal.date, date < made {
                fail("event \(reversal.seq), dated \(date), reverses event \(reversal.original) dated \(made): before it was made")
            }
            let expected = ((try? original.postings()) ?? []).map(\.reversed)
            if reversal.postings != expected {
                fail("event \(reversal.seq) does not post event \(reversal.original)'s lines on the opposite sides")
            }
        }
    }
}
