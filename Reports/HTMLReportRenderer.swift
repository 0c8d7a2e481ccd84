import Ledger

/// Writes a report as one self-contained HTML page: inline CSS, inline SVG charts, no
/// scripts and nothing fetched, so it can be mailed, archived and opened offline. Printed,
/// it keeps table headers on each page, does not split a chart or a row, and ends with
/// the sign-off lines.
public enum HTMLReportRenderer {
    public static func render(_ document: ReportDocument) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="huzhu">
            <title>\(HTMLText.escape(document.heading)) · \(HTMLText.escape(document.provenance.ledgerName))</title>
            <style>\(stylesheet)</style>
            </head>
            <body>
            <main class="report" data-report="\(HTMLText.escape(document.kind))">
            <header>
            <h1>\(HTMLText.escape(document.title))</h1>
            <p class="period">\(HTMLText.escape(document.period.chineseLabel))（\(document.period.startDate.text) 至 \(document.period.endDate.text)）</p>
            <p class="meta"><span>编制单位：\(HTMLText.escape(document.provenance.ledgerName))</span><span>\(ReportDocument.unitLabel)</span><span>编制日期：\(document.preparedOn.text)</span></p>
            </header>

            """
        for table in document.content.tables { html += render(table) }
        if let checks = document.checksTable {
            html += render(checks, rowClass: { index in document.content.checks[index].holds ? "ok" : "failed" })
        }
        if !document.content.charts.isEmpty {
            html += "<section class=\"charts\">\n"
            for (index, chart) in document.content.charts.enumerated() {
                html += "<figure><figcaption>\(HTMLText.escape(chart.title))</figcaption>\n"
                html += SVGChartRenderer.render(chart, id: "chart-\(index + 1)")
                html += "\n</figure>\n"
            }
            html += "</section>\n"
        }
        if !document.content.notes.isEmpty {
            html += "<section class=\"notes\">" + document.content.notes.map { "<p>说明：\(HTMLText.escape($0))</p>" }.joined() + "</section>\n"
        }
        html += "<section class=\"provenance\"><h2>数据依据</h2>"
        html += document.provenance.lines.map { "<p>\(HTMLText.escape($0))</p>" }.joined()
        html += "</section>\n<footer class=\"signoff\">"
        html += SignOff.roles.map { "<div class=\"sign\"><span class=\"role\">\(HTMLText.escape($0))：</span><span class=\"blank\"></span></div>" }.joined()
        html += "</footer>\n</main>\n</body>\n</html>\n"
        return html
    }

    static func render(_ table: ReportTable, rowClass: ((Int) -> String)? = nil) -> String {
        var html = "<section class=\"table\" data-table=\"\(HTMLText.escape(table.key))\">\n<h2>\(HTMLText.escape(table.title))</h2>\n<table>\n<thead><tr>"
        for column in table.columns {
            html += "<th scope=\"col\"\(column.isNumeric ? " class=\"num\"" : "")>\(HTMLText.escape(column.title))</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for (index, row) in table.rows.enumerated() {
            var classes = [roleClass(row.role), "level-\(row.level)"]
            if let extra = rowClass?(index) { classes.append(extra) }
            html += "<tr class=\"\(classes.joined(separator: " "))\">"
            for (columnIndex, (column, cell)) in zip(table.columns, row.cells).enumerated() {
                var cellClasses: [String] = []
                if column.isNumeric { cellClasses.append("num") }
                if columnIndex == table.indentedColumn { cellClasses.append("name") }
                let attribute = cellClasses.isEmpty ? "" : " class=\"\(cellClasses.joined(separator: " "))\""
                html += "<td\(attribute)>\(HTMLText.escape(cell.display))</td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table>\n</section>\n"
    }

    static func roleClass(_ role: ReportRow.Role) -> String {
        switch role {
        case .line: return "line"
        case .subtotal: return "subtotal"
        case .total: return "total"
        case .heading: return "heading"
        }
    }

    /// Screen and print styles. CJK fonts first so Chinese renders in a real face; numbers
    /// in tabular figures so amounts line up by the decimal point.
    static let stylesheet = """

        :root { color: #111; background: #fff; }
        body { margin: 0; font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; font-size: 14px; }
        main.report { max-width: 1000px; margin: 0 auto; padding: 24px; }
        header { text-align: center; margin-bottom: 16px; }
        h1 { font-size: 22px; letter-spacing: 0.3em; margin: 0 0 4px; }
        h2 { font-size: 15px; margin: 20px 0 6px; }
        .period { margin: 0; }
        .meta { display: flex; justify-content: space-between; flex-wrap: wrap; gap: 12px; margin: 8px 0 0; font-size: 13px; }
        table { width: 100%; border-collapse: collapse; }
        th, td { border: 1px solid #888; padding: 3px 6px; }
        th { background: #eee; font-weight: 600; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tr.level-2 td.name { padding-left: 1.5em; }
        tr.level-3 td.name { padding-left: 3em; }
        tr.level-4 td.name { padding-left: 4.5em; }
        tr.level-5 td.name { padding-left: 6em; }
        tr.heading td { font-weight: 600; background: #f6f6f6; }
        tr.subtotal td { font-weight: 600; }
        tr.total td { font-weight: 700; border-top: 2px solid #111; }
        tr.ok td:nth-child(2) { color: #1a7f37; font-weight: 600; }
        tr.failed td { color: #b00020; font-weight: 700; }
        .charts { display: flex; flex-wrap: wrap; gap: 16px; }
        figure { margin: 12px 0; }
        figcaption { font-weight: 600; margin-bottom: 4px; }
        svg.chart { max-width: 100%; height: auto; }
        .notes, .provenance { font-size: 12px; color: #333; }
        .provenance p { word-break: break-all; }
        footer.signoff { display: flex; justify-content: space-between; gap: 16px; margin-top: 36px; }
        .sign { display: flex; align-items: flex-end; flex: 1; }
        .sign .blank { flex: 1; border-bottom: 1px solid #111; min-width: 80px; height: 1.4em; margin-left: 4px; }
        @page { size: A4; margin: 14mm; }
        @media print {
          body { font-size: 10pt; }
          main.report { max-width: none; padding: 0; }
          th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          svg.chart rect { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          thead { display: table-header-group; }
          tr, figure, footer.signoff, section.provenance { break-inside: avoid; page-break-inside: avoid; }
          .charts { display: block; }
        }

        """
}
