/// A value from a plan rules file, with the line it was written on so that a
/// validation error can send the editor straight to it.
public struct TOMLValue: Sendable, Equatable {
    /// The kinds of value the plan file format allows.
    ///
    /// There is deliberately no floating-point case: contribution rates and benefit
    /// ratios are money rules, so a literal such as `0.15` is kept as its exact text
    /// and parsed by the caller into an exact decimal type.
    public enum Content: Sendable, Equatable {
        case string(String)
        case integer(Int64)
        /// A decimal literal's digits, exactly as written minus any `_` separators
        /// and leading `+`, e.g. `"0.15"`, `"-1234.50"`.
        case decimal(String)
        case bool(Bool)
        /// A validated local date in `YYYY-MM-DD` form.
        case date(String)
        case array([TOMLValue])
        case table(TOMLTable)
    }

    public let content: Content
    /// The 1-based line on which the value (or, for a table, its header) starts.
    public let line: Int

    public init(_ content: Content, line: Int) {
        self.content = content
        self.line = line
    }

    /// How an error message refers to this value, e.g. `the string "15"`.
    public var summary: String {
        switch content {
        case .string(let text): "the string \(TOMLSyntax.quoted(text))"
        case .integer(let number): "the integer \(number)"
        case .decimal(let text): "the decimal \(text)"
        case .bool(let flag): "the boolean \(flag)"
        case .date(let text): "the date \(text)"
        case .array(let items): items.isEmpty ? "an empty array" : "an array of \(items.count)"
        case .table: "a table"
        }
    }
}

/// A TOML table: key–value entries in the order they were written.
///
/// Order is kept so that reports and error messages follow the file, and so that
/// "first unknown key" means the first one the editor will see.
public struct TOMLTable: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let key: String
        public let value: TOMLValue

        public init(key: String, value: TOMLValue) {
            self.key = key
            self.value = value
        }
    }

    /// The entries in file order.
    public let entries: [Entry]
    /// The line of the table's header, or where it was first implied (1 for the root).
    public let line: Int
    private let positions: [String: Int]

    /// Creates a table; the parser guarantees keys are unique, and if they are not
    /// the first entry wins lookups.
    public init(entries: [Entry], line: Int) {
        self.entries = entries
        self.line = line
        var positions: [String: Int] = [:]
        for (index, entry) in entries.enumerated() where positions[entry.key] == nil {
            positions[entry.key] = index
        }
        self.positions = positions
    }

    /// The keys in file order.
    public var keys: [String] { entries.map(\.key) }

    public var isEmpty: Bool { entries.isEmpty }

    /// The value stored under `key`, if any.
    public subscript(key: String) -> TOMLValue? {
        positions[key].map { entries[$0].value }
    }
}

/// A validation error in a plan file, naming the file, line and key path so the
/// editor can fix it without reading the parser's mind, e.g.
/// `plans/2026.toml:14: benefits[1].ratio: expected a decimal such as 0.15, found the string "15"`.
public struct TOMLFieldError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String?
    public let line: Int
    /// The dotted key path, with 1-based indexes into arrays of tables.
    public let path: String
    public let message: String

    public init(file: String?, line: Int, path: String, message: String) {
        self.file = file
        self.line = line
        self.path = path
        self.message = message
    }

    public var description: String {
        let location = file.map { "\($0):\(line)" } ?? "line \(line)"
        return path.isEmpty ? "\(location): \(message)" : "\(location): \(path): \(message)"
    }
}

/// Typed, path-aware access to a parsed table, for validating plan files.
///
/// Every accessor either returns the Swift value or throws a `TOMLFieldError`
/// that says which key, where, what was expected and what was found, so that
/// validation code reads as a list of fields rather than a list of messages.
public struct TOMLReader: Sendable {
    public let table: TOMLTable
    /// The key path of `table`, empty for the document root.
    public let path: String
    /// The file name used in errors, if known.
    public let file: String?

