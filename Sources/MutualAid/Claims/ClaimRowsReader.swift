import Ledger

/// The rows of a CSV file that names one claim per row in a `claim` column (a decisions
/// file, the bank's return file): each row's claim id, read and checked the same way, no
/// claim named twice, and any error placed at its row and file.
struct ClaimRowsReader {
    let path: String
    private let reader: CSVReader

    /// - Parameter columns: the optional columns, for the message when `claim` is missing.
    init(path: String, columns: String) throws {
        reader = try CSVReader(path: path)
        self.path = path
        guard let header = reader.header, header.index(of: "claim") != nil else {
            throw LedgerInputError(field: "file", value: path, reason: "the header needs a claim column (and optionally \(columns))")
        }
    }

    /// Calls `body` with each row and the claim it names, in file order.
    func forEach(_ body: (CSVRow, Int64) throws -> Void) throws {
        var rows: [Int64: Int] = [:]
        while let row = try reader.next() {
            do {
                let text = try row.value("claim").trimmingSpaces()
                guard let claim = Int64(text), claim > 0 else {
                    throw LedgerInputError(field: "claim", value: text, reason: "a claim id is the seq `huzhu claim list` shows")
                }
                if let earlier = rows[claim] {
                    throw LedgerInputError(field: "claim", value: text, reason: "row \(earlier) already names this claim")
                }
                rows[claim] = row.row
                try body(row, claim)
            } catch let error as LedgerInputError {
                throw error.at(row: row.row).inFile(path)
            }
        }
    }
}

extension CSVRow {
    /// The trimmed text of `column`, nil when the file lacks it or leaves it empty.
    func optionalText(_ column: String) -> String? {
        guard let text = self[column]?.trimmingSpaces(), !text.isEmpty else { return nil }
        return text
    }
}
