#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The column names from a CSV file's first row, so importers can look fields up
/// by name and survive column reordering by whoever edited the spreadsheet.
public struct CSVHeader: Sendable, Equatable {
    /// The names in file order.
    public let names: [String]
    private let positions: [String: Int]

    /// Creates a header; when a name repeats, lookups find its first column.
    public init(_ names: [String]) {
        self.names = names
        var positions: [String: Int] = [:]
        for (index, name) in names.enumerated() where positions[name] == nil {
            positions[name] = index
        }
        self.positions = positions
    }

    /// The number of columns every row must have.
    public var count: Int { names.count }

    /// The 0-based position of the column called `name`, or `nil` if there is none.
    public func index(of name: String) -> Int? { positions[name] }
}

/// One record of a CSV file, with the position an operator needs to find it again.
public struct CSVRow: Sendable, Equatable {
    /// The decoded fields, in column order.
    public let fields: [String]
    /// The 1-based row number as a spreadsheet shows it: the header is row 1 and
    /// blank lines count, so "row 5" in an error is row 5 on the operator's screen.
    public let row: Int
    /// The 1-based physical line on which the row starts. It differs from `row`
    /// when an earlier quoted field spans several lines.
    public let line: Int
    /// The file's header, or `nil` when the reader was told there is none.
    public let header: CSVHeader?

    public init(fields: [String], row: Int, line: Int, header: CSVHeader?) {
        self.fields = fields
        self.row = row
        self.line = line
        self.header = header
    }

    /// The field at a 0-based column position.
    public subscript(index: Int) -> String { fields[index] }

    /// The field in the column called `column`, or `nil` if the header has no such column.
    public subscript(column: String) -> String? {
        guard let index = header?.index(of: column), index < fields.count else { return nil }
        return fields[index]
    }

    /// The field in the column called `column`, throwing an error that names the row
    /// when the file lacks that column, so importers need not write the message.
    public func value(_ column: String) throws(CSVError) -> String {
        guard let value = self[column] else {
            throw CSVError(.missingColumn(column), row: row, line: line)
        }
        return value
    }
}

/// Why a CSV file could not be read, and where.
///
/// Errors about one row (`wrongFieldCount`, `undecodableField`, `missingColumn`)
/// leave the reader positioned after that row, so an importer may record the row
/// as rejected and keep reading. Syntax errors stop the reader.
public struct CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// The file could not be opened; carries the system's explanation.
        case cannotOpen(String)
        /// Reading failed part-way; carries the system's explanation.
        case readFailed(String)
        /// A header was expected but the file has no rows at all.
        case emptyFile
        /// A quoted field opened on `startLine` never closes.
        case unterminatedQuote(startLine: Int)
        /// A `"` appeared inside a field that does not start with one.
        case quoteInUnquotedField(field: Int)
        /// Something other than `,` or a line ending followed a closing quote.
        case textAfterClosingQuote(field: Int)
        /// The row has a different number of fields from the header (or first row).
        case wrongFieldCount(expected: Int, found: Int)
        /// The 1-based field `field` is not valid text in the file's encoding.
        case undecodableField(field: Int, encoding: TextEncoding)
        /// The 1-based field `field` is UTF-8 in a file read as GB18030: a file saved from two
        /// sources. Decoded as GB18030 it would be mojibake (and reach the bank's file).
        case mixedEncoding(field: Int)
        /// A header column has an empty name.
        case emptyColumnName(column: Int)
        /// Two header columns share a name, so lookups by name would be ambiguous.
        case duplicateColumnName(String, first: Int, second: Int)
        /// An importer asked for a column the header does not have.
        case missingColumn(String)
    }

    public let reason: Reason
    /// The file name given to the reader, if any.
    public let file: String?
    /// The spreadsheet row number (header is row 1), when the error concerns a row.
    public let row: Int?
    /// The physical line on which the offending row starts.
    public let line: Int?

    public init(_ reason: Reason, file: String? = nil, row: Int? = nil, line: Int? = nil) {
        self.reason = reason
        self.file = file
        self.row = row
        self.line = line
    }

    public var description: String {
        var location: [String] = []
        if let file { location.append(file) }
        switch (row, line) {
        case let (row?, line?): location.append("row \(row) (line \(line))")
        case let (row?, nil): location.append("row \(row)")
        case let (nil, line?): location.append("line \(line)")
        case (nil, nil): break
        }
        let prefix = location.isEmpty ? "" : location.joined(separator: ": ") + ": "
        return prefix + message
    }

    private var message: String {
        switch reason {
        case .cannotOpen(let why):
            "cannot open the file to read it: \(why)"
        case .readFailed(let why):
            "reading the file failed part-way: \(why)"
        case .emptyFile:
            "the file is empty, but a header row naming the columns was expected"
        case .unterminatedQuote(let startLine):
            "the quoted field that starts on line \(startLine) is never closed, so the rest of the file "
                + "was read as one field; add the missing closing quote (\")"
        case .quoteInUnquotedField(let field):
            "field \(field) contains a quote (\") but does not start with one; quote the whole field "
                + "and double the quotes inside it (\"\")"
        case .textAfterClosingQuote(let field):
            "field \(field) has text after its closing quote; a quote inside a quoted field "
                + "must be doubled (\"\")"
        case .wrongFieldCount(let expected, let found):
            "expected \(expected) fields to match the header, found \(found)"
        case .undecodableField(let field, let encoding):
            "field \(field) is not valid \(encoding) text; re-save the file as UTF-8 or GB18030"
        case .mixedEncoding(let field):
            "field \(field) is UTF-8 text, but earlier rows are GB18030; re-save the whole file in one encoding"
        case .emptyColumnName(let column):
            "column \(column) of the header has no name"
        case .duplicateColumnName(let name, let first, let second):
            "columns \(first) and \(second) of the header are both named \"\(name)\""
        case .missingColumn(let name):
            "the file has no column named \"\(name)\""
        }
    }
}

