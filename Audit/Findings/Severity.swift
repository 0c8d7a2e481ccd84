/// How much a finding matters. Any `error` makes `huzhu audit` exit 1.
public enum Severity: String, Sendable, Hashable, CaseIterable, Comparable {
    /// The books or the log break a rule: an auditor must act.
    case error
    /// Allowed, but unusual enough that an auditor should look (a month closed out of order).
    case warning
    /// Context for the report (a check skipped in an incremental audit).
    case info

    private var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
