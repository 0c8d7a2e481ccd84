import Foundation

/// Reads journal entries from a batch file, one at a time, so a file of a million
/// entries never sits in memory.
///
/// Formats, chosen by extension:
/// - `.csv`: one posting per row, columns `ref,date,memo,account,debit,credit`
///   (UTF-8 or GB18030); consecutive rows with the same `ref` form one entry, and `ref`
///   is the entry's idempotency key. Exactly one of `debit` and `credit` holds an amount.
/// - `.jsonl`: one entry per line,
///   `{"ref":"V-0001","date":"2026-10-08","memo":"…","postings":[{"account":"10201","side":"debit","amount":"60.00"},…]}`.
///
/// Errors name the row (CSV) or line (JSON Lines), the field and the reason.
public final class EntryFileReader {
    public let path: String
    private let source: Source

    private enum Source {
        case csv(CSVReader, Columns)
        case jsonLines(LineReader)
    }

    private struct Columns {
        let ref: Int, date: Int, memo: Int?, account: Int, debit: Int, credit: Int
    }

    /// A CSV row read ahead that belongs to the next entry.
    private var pending: CSVRow?

    /// The longest line accepted in a JSON Lines file.
    public static let lineLengthMax = 1 << 20

    public init(path: String) throws {
        self.path = path
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") {
            let reader = try CSVReader(path: path)
            guard let header = reader.header else {
                throw LedgerInputError(field: "file", value: path, reason: "the CSV file has no header row")
            }
            func column(_ name: String) throws -> Int {
                guard let index = header.index(of: name) else {
                    throw LedgerInputError(field: "file", value: path,
                                           reason: "the CSV header lacks the column \"\(name)\" (expected ref,date,memo,account,debit,credit)")
                }
                return index
            }
            source = .csv(reader, Columns(ref: try column("ref"), date: try column("date"), memo: header.index(of: "memo"),
                                          account: try column("account"), debit: try column("debit"), credit: try column("credit")))
        } else if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") {
            source = .jsonLines(try LineReader(path: path, lineLengthMax: EntryFileReader.lineLengthMax))
        } else {
            throw LedgerInputError(field: "file", value: path, reason: "use a .csv or .jsonl file")
        }
    }

    /// The next entry and the row (CSV: first row of the entry; JSON Lines: line) it came from, or nil at the end.
    public func next() throws -> (row: Int, entry: JournalEntry)? {
        do { return try nextEntry() } catch let error as LedgerInputError { throw error.inFile(path) }
    }

    private func nextEntry() throws -> (row: Int, entry: JournalEntry)? {
        switch source {
        case let .csv(reader, columns): return try nextCSVEntry(reader, columns)
        case let .jsonLines(reader): return try nextJSONEntry(reader)
        }
    }

    private func nextCSVEntry(_ reader: CSVReader, _ columns: Columns) throws -> (row: Int, entry: JournalEntry)? {
        guard let first = try pending ?? reader.next() else { return nil }
        pending = nil
        let ref = first[columns.ref].trimmingSpaces()
        var rows = [first]
        while let row = try reader.next() {
            if row[columns.ref].trimmingSpaces() == ref { rows.append(row) } else { pending = row; break }
        }
        do {
            guard !ref.isEmpty else { throw LedgerInputError(field: "ref", value: "", reason: "every row needs a ref (the entry's idempotency key)") }
            let dateText = first[columns.date]
            let date = try LedgerDate(dateText.trimmingSpaces())
            var postings: [Posting] = []
            for row in rows {
                do {
                    if row[columns.date].trimmingSpaces() != dateText.trimmingSpaces() {
                        throw LedgerInputError(field: "date", value: row[columns.date], reason: "rows of one entry (ref \(ref)) must share a date")
                    }
                    postings.append(try Self.posting(account: row[columns.account], debit: row[columns.debit], credit: row[columns.credit]))
                } catch let error as LedgerInputError {
                    throw error.at(row: row.row)
                }
            }
            let memo = columns.memo.map { first[$0] } ?? ""
            return (first.row, try JournalEntry(date: date, memo: memo, postings: postings, idempotencyKey: ref))
        } catch let error as LedgerInputError {
            throw error.row == nil ? error.at(row: first.row) : error
        }
    }

    static func posting(account: String, debit: String, credit: String) throws(LedgerInputError) -> Posting {
        let code = try AccountCode(account.trimmingSpaces())
        let debitText = debit.trimmingSpaces()
        let creditText = credit.trimmingSpaces()
        guard debitText.isEmpty != creditText.isEmpty else {
            throw LedgerInputError(field: "debit/credit", value: "\(debitText)/\(creditText)", reason: "exactly one of debit and credit must hold an amount")
        }
        do {
            if !debitText.isEmpty { return try .debit(code, Money(parsingPositive: debitText)) }
            return try .credit(code, Money(parsingPositive: creditText))
        } catch let error as MoneyError {
            throw LedgerInputError(field: debitText.isEmpty ? "credit" : "debit", value: debitText.isEmpty ? creditText : debitText,
                                   reason: error.description)
        } catch let error as LedgerInputError {
            throw error
        } catch {
            throw LedgerInputError(field: "amount", value: debitText + creditText, reason: "\(error)")
        }
    }

    private func nextJSONEntry(_ reader: LineReader) throws -> (row: Int, entry: JournalEntry)? {
        while let (number, line) = try reader.next() {
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            // Repaired to U+FFFD, a memo would be signed as something other than what was given.
            guard String(validating: line, as: UTF8.self) != nil else {
                throw LedgerInputError(row: number, field: "line", value: String(decoding: line.prefix(60), as: UTF8.self),
                                       reason: "is not valid UTF-8; JSON Lines files are UTF-8")
            }
            do {
                return (number, try Self.entry(fromJSON: JSONParser.parse(line)))
            } catch let error as LedgerInputError {
                throw error.at(row: number)
            } catch {
                throw LedgerInputError(row: number, field: "line", value: String(decoding: line.prefix(60), as: UTF8.self), reason: "\(error)")
            }
        }
        return nil
    }

    static func entry(fromJSON value: JSONValue) throws -> JournalEntry {
        guard let ref = value["ref"]?.stringValue, !ref.isEmpty else {
            throw LedgerInputError(field: "ref", value: "", reason: "every entry needs a ref (its idempotency key)")
        }
        guard let dateText = value["date"]?.stringValue else { throw LedgerInputError(field: "date", value: "", reason: "missing") }
        guard let lines = value["postings"]?.arrayValue else { throw LedgerInputError(field: "postings", value: "", reason: "missing") }
        var postings: [Posting] = []
        for line in lines {
            guard let account = line["account"]?.stringValue, let sideName = line["side"]?.stringValue,
                  let side = Side(rawValue: sideName)
            else {
                throw LedgerInputError(field: "postings", value: "\(line)", reason: "each posting needs account, side (debit|credit) and amount")
            }
            let amount: Money
            if let text = line["amount"]?.stringValue {
                do { amount = try Money(parsingPositive: text) } catch {
                    throw LedgerInputError(field: "amount", value: text, reason: error.description)
                }
            } else if let fen = line["amountFen"]?.integerValue {
                amount = Money(fen: fen)
            } else {
                throw LedgerInputError(field: "amount", value: "", reason: "give amount (yuan, as a string) or amountFen")
            }
            postings.append(try Posting(account: AccountCode(account), side: side, amount: amount))
        }
        return try JournalEntry(date: LedgerDate(dateText), memo: value["memo"]?.stringValue ?? "", postings: postings,
                                idempotencyKey: ref)
    }
}

