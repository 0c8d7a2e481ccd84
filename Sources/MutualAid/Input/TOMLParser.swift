/// A syntax error in a TOML file, located precisely enough for a person editing
/// the file by hand, e.g. `line 12, column 9: expected '=' after key "ratio"`.
public struct TOMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file name passed to the parser, if any.
    public let file: String?
    /// The 1-based line.
    public let line: Int
    /// The 1-based column, counted in Unicode characters so Chinese text does not
    /// throw it off.
    public let column: Int
    public let message: String

    public init(file: String? = nil, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        (file.map { "\($0): " } ?? "") + "line \(line), column \(column): \(message)"
    }
}

/// Parses the subset of TOML used by plan rules files.
///
/// Supported: comments; bare, quoted and dotted keys; `[table]` and
/// `[[array.of.tables]]` headers; basic, literal and multi-line strings; integers
/// (`Int64`, `_` separators); decimals kept as exact text; booleans; local dates;
/// arrays and inline tables (which, as in TOML 1.1, may span lines and end with a
/// comma).
///
/// Rejected on purpose: floats with exponents, `inf` and `nan` (amounts must be
/// exact), hexadecimal/octal/binary integers, and times of day (plan rules work in
/// whole days). Redefining a key or table is an error, so two edits of the same rule
/// cannot silently override each other.
public enum TOMLParser {
    /// Parses a whole document into its root table.
    ///
    /// - Parameter file: a name for error messages, e.g. `plans/2026.toml`.
    public static func parse(_ text: String, file: String? = nil) throws(TOMLError) -> TOMLTable {
        var parser = DocumentParser(text: text, file: file)
        return try parser.parseDocument()
    }
}

// MARK: - Building the document

/// A table under construction. Tables are reference types while parsing because
/// headers and dotted keys reach back into tables created earlier.
private final class MutableTable {
    /// How a table came to exist, which decides how it may still be extended.
    enum Kind {
        /// Created as the parent of a header, e.g. `a` by `[a.b]`; `[a]` may still follow once.
        case implicit
        /// Defined by its own `[header]` (or an inline table); may not be defined again.
        case header
        /// Created by a dotted key such as `a.b = 1`; only dotted keys may extend it.
        case dotted
    }

    var kind: Kind
    var line: Int
    let path: [String]
    private(set) var order: [String] = []
    private(set) var items: [String: Item] = [:]

    init(kind: Kind, line: Int, path: [String]) {
        self.kind = kind
        self.line = line
        self.path = path
    }

    subscript(key: String) -> Item? { items[key] }

    func add(_ key: String, _ item: Item) {
        order.append(key)
        items[key] = item
    }

    func freeze() -> TOMLTable {
        TOMLTable(entries: order.map { TOMLTable.Entry(key: $0, value: items[$0]!.freeze()) }, line: line)
    }
}

private final class MutableArrayOfTables {
    let line: Int
    var tables: [MutableTable] = []

    init(line: Int) { self.line = line }
}

private enum Item {
    case value(TOMLValue)
    case table(MutableTable)
    case tables(MutableArrayOfTables)

    func freeze() -> TOMLValue {
        switch self {
        case .value(let value):
            value
        case .table(let table):
            TOMLValue(.table(table.freeze()), line: table.line)
        case .tables(let array):
            TOMLValue(.array(array.tables.map { TOMLValue(.table($0.freeze()), line: $0.line) }), line: array.line)
        }
    }
}

/// How messages spell a key path: `benefits.ratio`, `"地区".code`.
private func display(_ keys: some Collection<String>) -> String {
    keys.map { TOMLSyntax.isBareKey($0) ? $0 : TOMLSyntax.quoted($0) }.joined(separator: ".")
}

