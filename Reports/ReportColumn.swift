/// A column of a report table: a stable ASCII key for JSON and scripts, and the heading
/// the union form prints.
public struct ReportColumn: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case text
        /// Yuan, right-aligned; JSON carries `<key>Fen` beside the yuan text.
        case money
        case count
    }

    public let key: String
    public let title: String
    public let kind: Kind

    public init(_ key: String, _ title: String, _ kind: Kind = .text) {
        self.key = key
        self.title = title
        self.kind = kind
    }

    /// Whether the column's values line up on the right (amounts and counts).
    public var isNumeric: Bool { kind != .text }
}
