import Ledger

/// Every event of a known kind is exactly what that kind's typed value writes
/// (`EventValue`): read as the value and drafted again, it has the same fields, no more and
/// no fewer, each of its type. With `body.canonical` this is the event's bytes.
///
/// The signature covers whatever the bytes say, so an event written by another encoder
/// (an extra field, a field missing, a number where a string belongs) can still verify;
/// but the projections, the audit and the reports read an event through its value, and
/// would each see such an event differently or not at all. A kind the audit's catalog
/// (`AuditedEvent.typedValue`) does not know is left to `chain`, which refuses a kind no
/// key may sign, and postings that do not read or balance to `books.balanced`.
public struct EventFormatCheck: AuditCheck {
    public let name = "events.format"

    public init() {}

    public mutating func inspect(_ audited: AuditedEvent, into findings: inout [Finding]) {
        let event = audited.event
        // Postings that do not read or balance are `books.balanced`'s to report; a value
        // refuses to draft them, and that would say the same thing twice.
        guard let postings = try? audited.postings.get(), (try? postings.checkBalanced()) != nil || postings.isEmpty else { return }
        do {
            guard let value = try audited.typedValue.get(), !(try EventValueCatalog.drafts(value, as: event)) else { return }
            findings.append(Finding(.error, check: name, seqs: [event.seq], """
                the \(event.kind) event's data is not what a \(event.kind) event writes: it reads as one, but written again its \
                fields differ (a field added, or one of another form)
                """))
        } catch {
            findings.append(Finding(.error, check: name, seqs: [event.seq], "the \(event.kind) event does not read as one: \(error)"))
        }
    }

    public mutating func finish(_ context: AuditContext, into findings: inout [Finding]) throws {}
}