/// How a message names a key: `"benefits.ratio"` in quotes when every part is bare,
/// otherwise the TOML spelling, which already carries quotes: `"名称"`, `a."b c"`.
private func named(_ keys: some Collection<String>) -> String {
    keys.allSatisfy(TOMLSyntax.isBareKey) ? "\"" + display(keys) + "\"" : display(keys)
}

// MARK: - Reading bytes

private enum Byte {
    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")
    static let tab = UInt8(ascii: "\t")
    static let space = UInt8(ascii: " ")
    static let hash = UInt8(ascii: "#")
    static let quote = UInt8(ascii: "\"")
    static let apostrophe = UInt8(ascii: "'")
    static let backslash = UInt8(ascii: "\\")
    static let equals = UInt8(ascii: "=")
    static let dot = UInt8(ascii: ".")
    static let comma = UInt8(ascii: ",")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")

    static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    static func isLetter(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
    }

    static func isBareKey(_ b: UInt8) -> Bool {
        isLetter(b) || isDigit(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
    }

    /// Characters that may appear in an unquoted value: numbers, dates, booleans,
    /// and the times and floats we reject with a helpful message.
    static func isValueToken(_ b: UInt8) -> Bool {
        isBareKey(b) || b == UInt8(ascii: "+") || b == dot || b == UInt8(ascii: ":")
    }

    /// Control characters TOML forbids raw in strings (tab is allowed).
    static func isForbiddenControl(_ b: UInt8) -> Bool { (b < 0x20 && b != tab) || b == 0x7F }
}

/// A position in the text, kept so errors can point at where a construct began.
private struct Position {
    var index: Int
    var line: Int
    var lineStart: Int
}

/// Walks the UTF-8 bytes of the document, tracking lines for error messages.
private struct Cursor {
    let bytes: [UInt8]
    let file: String?
    var position = Position(index: 0, line: 1, lineStart: 0)

    init(text: String, file: String?) {
        bytes = Array(text.utf8)
        self.file = file
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            position = Position(index: 3, line: 1, lineStart: 3)
        }
    }

    var index: Int { position.index }
    var line: Int { position.line }
    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    func peek(at offset: Int) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    /// Moves past one byte that is not a line break.
    mutating func advance(_ count: Int = 1) { position.index += count }

    mutating func skipSpaces() {
        while let b = peek, b == Byte.space || b == Byte.tab { advance() }
    }

    mutating func skipComment() {
        while let b = peek, b != Byte.lf, b != Byte.cr { advance() }
    }

    /// Consumes LF or CRLF; a lone CR is an error because it usually means the file
    /// was mangled by a tool rather than written that way on purpose.
    mutating func consumeNewline() throws(TOMLError) {
        if peek == Byte.cr {
            guard peek(at: 1) == Byte.lf else {
                throw error("a carriage return must be followed by a line feed (use LF or CRLF line endings)")
            }
            advance()
        }
        advance()
        position.line += 1
        position.lineStart = index
    }

    /// Skips blank space, comments and line breaks, as allowed inside arrays.
    mutating func skipBlankLines() throws(TOMLError) {
        while let b = peek {
            if b == Byte.space || b == Byte.tab {
                advance()
            } else if b == Byte.hash {
                skipComment()
            } else if b == Byte.lf || b == Byte.cr {
                try consumeNewline()
            } else {
                return
            }
        }
    }

    /// How a message names the character under the cursor.
    var found: String {
        guard let b = peek else { return "the end of the file" }
        if b == Byte.lf || b == Byte.cr { return "the end of the line" }
        var end = index + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        let character = String(decoding: bytes[index..<end], as: UTF8.self)
        return b < 0x20 || b == 0x7F ? "a control character" : "'\(character)'"
    }

    func error(_ message: String, at where: Position? = nil) -> TOMLError {
        let place = `where` ?? position
        let column = bytes[place.lineStart..<place.index].reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
        return TOMLError(file: file, line: place.line, column: column, message: message)
    }
}

// MARK: - Grammar

