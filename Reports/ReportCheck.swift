import Ledger

/// A figure that must equal another for the report to be right: a tie-out (试算平衡) or an
/// accounting identity (资产 = 负债 + 净资产).
///
/// Reports compute their checks and carry them, so every format shows the clerk both
/// sides and the difference, and the CLI exits non-zero when one fails, after writing the
/// report so the difference can be seen.
public struct ReportCheck: Sendable, Hashable {
    public let label: String
    public let leftLabel: String
    public let left: Money
    public let rightLabel: String
    public let right: Money

    public init(_ label: String, _ leftLabel: String, _ left: Money, _ rightLabel: String, _ right: Money) {
        self.label = label
        self.leftLabel = leftLabel
        self.left = left
        self.rightLabel = rightLabel
        self.right = right
    }

    public var holds: Bool { left == right }

    /// left - right; zero when the check holds. Saturates rather than trapping, since a
    /// broken ledger is exactly when this is read.
    public var difference: Money {
        Money(fen: left.fen.subtractingReportingOverflow(right.fen).partialValue)
    }

    public var resultLabel: String { holds ? "平衡 ✓" : "不平衡 ✗" }
}