/// Reads a file line by line in large chunks.
final class LineReader {
    private let handle: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    private var lineNumber = 0
    private let lineLengthMax: Int
    private let path: String

    init(path: String, lineLengthMax: Int) throws {
        guard let handle = fopen(path, "rb") else {
            throw LedgerInputError(field: "file", value: path, reason: String(cString: strerror(errno)))
        }
        self.handle = handle
        self.path = path
        self.lineLengthMax = lineLengthMax
    }

    deinit { fclose(handle) }

    func next() throws -> (Int, ArraySlice<UInt8>)? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                let line = buffer[start..<newline]
                start = newline + 1
                lineNumber += 1
                return (lineNumber, line)
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                start = buffer.count
                lineNumber += 1
                return (lineNumber, line)
            }
            guard buffer.count - start <= lineLengthMax else {
                throw LedgerInputError(row: lineNumber + 1, field: "line", value: path, reason: "longer than \(lineLengthMax) bytes")
            }
            buffer.removeFirst(start)
            start = 0
            let chunk = 1 << 20
            let oldCount = buffer.count
            buffer.append(contentsOf: repeatElement(0, count: chunk))
            let read = buffer.withUnsafeMutableBufferPointer { fread($0.baseAddress! + oldCount, 1, chunk, handle) }
            buffer.removeLast(chunk - read)
            if read == 0 { atEnd = true }
        }
    }
}