private struct DocumentParser {
    var cursor: Cursor
    let root: MutableTable
    var current: MutableTable
    /// Arrays and inline tables open around the value being read.
    var nesting = 0

    /// A plan file nests a benefit's table in an array, a grade table in that: a handful of
    /// levels. Past this a file is not a plan, and each level costs a stack frame.
    static let nestingMax = 32
    /// `benefit.ratio.numerator` has three parts; past this a key is not a plan's, and each
    /// part costs a pass over those before it.
    static let keyPartsMax = 32

    init(text: String, file: String?) {
        cursor = Cursor(text: text, file: file)
        root = MutableTable(kind: .header, line: 1, path: [])
        current = root
    }

    mutating func parseDocument() throws(TOMLError) -> TOMLTable {
        while true {
            cursor.skipSpaces()
            guard let b = cursor.peek else { break }
            if b == Byte.hash {
                cursor.skipComment()
            } else if b == Byte.lf || b == Byte.cr {
                try cursor.consumeNewline()
            } else if b == Byte.openBracket {
                let header = try parseHeader()
                try expectEndOfLine(after: "the table header \(header)")
            } else {
                let keys = try parseKeyValue(into: current)
                try expectEndOfLine(after: "the value of \(named(keys))")
            }
        }
        return root.freeze()
    }

    private mutating func expectEndOfLine(after what: String) throws(TOMLError) {
        cursor.skipSpaces()
        if cursor.peek == Byte.hash { cursor.skipComment() }
        guard let b = cursor.peek else { return }
        guard b == Byte.lf || b == Byte.cr else {
            throw cursor.error("expected the end of the line after \(what), found \(cursor.found)")
        }
        try cursor.consumeNewline()
    }

    // MARK: Keys

    /// Parses `key = value` and stores it in `table`; returns the key parts.
    private mutating func parseKeyValue(into table: MutableTable) throws(TOMLError) -> [String] {
        let start = cursor.position
        let keys = try parseKey()
        cursor.skipSpaces()
        guard cursor.peek == Byte.equals else {
            throw cursor.error("expected '=' after key \(named(keys)), found \(cursor.found)")
        }
        cursor.advance()
        cursor.skipSpaces()
        let value = try parseValue(for: "key \(named(keys))")
        try insert(value, at: keys, into: table, keyStart: start)
        return keys
    }

    /// A possibly dotted key: `ratio`, `"quoted key"`, `benefit.ratio`.
    private mutating func parseKey() throws(TOMLError) -> [String] {
        var parts = [try parseSimpleKey()]
        while true {
            cursor.skipSpaces()
            guard cursor.peek == Byte.dot else { return parts }
            cursor.advance()
            cursor.skipSpaces()
            guard parts.count < DocumentParser.keyPartsMax else {
                throw cursor.error("a dotted key of more than \(DocumentParser.keyPartsMax) parts is not a plan's")
            }
            parts.append(try parseSimpleKey())
        }
    }

    private mutating func parseSimpleKey() throws(TOMLError) -> String {
        guard let b = cursor.peek else { throw cursor.error("expected a key, found the end of the file") }
        if b == Byte.quote {
            if cursor.peek(at: 1) == Byte.quote && cursor.peek(at: 2) == Byte.quote {
                throw cursor.error("a key cannot be a multi-line string")
            }
            return try parseBasicString()
        }
        if b == Byte.apostrophe {
            if cursor.peek(at: 1) == Byte.apostrophe && cursor.peek(at: 2) == Byte.apostrophe {
                throw cursor.error("a key cannot be a multi-line string")
            }
            return try parseLiteralString()
        }
        let start = cursor.index
        while let c = cursor.peek, Byte.isBareKey(c) { cursor.advance() }
        guard cursor.index > start else {
            throw cursor.error(
                "expected a key (letters, digits, '_' or '-', or a quoted name), found \(cursor.found)")
        }
        return String(decoding: cursor.bytes[start..<cursor.index], as: UTF8.self)
    }