/// A streaming RFC 4180 CSV reader for member, contribution and claim imports.
///
/// It reads fixed-size chunks (1 MiB by default) and splits them at the byte level,
/// so a million-row export never sits in memory at once. Splitting bytes before
/// decoding is safe for both supported encodings: in UTF-8 and in GB18030 no byte of
/// a multi-byte character equals `"`, `,`, CR or LF.
///
/// Accepted: quoted fields with `""` escapes and embedded commas or line breaks;
/// CRLF, LF or lone CR line endings; an optional UTF-8 or GB18030 byte order mark.
/// Blank lines are skipped (they still count as spreadsheet rows). Without an
/// explicit encoding, the first chunk containing non-ASCII bytes decides: UTF-8 if
/// they are valid UTF-8, otherwise GB18030.
///
/// Not `Sendable`: it owns a file position and decoding state that only one task
/// may advance.
public final class CSVReader {
    /// The name used in error messages (the path, for file readers).
    public let file: String?
    /// The column names, or `nil` when the reader was created with `hasHeader: false`.
    public private(set) var header: CSVHeader?
    /// The encoding in use: the one requested, or the one detected so far. `nil`
    /// means every byte read so far was ASCII, which decodes the same either way.
    public private(set) var encoding: TextEncoding?

    private enum Source {
        case file(UnsafeMutablePointer<FILE>)
        case memory
    }

    private let source: Source
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private var count: Int
    private var position = 0
    private var atEndOfInput: Bool
    private var sawFirstChunk = false
    private let encodingWasGiven: Bool
    private var decoder: TextDecoder
    private var tokenizer = CSVTokenizer()
    private var expectedFieldCount: Int?
    private var stoppingError: CSVError?