    public init(_ table: TOMLTable, path: String = "", file: String? = nil) {
        self.table = table
        self.path = path
        self.file = file
    }

    /// The key path of `key` within this table, as errors print it.
    public func path(of key: String) -> String {
        let component = TOMLSyntax.isBareKey(key) ? key : TOMLSyntax.quoted(key)
        return path.isEmpty ? component : "\(path).\(component)"
    }

    /// An error about `key`, located at its value or, if absent, at the table.
    public func error(_ key: String?, _ message: String) -> TOMLFieldError {
        let line = key.flatMap { table[$0]?.line } ?? table.line
        return TOMLFieldError(file: file, line: line, path: key.map(path(of:)) ?? path, message: message)
    }

    // MARK: Required values

    public func value(_ key: String) throws(TOMLFieldError) -> TOMLValue {
        guard let value = table[key] else {
            let place = path.isEmpty ? "the top level of the file" : "[\(path)]"
            throw error(key, "this required key is missing from \(place)")
        }
        return value
    }

    public func string(_ key: String) throws(TOMLFieldError) -> String {
        let value = try value(key)
        guard case .string(let text) = value.content else { throw mismatch(key, "a string in quotes", value) }
        return text
    }

    public func integer(_ key: String) throws(TOMLFieldError) -> Int64 {
        let value = try value(key)
        guard case .integer(let number) = value.content else { throw mismatch(key, "a whole number such as 12", value) }
        return number
    }

    /// The exact text of a decimal or integer literal, e.g. `"0.15"` or `"3000"`,
    /// ready for an exact decimal parser.
    public func decimal(_ key: String) throws(TOMLFieldError) -> String {
        let value = try value(key)
        switch value.content {
        case .decimal(let text): return text
        case .integer(let number): return String(number)
        default: throw mismatch(key, "a decimal such as 0.15", value)
        }
    }

    public func bool(_ key: String) throws(TOMLFieldError) -> Bool {
        let value = try value(key)
        guard case .bool(let flag) = value.content else { throw mismatch(key, "true or false", value) }
        return flag
    }

    /// A local date as `YYYY-MM-DD`.
    public func date(_ key: String) throws(TOMLFieldError) -> String {
        let value = try value(key)
        guard case .date(let text) = value.content else { throw mismatch(key, "a date such as 2026-01-01", value) }
        return text
    }