    /// Stores a value under a possibly dotted key, creating the intermediate tables.
    private func insert(
        _ value: TOMLValue, at keys: [String], into table: MutableTable, keyStart: Position
    ) throws(TOMLError) {
        var target = table
        for depth in 0..<(keys.count - 1) {
            let part = keys[depth]
            let prefix = display(table.path + keys[...depth])
            switch target[part] {
            case nil:
                let created = MutableTable(kind: .dotted, line: value.line, path: target.path + [part])
                target.add(part, .table(created))
                target = created
            case .table(let existing) where existing.kind == .dotted:
                target = existing
            case .table(let existing):
                throw cursor.error(
                    "cannot add to the table [\(prefix)] with the dotted key \(named(keys)) "
                        + "because that table is defined by a header (line \(existing.line)); "
                        + "put the key under its header instead",
                    at: keyStart)
            case .tables(let array):
                throw cursor.error(
                    "cannot use the dotted key \(named(keys)) because \(prefix) is an array "
                        + "of tables ([[\(prefix)]] on line \(array.line))",
                    at: keyStart)
            case .value(let existing):
                throw cursor.error(
                    "cannot use the dotted key \(named(keys)) because \(prefix) already holds "
                        + "\(existing.summary) (line \(existing.line))",
                    at: keyStart)
            }
        }
        let last = keys[keys.count - 1]
        if let existing = target[last] {
            let firstLine: Int
            switch existing {
            case .value(let v): firstLine = v.line
            case .table(let t): firstLine = t.line
            case .tables(let a): firstLine = a.line
            }
            throw cursor.error(
                "key \(named(target.path + [last])) is defined twice; it was first defined on line \(firstLine)",
                at: keyStart)
        }
        target.add(last, .value(value))
    }

    // MARK: Headers

    /// Parses `[a.b]` or `[[a.b]]` and makes that table current; returns how the
    /// header was written, for messages.
    private mutating func parseHeader() throws(TOMLError) -> String {
        let start = cursor.position
        cursor.advance()
        let isArray = cursor.peek == Byte.openBracket
        if isArray { cursor.advance() }
        cursor.skipSpaces()
        let keys = try parseKey()
        cursor.skipSpaces()
        let written = isArray ? "[[\(display(keys))]]" : "[\(display(keys))]"
        let closing = isArray ? "]]" : "]"
        guard cursor.peek == Byte.closeBracket, !isArray || cursor.peek(at: 1) == Byte.closeBracket else {
            throw cursor.error("expected '\(closing)' to close the table header \(written), found \(cursor.found)")
        }
        cursor.advance(closing.utf8.count)

        let line = start.line
        var target = root
        for (depth, part) in keys.enumerated() {
            let isLast = depth == keys.count - 1
            let path = Array(keys[...depth])
            let name = display(path)
            switch target[part] {
            case nil:
                if isLast && isArray {
                    let array = MutableArrayOfTables(line: line)
                    let element = MutableTable(kind: .header, line: line, path: path)
                    array.tables.append(element)
                    target.add(part, .tables(array))
                    target = element
                } else {
                    let created = MutableTable(kind: isLast ? .header : .implicit, line: line, path: path)
                    target.add(part, .table(created))
                    target = created
                }
            case .table(let existing):
                guard isLast else {
                    target = existing
                    continue
                }
                if isArray {
                    throw cursor.error(
                        "cannot define \(written) because \(name) is already a table (line \(existing.line))",
                        at: start)
                }
                switch existing.kind {
                case .implicit:
                    existing.kind = .header
                    existing.line = line
                    target = existing
                case .header:
                    throw cursor.error(
                        "table [\(name)] is defined twice; it was first defined on line \(existing.line)", at: start)
                case .dotted:
                    throw cursor.error(
                        "table [\(name)] was already defined with dotted keys on line \(existing.line); "
                            + "add to it there instead of with a header",
                        at: start)
                }
            case .tables(let array):
                if !isLast {
                    target = array.tables[array.tables.count - 1]
                } else if isArray {
                    let element = MutableTable(kind: .header, line: line, path: path)
                    array.tables.append(element)
                    target = element
                } else {
                    throw cursor.error(
                        "[\(name)] conflicts with the array of tables [[\(name)]] defined on line \(array.line)",
                        at: start)
                }
            case .value(let existing):
                if case .table = existing.content {
                    throw cursor.error(
                        "cannot extend \(name) with \(written) because it is an inline table (line "
                            + "\(existing.line)), which must be complete as written",
                        at: start)
                }
                throw cursor.error(
                    "cannot use \(name) as a table in \(written) because it already holds "
                        + "\(existing.summary) (line \(existing.line))",
                    at: start)
            }
        }
        current = target
        return written
    }

