import Ledger

/// Every event that carries postings is a proper double entry: the postings can be read
/// (known account code, side, amount > 0), there are at least two, debits equal credits,
/// and the entry has a business date.
///
/// The append path refuses anything else, so a finding here means the bytes were written
/// by something other than Huzhu — someone holding a key who bypassed it.
public struct EntryBalanceCheck: AuditCheck {
    public let name = "books.balanced"
    public init() {}

    public mutating func inspect(_ audited: AuditedEvent, into findings: inout [Finding]) {
        guard audited.claimsPostings else { return }
        let postings: [Posting]
        switch audited.postings {
        case let .failure(error):
            findings.append(Finding(.error, check: name, seqs: [audited.seq], "the postings cannot be read: \(error)"))
            return
        case let .success(parsed):
            postings = parsed
        }
        do {
            try postings.checkBalanced()
        } catch {
            findings.append(Finding(.error, check: name, seqs: [audited.seq], "the entry does not balance: \(error.value): \(error.reason)"))
        }
        if audited.event.date == nil {
            findings.append(Finding(.error, check: name, seqs: [audited.seq], "the entry moves money but has no valid date"))
        }
    }

    public mutating func finish(_ context: AuditContext, into findings: inout [Finding]) throws {}
}