    /// An array whose elements are all strings.
    public func strings(_ key: String) throws(TOMLFieldError) -> [String] {
        let value = try value(key)
        guard case .array(let items) = value.content else { throw mismatch(key, "an array of strings", value) }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item.content else {
                throw TOMLFieldError(
                    file: file, line: item.line, path: "\(path(of: key))[\(index + 1)]",
                    message: "expected a string in quotes, found \(item.summary)")
            }
            result.append(text)
        }
        return result
    }

    /// A sub-table, `[contribution]` or `contribution = { ... }`, as a reader whose
    /// errors carry the longer path.
    public func table(_ key: String) throws(TOMLFieldError) -> TOMLReader {
        let value = try value(key)
        guard case .table(let inner) = value.content else {
            throw mismatch(key, "a table such as [\(path(of: key))]", value)
        }
        return TOMLReader(inner, path: path(of: key), file: file)
    }

    /// The elements of an array of tables, `[[benefits]]`, each with a path such as
    /// `benefits[2]`. Indexes are 1-based so they match the count of headers a
    /// person sees in the file.
    public func arrayOfTables(_ key: String) throws(TOMLFieldError) -> [TOMLReader] {
        let value = try value(key)
        guard case .array(let items) = value.content else {
            throw mismatch(key, "one or more [[\(path(of: key))]] tables", value)
        }
        var readers: [TOMLReader] = []
        for (index, item) in items.enumerated() {
            let itemPath = "\(path(of: key))[\(index + 1)]"
            guard case .table(let inner) = item.content else {
                throw TOMLFieldError(
                    file: file, line: item.line, path: itemPath, message: "expected a table, found \(item.summary)")
            }
            readers.append(TOMLReader(inner, path: itemPath, file: file))
        }
        return readers
    }

    // MARK: Optional values (absent is fine, the wrong type is not)

    public func optionalString(_ key: String) throws(TOMLFieldError) -> String? {
        table[key] == nil ? nil : try string(key)
    }

    public func optionalInteger(_ key: String) throws(TOMLFieldError) -> Int64? {
        table[key] == nil ? nil : try integer(key)
    }

    public func optionalDecimal(_ key: String) throws(TOMLFieldError) -> String? {
        table[key] == nil ? nil : try decimal(key)
    }

    public func optionalBool(_ key: String) throws(TOMLFieldError) -> Bool? {
        table[key] == nil ? nil : try bool(key)
    }

    public func optionalDate(_ key: String) throws(TOMLFieldError) -> String? {
        table[key] == nil ? nil : try date(key)
    }

    public func optionalStrings(_ key: String) throws(TOMLFieldError) -> [String]? {
        table[key] == nil ? nil : try strings(key)
    }

    public func optionalTable(_ key: String) throws(TOMLFieldError) -> TOMLReader? {
        table[key] == nil ? nil : try table(key)
    }

    /// The elements of an array of tables, or an empty list when the key is absent.
    public func optionalArrayOfTables(_ key: String) throws(TOMLFieldError) -> [TOMLReader] {
        table[key] == nil ? [] : try arrayOfTables(key)
    }

    // MARK: Typos

    /// Throws for the first key (in file order) not in `allowed`, suggesting the
    /// closest allowed key, so that `ratoi = 0.15` is reported rather than silently
    /// ignored in favour of a default.
    public func rejectUnknownKeys(allowed: Set<String>) throws(TOMLFieldError) {
        for entry in table.entries where !allowed.contains(entry.key) {
            var message = "unknown key"
            if let suggestion = closestKey(to: entry.key, in: allowed) {
                message += "; did you mean \(quotedIfNeeded(suggestion))?"
            } else if !allowed.isEmpty {
                message += "; expected one of " + allowed.sorted().map(quotedIfNeeded).joined(separator: ", ")
            } else {
                message += "; this table takes no keys"
            }
            throw TOMLFieldError(file: file, line: entry.value.line, path: path(of: entry.key), message: message)
        }
    }

    private func mismatch(_ key: String, _ expected: String, _ value: TOMLValue) -> TOMLFieldError {
        TOMLFieldError(
            file: file, line: value.line, path: path(of: key), message: "expected \(expected), found \(value.summary)")
    }
}

/// The allowed key within edit distance 2 of `key` (a typo), if exactly one is closest.
private func closestKey(to key: String, in allowed: Set<String>) -> String? {
    let scored = allowed.map { ($0, editDistance(Array(key), Array($0))) }.filter { $0.1 <= 2 }
    guard let best = scored.map(\.1).min() else { return nil }
    let winners = scored.filter { $0.1 == best }.map(\.0)
    return winners.count == 1 ? winners[0] : nil
}

/// Optimal string alignment distance: edits plus adjacent transpositions, so that
/// `ratoi` is one edit from `ratio`.
private func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous2 = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                current[j] = min(current[j], previous2[j - 2] + 1)
            }
        }
        (previous2, previous, current) = (previous, current, previous2)
    }
    return previous[b.count]
}

private func quotedIfNeeded(_ key: String) -> String {
    TOMLSyntax.isBareKey(key) ? key : TOMLSyntax.quoted(key)
}

/// Spelling rules shared by the parser's and the reader's messages.
enum TOMLSyntax {
    /// Whether `key` can be written without quotes in a TOML file.
    static func isBareKey(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    /// `text` in double quotes with quotes, backslashes and control characters escaped,
    /// as TOML would write it.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