    // MARK: Values

    /// Parses the value that starts at the cursor; `owner` names what it belongs to
    /// in messages, e.g. `key "ratio"`.
    private mutating func parseValue(for owner: String) throws(TOMLError) -> TOMLValue {
        let line = cursor.line
        guard let b = cursor.peek, b != Byte.lf, b != Byte.cr, b != Byte.hash else {
            throw cursor.error("expected a value for \(owner), found \(cursor.found)")
        }
        switch b {
        case Byte.quote:
            let multiline = cursor.peek(at: 1) == Byte.quote && cursor.peek(at: 2) == Byte.quote
            return TOMLValue(.string(try multiline ? parseMultilineBasicString() : parseBasicString()), line: line)
        case Byte.apostrophe:
            let multiline = cursor.peek(at: 1) == Byte.apostrophe && cursor.peek(at: 2) == Byte.apostrophe
            return TOMLValue(.string(try multiline ? parseMultilineLiteralString() : parseLiteralString()), line: line)
        case Byte.openBracket:
            return try parseArray()
        case Byte.openBrace:
            return try parseInlineTable()
        default:
            guard Byte.isValueToken(b) else {
                throw cursor.error(
                    "expected a value for \(owner) (a string, number, boolean, date, array or table), "
                        + "found \(cursor.found)")
            }
            return TOMLValue(try parseBareValue(for: owner), line: line)
        }
    }

    /// Numbers, dates and booleans: everything written without quotes or brackets.
    private mutating func parseBareValue(for owner: String) throws(TOMLError) -> TOMLValue.Content {
        let start = cursor.position
        while let c = cursor.peek, Byte.isValueToken(c) { cursor.advance() }
        let token = String(decoding: cursor.bytes[start.index..<cursor.index], as: UTF8.self)
        func fail(_ message: String) -> TOMLError { cursor.error(message, at: start) }

        if token == "true" { return .bool(true) }
        if token == "false" { return .bool(false) }
        var body = Substring(token)
        let negative = body.first == "-"
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        if body == "inf" || body == "nan" {
            throw fail("\(token) is not allowed: plan numbers must be exact, finite decimals")
        }
        if let first = body.utf8.first, Byte.isLetter(first) {
            throw fail("expected a value for \(owner), found the bare word \(token); text must be in quotes, "
                + "e.g. \(TOMLSyntax.quoted(token))")
        }
        if let date = try parseDate(token, at: start) { return .date(date) }
        if body.hasPrefix("0x") || body.hasPrefix("0o") || body.hasPrefix("0b") {
            throw fail("\(token): hexadecimal, octal and binary numbers are not supported; write it in decimal")
        }
        if body.contains(where: { $0 == "e" || $0 == "E" }) {
            throw fail("\(token): exponents are not allowed because amounts must be exact; "
                + "write the number out in full, e.g. 1500 or 0.015")
        }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy(isDigitGroup) else {
            throw fail("\(token) is not a valid number; write digits with an optional sign, decimal point "
                + "and '_' between digits, e.g. 1_000 or 0.15")
        }
        let whole = parts[0].filter { $0 != "_" }
        if whole.count > 1 && whole.first == "0" {
            throw fail("\(token): leading zeros are not allowed")
        }
        if parts.count == 1 {
            guard let number = Int64((negative ? "-" : "") + whole) else {
                throw fail("\(token) does not fit in a 64-bit integer (the limit is 9223372036854775807)")
            }
            return .integer(number)
        }
        let fraction = parts[1].filter { $0 != "_" }
        return .decimal((negative ? "-" : "") + whole + "." + fraction)
    }

