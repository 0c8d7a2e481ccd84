import Foundation
import Ledger
import Testing
@testable import Reports

@Suite("Report renderers: text, CSV, JSON, HTML")
struct RendererTests {
    /// The lines of each table block of a text report: from the header to the last row.
    static func tableBlocks(_ text: String) -> [[String]] {
        var blocks: [[String]] = []
        var current: [String]?
        for line in text.components(separatedBy: "\n") {
            if line.hasPrefix("【") { current = []; continue }
            if line.isEmpty {
                if let block = current, !block.isEmpty { blocks.append(block) }
                current = nil
                continue
            }
            current?.append(line)
        }
        return blocks
    }

    @Test("text tables align Chinese names: every line of a table has the same display width")
    func textAlignment() throws {
        let books = try ReportTestBooks()
        for report in [TrialBalanceReport() as any Report, BalanceSheetReport(), IncomeExpenditureReport()] {
            let text = TextReportRenderer.render(try books.document(report))
            let blocks = RendererTests.tableBlocks(text)
            #expect(blocks.count >= 2)
            for block in blocks {
                let widths = Set(block.map(TextTable.displayWidth))
                #expect(widths.count == 1, "\(block.joined(separator: "\n"))")
                // The rule under the header shows where each column starts and ends.
                #expect(block[1].allSatisfy { $0 == "-" || $0 == " " })
            }
            #expect(text.contains("工会主席：") && text.contains("财务负责人：") && text.contains("复核：") && text.contains("制表："))
            #expect(text.contains("依据检查点"))
        }
    }

    @Test("amounts print as yuan with two decimals, never rounded")
    func amounts() throws {
        let books = try ReportTestBooks()
        let text = TextReportRenderer.render(try books.document(TrialBalanceReport()))
        #expect(text.contains("13,145.62"))
        #expect(text.contains("0.05"))
        #expect(text.contains("  互助金专户"))   // indented one level under 银行存款
        #expect(text.contains("平衡 ✓"))
    }

    @Test("CSV quotes amounts with thousands separators and keeps one row per line")
    func csv() throws {
        let books = try ReportTestBooks()
        let csv = CSVReportRenderer.render(try books.document(TrialBalanceReport()))
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines.contains("科目编码,科目名称,方向,期初余额,本期借方,本期贷方,方向,期末余额"))
        #expect(lines.contains("10201,互助金专户,借,\"3,800.00\",\"12,445.66\",\"3,100.04\",借,\"13,145.62\""))
        #expect(lines.contains("工会主席：,,财务负责人：,,复核：,,制表：,"))
        #expect(CSVWriter.escape("a\"b") == "\"a\"\"b\"")
        // A spreadsheet formula is neutralised; a negative amount stays a number.
        #expect(CSVWriter.escape("=1+2+cmd|A0") == "'=1+2+cmd|A0")
        #expect(["+1", "@SUM(A1)", "-cmd", "\tx"].allSatisfy { CSVWriter.escape($0).hasPrefix("'") || CSVWriter.escape($0).hasPrefix("\"'") })
        #expect(CSVWriter.escape("-1,234.00") == "\"-1,234.00\"" && CSVWriter.escape("-12.00") == "-12.00")
    }

    @Test("JSON carries yuan text and integer fen, the checks and the checkpoint")
    func json() throws {
        let books = try ReportTestBooks()
        let text = try JSONReportRenderer.render(try books.document(BalanceSheetReport()))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["report"] as? String == "balance-sheet")
        #expect(object["balanced"] as? Bool == true)
        let tables = try #require(object["tables"] as? [[String: Any]])
        let rows = try #require(tables[0]["rows"] as? [[String: Any]])
        let total = try #require(rows.last)
        #expect(total["closingFen"] as? Int == 1_374_562)
        #expect(total["closing"] as? String == "13,745.62")
        let provenance = try #require(object["provenance"] as? [String: Any])
        #expect(provenance["eventsSinceCheckpoint"] as? Int == 1)
        #expect((object["signOff"] as? [String]) == ["工会主席", "财务负责人", "复核", "制表"])
    }

    @Test("HTML is one self-contained page with inline CSS, SVG charts and print styles")
    func html() throws {
        let books = try ReportTestBooks()
        let html = HTMLReportRenderer.render(try books.document(IncomeExpenditureReport()))
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<style>") && html.contains("@media print"))
        #expect(html.components(separatedBy: "<svg ").count - 1 == 2)
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("src="))
        // The only URL is the SVG namespace, which is a name, not a fetch.
        #expect(html.components(separatedBy: "http").count - 1 == html.components(separatedBy: "http://www.w3.org/2000/svg").count - 1)
        #expect(html.contains("50203 重大疾病互助金: 3,000.00"))
        #expect(html.contains("工会主席") && html.contains("制表"))
    }

    @Test("text from the ledger is escaped in HTML and SVG")
    func escaping() {
        #expect(HTMLText.escape("<b>\"A&B\"</b>") == "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;")
        let chart = ReportChart(key: "x", title: "<t>", style: .horizontalBars, bars: [.init("<a>", Money(fen: -150))])
        let svg = SVGChartRenderer.render(chart, id: "c")
        #expect(svg.contains("&lt;a&gt;") && !svg.contains("<a>"))
        #expect(svg.contains("-1.50"))
        #expect(SVGChartRenderer.format(12.34) == "12.3" && SVGChartRenderer.format(-0.5) == "-0.5" && SVGChartRenderer.format(3) == "3")
    }
}
