import Ledger

/// Every event's stored bytes are its canonical form: encoding the decoded event again
/// gives the same bytes.
///
/// The hash and signature cover the bytes as stored, so a non-canonical body can still
/// verify; but two JSON readers may disagree about what such bytes say (duplicate keys,
/// spacing, escapes), and an independent verifier that re-encodes would compute another
/// hash. Only Huzhu's encoder writes bodies, so a finding means someone else did.
public struct CanonicalBodyCheck: AuditCheck {
    public let name = "body.canonical"
    public init() {}

    public mutating func inspect(_ audited: AuditedEvent, into findings: inout [Finding]) {
        let event = audited.event
        guard !event.isCanonical else { return }  // the parser found nothing to doubt (see RecordedEvent.isCanonical)
        let canonical = try? RecordedEvent.canonicalBody(ledgerID: event.ledgerID, seq: event.seq, prev: event.prev, kind: event.kind,
                                                         time: event.time, actor: event.actor, data: event.data)
        guard let canonical else {
            findings.append(Finding(.error, check: name, seqs: [event.seq], "the body holds a value canonical JSON cannot write"))
            return
        }
        if canonical != event.body {
            let offset = zip(canonical, event.body).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(canonical.count, event.body.count)
            findings.append(Finding(.error, check: name, seqs: [event.seq], """
                the stored body is not in canonical form (it differs from its re-encoding at byte \(offset); \
                \(event.body.count) bytes stored, \(canonical.count) canonical)
                """))
        }
    }

    public mutating func finish(_ context: AuditContext, into findings: inout [Finding]) throws {}
}
