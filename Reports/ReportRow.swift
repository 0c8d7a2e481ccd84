/// A row of a report table, with how it stands in the table's structure.
public struct ReportRow: Sendable, Hashable {
    public enum Role: Sendable, Hashable {
        /// An account or item.
        case line
        /// A subtotal of the lines above it (资产合计).
        case subtotal
        /// The table's grand total (合计).
        case total
        /// A heading inside the table (一、资产).
        case heading
    }

    public let cells: [ReportCell]
    public let role: Role
    /// Depth in the chart, from 1 for a first-level account; renderers indent by it.
    public let level: Int

    public init(_ cells: [ReportCell], role: Role = .line, level: Int = 1) {
        self.cells = cells
        self.role = role
        self.level = level
    }
}
