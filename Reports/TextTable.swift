/// A table for a terminal, with columns aligned by display width: a Chinese character
/// takes two columns, as terminals draw it (Unicode East Asian Width W and F).
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public let headers: [String]
    public let alignments: [Alignment]
    public private(set) var rows: [[String]] = []

    public init(headers: [String], alignments: [Alignment]? = nil) {
        self.headers = headers
        self.alignments = alignments ?? Array(repeating: .left, count: headers.count)
    }

    public mutating func add(_ row: [String]) {
        precondition(row.count == headers.count, "a row needs \(headers.count) cells")
        rows.append(row)
    }

    /// The table as lines: headers, a rule, then the rows.
    ///
    /// - Parameter padLastColumn: also pad a left-aligned last column, so every line has
    ///   the same display width (what reports promise); lists leave no trailing spaces.
    public func render(separator: String = "  ", padLastColumn: Bool = false) -> String {
        let widths = columnWidths()
        var output = header(widths: widths, separator: separator, padLastColumn: padLastColumn)
        output.append(contentsOf: rows.map { line($0, widths: widths, separator: separator, padLastColumn: padLastColumn) })
        return output.joined(separator: "\n")
    }

    /// The width of each column: its widest cell, header included.
    func columnWidths() -> [Int] {
        var widths = headers.map(TextTable.displayWidth)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], TextTable.displayWidth(cell)) }
        }
        return widths
    }

    /// The header line and the rule under it.
    func header(widths: [Int], separator: String, padLastColumn: Bool) -> [String] {
        [line(headers, widths: widths, separator: separator, padLastColumn: padLastColumn),
         widths.map { String(repeating: "-", count: $0) }.joined(separator: separator)]
    }

    /// One row laid out in `widths`; a cell wider than its column pushes the rest of its line.
    func line(_ cells: [String], widths: [Int], separator: String, padLastColumn: Bool) -> String {
        var parts: [String] = []
        for (index, cell) in cells.enumerated() {
            let padding = String(repeating: " ", count: max(0, widths[index] - TextTable.displayWidth(cell)))
            let isLast = index == cells.count - 1
            switch alignments[index] {
            case .left: parts.append(isLast && !padLastColumn ? cell : cell + padding)
            case .right: parts.append(padding + cell)
            }
        }
        return parts.joined(separator: separator)
    }

    /// Columns `text` takes in a terminal.
    public static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + width(of: $1) }
    }

    static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value == 0 || (0x300...0x36F).contains(value) || (0x200B...0x200F).contains(value) { return 0 }
        // East Asian Wide and Fullwidth ranges.
        if (0x1100...0x115F).contains(value) || (0x2E80...0x303E).contains(value) || (0x3041...0x33FF).contains(value)
            || (0x3400...0x4DBF).contains(value) || (0x4E00...0x9FFF).contains(value) || (0xA000...0xA4CF).contains(value)
            || (0xAC00...0xD7A3).contains(value) || (0xF900...0xFAFF).contains(value) || (0xFE30...0xFE4F).contains(value)
            || (0xFF00...0xFF60).contains(value) || (0xFFE0...0xFFE6).contains(value) || (0x20000...0x3FFFD).contains(value)
            || (0x1F300...0x1F64F).contains(value) {
            return 2
        }
        return 1
    }
}
