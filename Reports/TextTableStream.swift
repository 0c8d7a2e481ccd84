/// A text table printed as its rows arrive, for lists of any length (a city's claims):
/// the first `sizingRows` rows set the column widths and are held until then; every row
/// after is written at once, a cell wider than its column widening only its own line.
/// A list shorter than that prints exactly as `TextTable.render` would.
public struct TextTableStream {
    public static let sizingRows = 1_000

    private var table: TextTable
    private var widths: [Int]?
    private let write: (String) -> Void

    /// - Parameter write: takes each line, without its line feed (default: `print`).
    public init(headers: [String], alignments: [TextTable.Alignment]? = nil, write: @escaping (String) -> Void = { print($0) }) {
        table = TextTable(headers: headers, alignments: alignments)
        self.write = write
    }

    public mutating func add(_ row: [String]) {
        if let widths {
            write(table.line(row, widths: widths, separator: "  ", padLastColumn: false))
            return
        }
        table.add(row)
        if table.rows.count == Self.sizingRows { flush() }
    }

    /// Writes what is still held: the whole table when it had fewer than `sizingRows` rows.
    public mutating func finish() {
        if widths == nil { flush() }
    }

    private mutating func flush() {
        let sized = table.columnWidths()
        for line in table.header(widths: sized, separator: "  ", padLastColumn: false) { write(line) }
        for row in table.rows { write(table.line(row, widths: sized, separator: "  ", padLastColumn: false)) }
        widths = sized
        table = TextTable(headers: table.headers, alignments: table.alignments)
    }
}
