import Testing
@testable import Reports

@Suite("TextTableStream: lists printed as their rows arrive")
struct TextTableStreamTests {
    func streamed(_ rows: [[String]]) -> [String] {
        var lines: [String] = []
        var stream = TextTableStream(headers: ["claim", "名称"], alignments: [.right, .left]) { lines.append($0) }
        for row in rows { stream.add(row) }
        stream.finish()
        return lines
    }

    @Test("a list shorter than the sizing rows prints exactly as TextTable renders it, wide characters included")
    func shortList() {
        let rows = [["1", "市机械厂工会"], ["12345", "x"]]
        var table = TextTable(headers: ["claim", "名称"], alignments: [.right, .left])
        for row in rows { table.add(row) }
        #expect(streamed(rows).joined(separator: "\n") == table.render())
        #expect(streamed([]).joined(separator: "\n") == TextTable(headers: ["claim", "名称"], alignments: [.right, .left]).render())
    }

    @Test("a long list is laid out by its first rows; a wider cell later widens only its own line, and every row is printed once")
    func longList() {
        let count = TextTableStream.sizingRows + 500
        var rows = (0..<count).map { ["\($0 % 100)", "u\($0)"] }
        rows[count - 1] = ["1234567", "last"]
        let lines = streamed(rows)
        #expect(lines.count == 2 + count)
        #expect(lines[0] == "claim  名称" && lines[1] == "-----  ----")
        #expect(lines[2] == "    0  u0")
        #expect(lines[2 + TextTableStream.sizingRows] == "    0  u1000", "after the sizing rows, the same widths")
        #expect(lines.last == "1234567  last")
    }
}