    /// Digits, with single underscores only between digits.
    private func isDigitGroup(_ text: Substring) -> Bool {
        guard let first = text.utf8.first, let last = text.utf8.last,
              Byte.isDigit(first), Byte.isDigit(last) else { return false }
        var previousWasUnderscore = false
        for c in text.utf8 {
            if c == UInt8(ascii: "_") {
                if previousWasUnderscore { return false }
                previousWasUnderscore = true
            } else if Byte.isDigit(c) {
                previousWasUnderscore = false
            } else {
                return false
            }
        }
        return true
    }

    /// The token as a validated `YYYY-MM-DD` date, `nil` if it does not look like a
    /// date at all, or an error if it looks like one but is not a real day or
    /// carries a time.
    private mutating func parseDate(_ token: String, at start: Position) throws(TOMLError) -> String? {
        let u = Array(token.utf8)
        guard u.count >= 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
              [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy({ Byte.isDigit(u[$0]) }) else { return nil }
        let date = String(token.prefix(10))
        let hasTimeAfterSpace = cursor.peek == Byte.space
            && (cursor.peek(at: 1)).map(Byte.isDigit) == true
            && (cursor.peek(at: 2)).map(Byte.isDigit) == true
            && cursor.peek(at: 3) == UInt8(ascii: ":")
        if u.count > 10 || hasTimeAfterSpace {
            throw cursor.error("\(date) has a time of day, which plan files do not use; write just the date, "
                + "e.g. \(date)", at: start)
        }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(u[$1] - 48) } }
        let (year, month, day) = (number(0..<4), number(5..<7), number(8..<10))
        guard (1...12).contains(month) else {
            throw cursor.error("\(date) is not a real date: there is no month \(month)", at: start)
        }
        let length = daysInMonth(year: year, month: month)
        guard (1...length).contains(day) else {
            throw cursor.error("\(date) is not a real date: month \(month) of \(year) has \(length) days", at: start)
        }
        return date
    }

    /// Enters an array or inline table, refusing one nested past `nestingMax`.
    private mutating func enterNesting() throws(TOMLError) {
        guard nesting < DocumentParser.nestingMax else {
            throw cursor.error("arrays and inline tables nested more than \(DocumentParser.nestingMax) deep are not a plan's")
        }
        nesting += 1
    }

    private mutating func parseArray() throws(TOMLError) -> TOMLValue {
        let start = cursor.position
        try enterNesting()
        defer { nesting -= 1 }
        cursor.advance()
        var items: [TOMLValue] = []
        while true {
            try cursor.skipBlankLines()
            guard let b = cursor.peek else {
                throw cursor.error("this array is never closed with ']'", at: start)
            }
            if b == Byte.closeBracket { break }
            items.append(try parseValue(for: "the array element"))
            try cursor.skipBlankLines()
            guard let next = cursor.peek else {
                throw cursor.error("this array is never closed with ']'", at: start)
            }
            if next == Byte.comma {
                cursor.advance()
            } else if next != Byte.closeBracket {
                throw cursor.error("expected ',' or ']' after an array element, found \(cursor.found)")
            }
        }
        cursor.advance()
        return TOMLValue(.array(items), line: start.line)
    }

    private mutating func parseInlineTable() throws(TOMLError) -> TOMLValue {
        let start = cursor.position
        try enterNesting()
        defer { nesting -= 1 }
        cursor.advance()
        let table = MutableTable(kind: .header, line: start.line, path: [])
        while true {
            try cursor.skipBlankLines()
            guard let b = cursor.peek else {
                throw cursor.error("this inline table is never closed with '}'", at: start)
            }
            if b == Byte.closeBrace { break }
            _ = try parseKeyValue(into: table)
            try cursor.skipBlankLines()
            guard let next = cursor.peek else {
                throw cursor.error("this inline table is never closed with '}'", at: start)
            }
            if next == Byte.comma {
                cursor.advance()
            } else if next != Byte.closeBrace {
                throw cursor.error("expected ',' or '}' in the inline table, found \(cursor.found)")
            }
        }
        cursor.advance()
        return TOMLValue(.table(table.freeze()), line: start.line)
    }

    // MARK: Strings

    private mutating func parseBasicString() throws(TOMLError) -> String {
        let start = cursor.position
        cursor.advance()
        var out: [UInt8] = []
        while true {
            guard let b = cursor.peek else {
                throw cursor.error("this string is never closed; add the closing \"", at: start)
            }
            switch b {
            case Byte.quote:
                cursor.advance()
                return String(decoding: out, as: UTF8.self)
            case Byte.backslash:
                try parseEscape(into: &out)
            case Byte.lf, Byte.cr:
                throw cursor.error(
                    "the string is not closed before the end of the line; close it with \" or use \"\"\" "
                        + "for text that spans lines")
            default:
                if Byte.isForbiddenControl(b) { throw controlCharacterError(b) }
                out.append(b)
                cursor.advance()
            }
        }
    }

    private mutating func parseMultilineBasicString() throws(TOMLError) -> String {
        let start = cursor.position
        cursor.advance(3)
        // A line break right after the opening quotes is not part of the text.
        if cursor.peek == Byte.lf || cursor.peek == Byte.cr { try cursor.consumeNewline() }
        var out: [UInt8] = []
        while true {
            guard let b = cursor.peek else {
                throw cursor.error("this multi-line string is never closed; add the closing \"\"\"", at: start)
            }
            switch b {
            case Byte.quote:
                if try closesMultilineString(quote: Byte.quote, into: &out) {
                    return String(decoding: out, as: UTF8.self)
                }
            case Byte.backslash:
                if try skipLineEndingBackslash() { continue }
                try parseEscape(into: &out)
            case Byte.lf, Byte.cr:
                try cursor.consumeNewline()
                out.append(Byte.lf)
            default:
                if Byte.isForbiddenControl(b) { throw controlCharacterError(b) }
                out.append(b)
                cursor.advance()
            }
        }
    }

    private mutating func parseLiteralString() throws(TOMLError) -> String {
        let start = cursor.position
        cursor.advance()
        let contentStart = cursor.index
        while true {
            guard let b = cursor.peek else {
                throw cursor.error("this string is never closed; add the closing '", at: start)
            }
            if b == Byte.apostrophe { break }
            if b == Byte.lf || b == Byte.cr {
                throw cursor.error(
                    "the string is not closed before the end of the line; close it with ' or use ''' "
                        + "for text that spans lines")
            }
            if Byte.isForbiddenControl(b) { throw controlCharacterError(b) }
            cursor.advance()
        }
        let text = String(decoding: cursor.bytes[contentStart..<cursor.index], as: UTF8.self)
        cursor.advance()
        return text
    }

    private mutating func parseMultilineLiteralString() throws(TOMLError) -> String {
        let start = cursor.position
        cursor.advance(3)
        if cursor.peek == Byte.lf || cursor.peek == Byte.cr { try cursor.consumeNewline() }
        var out: [UInt8] = []
        while true {
            guard let b = cursor.peek else {
                throw cursor.error("this multi-line string is never closed; add the closing '''", at: start)
            }
            switch b {
            case Byte.apostrophe:
                if try closesMultilineString(quote: Byte.apostrophe, into: &out) {
                    return String(decoding: out, as: UTF8.self)
                }
            case Byte.lf, Byte.cr:
                try cursor.consumeNewline()
                out.append(Byte.lf)
            default:
                if Byte.isForbiddenControl(b) { throw controlCharacterError(b) }
                out.append(b)
                cursor.advance()
            }
        }
    }

    /// Handles a run of quote characters inside a multi-line string: three close
    /// it, and up to two more just before the closing three belong to the text.
    private mutating func closesMultilineString(quote: UInt8, into out: inout [UInt8]) throws(TOMLError) -> Bool {
        var run = 0
        while cursor.peek(at: run) == quote { run += 1 }
        if run < 3 {
            out.append(contentsOf: repeatElement(quote, count: run))
            cursor.advance(run)
            return false
        }
        if run > 5 {
            cursor.advance(5)
            throw cursor.error("too many quotes in a row at the end of a multi-line string")
        }
        out.append(contentsOf: repeatElement(quote, count: run - 3))
        cursor.advance(run)
        return true
    }

    /// In a multi-line basic string, a backslash at the end of a line joins it to
    /// the next non-blank text. Returns false, consuming nothing, if the backslash
    /// is an ordinary escape.
    private mutating func skipLineEndingBackslash() throws(TOMLError) -> Bool {
        var offset = 1
        while let b = cursor.peek(at: offset), b == Byte.space || b == Byte.tab { offset += 1 }
        guard let b = cursor.peek(at: offset), b == Byte.lf || b == Byte.cr else { return false }
        cursor.advance(offset)
        while let b = cursor.peek {
            if b == Byte.space || b == Byte.tab {
                cursor.advance()
            } else if b == Byte.lf || b == Byte.cr {
                try cursor.consumeNewline()
            } else {
                break
            }
        }
        return true
    }

    private mutating func parseEscape(into out: inout [UInt8]) throws(TOMLError) {
        let start = cursor.position
        cursor.advance()
        guard let e = cursor.peek else {
            throw cursor.error("the string ends in the middle of an escape sequence", at: start)
        }
        cursor.advance()
        switch e {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "t"): out.append(Byte.tab)
        case UInt8(ascii: "n"): out.append(Byte.lf)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "r"): out.append(Byte.cr)
        case UInt8(ascii: "e"): out.append(0x1B)
        case Byte.quote: out.append(Byte.quote)
        case Byte.backslash: out.append(Byte.backslash)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let digits = e == UInt8(ascii: "u") ? 4 : 8
            var value: UInt32 = 0
            for _ in 0..<digits {
                guard let h = cursor.peek, let v = hexValue(h) else {
                    throw cursor.error(
                        "\\\(Character(Unicode.Scalar(e))) must be followed by \(digits) hexadecimal digits",
                        at: start)
                }
                value = value << 4 | v
                cursor.advance()
            }
            guard let scalar = Unicode.Scalar(value) else {
                let hex = String(value, radix: 16, uppercase: true)
                throw cursor.error("U+\(hex) in an escape sequence is not a valid Unicode character", at: start)
            }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            let shown = e < 0x80 && !Byte.isForbiddenControl(e) ? String(Character(Unicode.Scalar(e))) : "…"
            throw cursor.error(
                "\\\(shown) is not a valid escape sequence; write \\\\ for a backslash", at: start)
        }
    }

    private func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private func controlCharacterError(_ b: UInt8) -> TOMLError {
        let hex = String(b, radix: 16, uppercase: true)
        let padded = String(repeating: "0", count: 4 - hex.count) + hex
        return cursor.error("control character U+\(padded) must be written as the escape \\u\(padded)")
    }
}

/// The length of a month in the proleptic Gregorian calendar.
private func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
}