    /// Opens the file at `path` for streaming.
    ///
    /// - Parameters:
    ///   - encoding: forces an encoding; `nil` detects it.
    ///   - hasHeader: whether the first row names the columns (it is read at once).
    ///   - chunkSize: bytes read per system call; larger is faster up to a point.
    public convenience init(
        path: String,
        encoding: TextEncoding? = nil,
        hasHeader: Bool = true,
        chunkSize: Int = 1 << 20
    ) throws(CSVError) {
        guard let handle = fopen(path, "rb") else {
            throw CSVError(.cannotOpen(String(cString: strerror(errno))), file: path)
        }
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(chunkSize, 64))
        try self.init(
            name: path, source: .file(handle), buffer: buffer, count: 0, atEnd: false,
            encoding: encoding, hasHeader: hasHeader)
    }

    /// Reads CSV held in memory, mainly for tests and small uploads.
    ///
    /// - Parameter name: what error messages call the input, e.g. an upload's file name.
    public convenience init(
        bytes: [UInt8],
        encoding: TextEncoding? = nil,
        hasHeader: Bool = true,
        name: String? = nil
    ) throws(CSVError) {
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        _ = buffer.initialize(from: bytes)
        try self.init(
            name: name, source: .memory, buffer: buffer, count: bytes.count, atEnd: true,
            encoding: encoding, hasHeader: hasHeader)
    }

    /// Reads CSV from a Swift string (always UTF-8).
    public convenience init(string: String, hasHeader: Bool = true, name: String? = nil) throws(CSVError) {
        try self.init(bytes: Array(string.utf8), encoding: .utf8, hasHeader: hasHeader, name: name)
    }

    private init(
        name: String?,
        source: Source,
        buffer: UnsafeMutableBufferPointer<UInt8>,
        count: Int,
        atEnd: Bool,
        encoding: TextEncoding?,
        hasHeader: Bool
    ) throws(CSVError) {
        self.file = name
        self.source = source
        self.buffer = buffer
        self.count = count
        self.atEndOfInput = atEnd
        self.encoding = encoding
        self.encodingWasGiven = encoding != nil
        self.decoder = TextDecoder(encoding ?? .utf8)
        if case .memory = source { inspectNewChunk() }
        if hasHeader { try readHeader() }
    }

    deinit {
        if case .file(let handle) = source { fclose(handle) }
        buffer.deallocate()
    }

    /// The next data row, or `nil` at the end of the input.
    ///
    /// After a `wrongFieldCount` or `undecodableField` error the next call continues
    /// with the following row; after a syntax or I/O error every call rethrows it.
    public func next() throws(CSVError) -> CSVRow? {
        guard try nextRecord() else { return nil }
        let found = tokenizer.fieldEnds.count
        if let expected = expectedFieldCount, found != expected {
            throw rowError(.wrongFieldCount(expected: expected, found: found))
        }
        expectedFieldCount = found
        let fields = try decodeFields()
        return CSVRow(fields: fields, row: tokenizer.recordNumber, line: tokenizer.recordLine, header: header)
    }

    /// Reads every remaining row into memory; convenient for small files only.
    public func readAll() throws(CSVError) -> [CSVRow] {
        var rows: [CSVRow] = []
        while let row = try next() { rows.append(row) }
        return rows
    }

    private func readHeader() throws(CSVError) {
        guard try nextRecord() else { throw CSVError(.emptyFile, file: file) }
        let names = try decodeFields()
        var seen: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            guard !name.isEmpty else { throw rowError(.emptyColumnName(column: index + 1)) }
            if let first = seen[name] {
                throw rowError(.duplicateColumnName(name, first: first + 1, second: index + 1))
            }
            seen[name] = index
        }
        header = CSVHeader(names)
        expectedFieldCount = names.count
    }

    /// Advances the tokenizer to the next complete record; false at end of input.
    private func nextRecord() throws(CSVError) -> Bool {
        if let stoppingError { throw stoppingError }
        while true {
            if position == count {
                if atEndOfInput {
                    switch tokenizer.finish() {
                    case .record: return true
                    case .needMoreInput: return false
                    case .failure(let reason): throw stop(reason)
                    }
                }
                try refill()
                continue
            }
            switch tokenizer.scan(UnsafePointer(buffer.baseAddress!), from: &position, to: count) {
            case .record: return true
            case .needMoreInput: continue
            case .failure(let reason): throw stop(reason)
            }
        }
    }

    private func refill() throws(CSVError) {
        guard case .file(let handle) = source else {
            atEndOfInput = true
            return
        }
        let read = fread(buffer.baseAddress, 1, buffer.count, handle)
        if read < buffer.count {
            if ferror(handle) != 0 { throw stop(.readFailed(String(cString: strerror(errno)))) }
            atEndOfInput = true
        }
        count = read
        position = 0
        inspectNewChunk()
    }

    /// Strips a byte order mark from the first chunk and, until the encoding is
    /// known, looks for evidence of it in each new chunk.
    private func inspectNewChunk() {
        if !sawFirstChunk {
            sawFirstChunk = true
            let chunk = UnsafeBufferPointer(rebasing: buffer[position..<count])
            if let mark = TextEncoding.byteOrderMark(at: chunk), encoding == nil || encoding == mark.encoding {
                position += mark.length
                adopt(mark.encoding)
                return
            }
        }
        guard encoding == nil else { return }
        // The previous chunk may have ended inside a multi-byte character (that is
        // why it decided nothing), so skip its continuation bytes; judged alone they
        // would look like invalid UTF-8.
        var start = position
        while start < min(position + 3, count), buffer[start] & 0xC0 == 0x80 { start += 1 }
        if let detected = TextEncoding.detect(UnsafeBufferPointer(rebasing: buffer[start..<count]),
                                              isComplete: atEndOfInput) {
            adopt(detected)
        }
    }

    private func adopt(_ detected: TextEncoding) {
        encoding = detected
        if decoder.encoding != detected { decoder = TextDecoder(detected) }
    }

    private func decodeFields() throws(CSVError) -> [String] {
        var mixedField: Int?
        let ends = tokenizer.fieldEnds
        var fields: [String] = []
        fields.reserveCapacity(ends.count)
        let failedField: Int? = tokenizer.bytes.withUnsafeBufferPointer { all in
            var start = 0
            for (index, end) in ends.enumerated() {
                let bytes = UnsafeBufferPointer(rebasing: all[start..<end])
                guard let text = decoder.decode(bytes) else {
                    return index + 1
                }
                // A detected GB18030 file holding a field that is valid, non-ASCII UTF-8: two
                // encodings in one file (GB18030 text almost never forms valid UTF-8).
                if !encodingWasGiven, decoder.encoding == .gb18030, UTF8Check.classify(bytes, allowingTruncatedEnd: false) == .utf8 {
                    mixedField = index + 1
                    return nil
                }
                fields.append(text)
                start = end
            }
            return nil
        }
        if let failedField {
            throw rowError(.undecodableField(field: failedField, encoding: encoding ?? .utf8))
        }
        if let field = mixedField { throw rowError(.mixedEncoding(field: field)) }
        return fields
    }

    private func rowError(_ reason: CSVError.Reason) -> CSVError {
        CSVError(reason, file: file, row: tokenizer.recordNumber, line: tokenizer.recordLine)
    }

    private func stop(_ reason: CSVError.Reason) -> CSVError {
        let error: CSVError
        switch reason {
        case .readFailed: error = CSVError(reason, file: file)
        default: error = rowError(reason)
        }
        stoppingError = error
        return error
    }
}

