import Ledger

/// One thing the audit found: how much it matters, which check found it, the events it
/// concerns (by seq) and an explanation a union's audit committee can read.
///
/// `seqs` are the events to look at, most relevant first; empty when the finding is about
/// the books as a whole (a trial balance that does not add up).
public struct Finding: Sendable, Hashable, CustomStringConvertible {
    public let severity: Severity
    public let check: String
    public let seqs: [Int64]
    public let explanation: String

    public init(_ severity: Severity, check: String, seqs: [Int64] = [], _ explanation: String) {
        self.severity = severity
        self.check = check
        self.seqs = seqs
        self.explanation = explanation
    }

    /// The event the finding puts at fault: the latest it names. Any earlier seqs are what
    /// that event contradicts (the claim an approval names, the original a reversal
    /// reverses), which were right until it came. Nil for a finding about the whole.
    public var faultSeq: Int64? { seqs.max() }

    public var description: String {
        let at = seqs.isEmpty ? "" : " seq " + seqs.map(String.init).joined(separator: ",")
        let rule = Rulebook.section(of: check).map { " (\($0))" } ?? ""
        return "\(severity.rawValue.uppercased()) \(check)\(at): \(explanation)\(rule)"
    }

    /// The doc section whose rule the finding breaks (`Rulebook`).
    public var rule: String? { Rulebook.section(of: check) }

    public var json: JSONValue {
        ["severity": .string(severity.rawValue), "check": .string(check), "seqs": .array(seqs.map { .integer($0) }),
         "explanation": .string(explanation), "rule": rule.map { .string($0) } ?? .null]
    }
}
