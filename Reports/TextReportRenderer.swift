/// Writes a report for a terminal: the form's heading, each table aligned by display
/// width (a Chinese character takes two columns), the tie-out, the checkpoint, and the
/// sign-off line. Charts are left out; their figures are in the tables.
public enum TextReportRenderer {
    /// The blank a signature goes on.
    static let signatureBlank = String(repeating: "_", count: 12)

    public static func render(_ document: ReportDocument) -> String {
        var lines: [String] = [document.heading, document.subheading, ""]
        var tables = document.content.tables
        if let checks = document.checksTable { tables.append(checks) }
        for table in tables {
            lines.append("【\(table.title)】")
            lines.append(textTable(table).render(padLastColumn: true))
            lines.append("")
        }
        for note in document.content.notes { lines.append("说明：" + note) }
        lines.append(contentsOf: document.provenance.lines)
        lines.append("")
        lines.append(SignOff.roles.map { "\($0)：\(signatureBlank)" }.joined(separator: "    "))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The table as `TextTable` lays it out, names indented two columns per chart level.
    public static func textTable(_ table: ReportTable) -> TextTable {
        var text = TextTable(headers: table.columns.map(\.title), alignments: table.columns.map { $0.isNumeric ? .right : .left })
        for row in table.rows {
            var cells = row.cells.map(\.display)
            if let column = table.indentedColumn, row.level > 1 {
                cells[column] = String(repeating: "  ", count: row.level - 1) + cells[column]
            }
            text.add(cells)
        }
        return text
    }
}