/// The byte-level RFC 4180 state machine behind `CSVReader`.
///
/// It keeps its state between calls so a record may straddle chunk boundaries, and
/// collects the raw bytes of one record with the end offset of each field, leaving
/// decoding to the reader.
struct CSVTokenizer {
    enum Step: Equatable {
        case needMoreInput
        case record
        case failure(CSVError.Reason)
    }

    private enum State {
        case recordStart, fieldStart, unquoted, quoted, quoteInQuoted, afterCR
    }

    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")

    /// The unescaped bytes of every field of the current record, concatenated.
    private(set) var bytes: [UInt8] = []
    /// The end offset in `bytes` of each field of the current record.
    private(set) var fieldEnds: [Int] = []
    /// The line the scanner is on.
    private(set) var line = 1
    /// The line on which the current record starts.
    private(set) var recordLine = 1
    /// The spreadsheet row number of the current record (blank lines included).
    private(set) var recordNumber = 0
    private var state = State.recordStart
    private var quotedFieldLine = 0
    private var sawQuote = false

    /// Consumes bytes from `position` until a record completes, the chunk ends or
    /// the input is malformed.
    mutating func scan(_ p: UnsafePointer<UInt8>, from position: inout Int, to end: Int) -> Step {
        let quote = Self.quote, comma = Self.comma, cr = Self.cr, lf = Self.lf
        var i = position
        defer { position = i }
        while i < end {
            switch state {
            case .recordStart:
                bytes.removeAll(keepingCapacity: true)
                fieldEnds.removeAll(keepingCapacity: true)
                sawQuote = false
                recordLine = line
                recordNumber += 1
                state = .fieldStart
            case .afterCR:
                // The LF of a CRLF: the line was already counted at the CR.
                if p[i] == lf { i += 1 }
                state = .recordStart
            case .fieldStart:
                if p[i] == quote {
                    i += 1
                    sawQuote = true
                    quotedFieldLine = line
                    state = .quoted
                } else {
                    state = .unquoted
                }
            case .unquoted:
                let start = i
                while i < end {
                    let b = p[i]
                    if b == comma || b == lf || b == cr || b == quote { break }
                    i += 1
                }
                if i > start { bytes.append(contentsOf: UnsafeBufferPointer(start: p + start, count: i - start)) }
                if i == end { return .needMoreInput }
                let b = p[i]
                i += 1
                if b == comma {
                    fieldEnds.append(bytes.count)
                    state = .fieldStart
                } else if b == quote {
                    return .failure(.quoteInUnquotedField(field: fieldEnds.count + 1))
                } else if endRecord(at: b) {
                    return .record
                }
            case .quoted:
                let start = i
                while i < end {
                    let b = p[i]
                    if b == quote { break }
                    if b == lf { line += 1 }
                    i += 1
                }
                if i > start { bytes.append(contentsOf: UnsafeBufferPointer(start: p + start, count: i - start)) }
                if i == end { return .needMoreInput }
                i += 1
                state = .quoteInQuoted
            case .quoteInQuoted:
                let b = p[i]
                i += 1
                if b == quote {
                    bytes.append(quote)
                    state = .quoted
                } else if b == comma {
                    fieldEnds.append(bytes.count)
                    state = .fieldStart
                } else if b == lf || b == cr {
                    if endRecord(at: b) { return .record }
                } else {
                    return .failure(.textAfterClosingQuote(field: fieldEnds.count + 1))
                }
            }
        }
        return .needMoreInput
    }

