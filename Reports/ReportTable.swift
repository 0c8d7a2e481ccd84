/// A titled table of a report: what every renderer draws, one way or another.
public struct ReportTable: Sendable, Hashable {
    /// A stable ASCII name for JSON (`accounts`, `tieOut`).
    public let key: String
    public let title: String
    public let columns: [ReportColumn]
    public private(set) var rows: [ReportRow] = []
    /// The column whose text is indented by a row's level (an account name), if any.
    public let indentedColumn: Int?

    /// The most rows one table holds. A chart of accounts has a few hundred accounts; a
    /// claims register for a month a few thousand. Past this a report is not read but
    /// searched, and the export is the tool for that.
    public static let rowCountMax = 100_000

    public init(key: String, title: String, columns: [ReportColumn], indentedColumn: Int? = nil) {
        self.key = key
        self.title = title
        self.columns = columns
        self.indentedColumn = indentedColumn
    }

    /// Adds a row; its cells must match the columns, one for one.
    public mutating func add(_ row: ReportRow) {
        precondition(row.cells.count == columns.count, "table \(key): a row needs \(columns.count) cells, got \(row.cells.count)")
        precondition(rows.count < ReportTable.rowCountMax, "table \(key): more than \(ReportTable.rowCountMax) rows")
        rows.append(row)
    }

    public mutating func add(_ cells: [ReportCell], role: ReportRow.Role = .line, level: Int = 1) {
        add(ReportRow(cells, role: role, level: level))
    }
}
