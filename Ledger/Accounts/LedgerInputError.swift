/// Bad input caught at the edge: names the field, the value and the reason.
///
/// `row` is set when the input came from a file of many records (a CSV or JSON batch),
/// so a clerk can find the line to fix.
public struct LedgerInputError: Error, Equatable, CustomStringConvertible {
    /// The file the row is in, when the input came from one.
    public var file: String?
    public var row: Int?
    public let field: String
    public let value: String
    public let reason: String

    public init(row: Int? = nil, field: String, value: String, reason: String) {
        self.row = row
        self.field = field
        self.value = value
        self.reason = reason
    }

    public var description: String {
        let shownValue = value.count > 80 ? String(value.prefix(77)) + "..." : value
        let place = (file.map { "\($0): " } ?? "") + (row.map { "row \($0), " } ?? "")
        return "\(place)\(field) \"\(shownValue)\": \(reason)"
    }

    /// The same error, located at a row of a batch file.
    public func at(row: Int) -> LedgerInputError {
        var copy = self
        copy.row = row
        return copy
    }

    /// The same error, located in the file at `path` (named by its last component).
    public func inFile(_ path: String) -> LedgerInputError {
        var copy = self
        copy.file = Self.fileName(path)
        return copy
    }

    /// How an error names the file at `path`: its last component, as the user most likely typed it.
    public static func fileName(_ path: String) -> String {
        String(path.split(separator: "/").last ?? Substring(path))
    }
}
