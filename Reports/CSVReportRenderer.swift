import Ledger

/// Writes a report as CSV for a spreadsheet: the heading, then each table as a titled
/// section (title row, header row, data rows, blank row), then the checkpoint and the
/// sign-off row. Amounts are yuan with two decimals and thousands separators, quoted.
public enum CSVReportRenderer {
    public static func render(_ document: ReportDocument) -> String {
        var rows: [[String]] = [
            [document.heading],
            ["编制单位", document.provenance.ledgerName],
            ["期间", document.period.chineseLabel, document.period.startDate.text, document.period.endDate.text],
            ["单位", "元"],
            ["编制日期", document.preparedOn.text],
            [],
        ]
        var tables = document.content.tables
        if let checks = document.checksTable { tables.append(checks) }
        for table in tables {
            rows.append([table.title])
            rows.append(table.columns.map(\.title))
            rows.append(contentsOf: table.rows.map { $0.cells.map(\.display) })
            rows.append([])
        }
        for note in document.content.notes { rows.append(["说明", note]) }
        for line in document.provenance.lines { rows.append(["依据", line]) }
        rows.append([])
        rows.append(SignOff.roles.flatMap { [$0 + "：", ""] })
        // Each field as every CSV Huzhu writes it: quoted by RFC 4180, formulas neutralised.
        return rows.map { $0.map(CSVWriter.escape).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}