    /// Completes the record once the input has ended.
    mutating func finish() -> Step {
        switch state {
        case .recordStart, .afterCR:
            return .needMoreInput
        case .quoted:
            return .failure(.unterminatedQuote(startLine: quotedFieldLine))
        case .fieldStart, .unquoted, .quoteInQuoted:
            fieldEnds.append(bytes.count)
            state = .recordStart
            return isBlank ? .needMoreInput : .record
        }
    }

    /// Closes the record at a line ending; returns false for a blank line, which
    /// callers skip.
    private mutating func endRecord(at terminator: UInt8) -> Bool {
        fieldEnds.append(bytes.count)
        line += 1
        state = terminator == Self.cr ? .afterCR : .recordStart
        return !isBlank
    }

    private var isBlank: Bool { fieldEnds.count == 1 && bytes.isEmpty && !sawQuote }
}

/// Formats rows for CSV files Huzhu writes itself: rejected-row reports and bank
/// payment files.
///
/// A field is quoted only when it must be (it contains a comma, quote, CR or LF),
/// because some bank import tools mishandle needless quotes around amounts.
/// Fields are written as given: spreadsheet formula prefixes (`=`, `+`, `-`, `@`)
/// are not neutralised, since altering a payee or amount would be worse.
public struct CSVWriter: Sendable {
    /// Written after every row; RFC 4180 and most bank formats expect CRLF.
    public var lineTerminator: String

    public init(lineTerminator: String = "\r\n") {
        self.lineTerminator = lineTerminator
    }

    /// One field, quoted and with inner quotes doubled when needed, and neutralised when a
    /// spreadsheet would run it as a formula (`=1+2+cmd|A0`, `+`, `@`, a leading tab or
    /// carriage return, or `-` not starting a number): prefixed with `'`, which spreadsheets
    /// show as text (OWASP's CSV injection advice). A negative amount ("-12.00") stays a number.
    public static func escape(_ field: String) -> String {
        let field = neutralised(field)
        let needsQuotes = field.utf8.contains { byte in
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"")
                || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
        }
        guard needsQuotes else { return field }
        return "\"" + field.replacing("\"", with: "\"\"") + "\""
    }

    static func neutralised(_ field: String) -> String {
        guard let first = field.utf8.first else { return field }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "@"), 0x09, 0x0D:
            return "'" + field
        case UInt8(ascii: "-"):
            let rest = field.utf8.dropFirst()
            let isNumber = !rest.isEmpty && rest.allSatisfy { ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ",") }
            return isNumber ? field : "'" + field
        default:
            return field
        }
    }

    /// One row including its line terminator.
    public func row(_ fields: [String]) -> String {
        fields.map(Self.escape).joined(separator: ",") + lineTerminator
    }

    /// A whole file: the header row followed by the data rows.
    public func document(header: [String], rows: [[String]]) -> String {
        var text = row(header)
        for fields in rows { text += row(fields) }
        return text
    }
}
