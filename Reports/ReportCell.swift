import Ledger

/// One value in a report table. Money stays money until a renderer writes it, so every
/// format prints the same exact yuan (`Money.formatted()`), and JSON can also carry fen.
public enum ReportCell: Sendable, Hashable {
    case text(String)
    case money(Money)
    case count(Int64)
    /// Nothing to show (a total row has no account code).
    case empty

    /// The cell as text and CSV print it: money in yuan with two decimals and thousands
    /// separators, never rounded.
    public var display: String {
        switch self {
        case let .text(value): return value
        case let .money(value): return value.formatted()
        case let .count(value): return "\(value)"
        case .empty: return ""
        }
    }
}
