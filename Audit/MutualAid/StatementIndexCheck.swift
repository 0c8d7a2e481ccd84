import Ledger
import MutualAid

/// Each `statements.indexed` event records the root the log gives (FORMAT §10, "The
/// statement index"): the pass keeps the index as it streams, and at each such event
/// compares the root, the number of subjects and `through` with what the events before it
/// give. A root that does not match would let a statement hide a member's event and still
/// "prove" itself complete.
public struct StatementIndexCheck: AuditCheck {
    public let name = "statements.index"
    var index = StatementIndex()
    /// False in an incremental audit, which has not read the events before it.
    var complete = true

    public init() {}

    public mutating func begin(_ context: AuditContext, into findings: inout [Finding]) throws {
        complete = !context.isIncremental
    }

    public mutating func inspect(_ audited: AuditedEvent, into findings: inout [Finding]) {
        let event = audited.event
        guard complete else { return }
        if event.kind == MutualAidKinds.statementsIndexed {
            guard let root = try? index.root() else { return }
            guard let recorded = try? StatementsIndexedEvent(event: event) else { return }  // reported by events.format
            var wrong: [String] = []
            if recorded.root != root { wrong.append("root \(recorded.root.hex.prefix(16))… (the events give \(root.hex.prefix(16))…)") }
            if recorded.subjects != Int64(index.entries.count) {
                wrong.append("\(recorded.subjects) subjects (the events give \(index.entries.count))")
            }
            if recorded.through != event.seq - 1 { wrong.append("through \(recorded.through) (it must be \(event.seq - 1))") }
            if !wrong.isEmpty {
                findings.append(Finding(.error, check: name, seqs: [event.seq], """
                    the statement index records \(wrong.joined(separator: ", ")); statements resting on it would not show every member's events
                    """))
            }
        }
        index.add(event)
    }

    public mutating func finish(_ context: AuditContext, into findings: inout [Finding]) throws {}
}
