/// A strict JSON reader for event bodies and batch files.
///
/// Strict because what it reads is then hashed or posted: it refuses fractions and
/// exponents (money is integer fen), integers beyond ±(2^53 − 1), duplicate keys and
/// trailing bytes, instead of guessing.
public struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    /// Whether everything read so far is in the form `CanonicalJSON` writes: no
    /// whitespace, keys in order, the encoder's escapes only, NFC strings, no "-0".
    /// Noted while parsing, so a verifier learns it without encoding the value again.
    private var canonical = true

    /// How deeply objects and arrays may nest; event bodies use four levels.
    public static let depthMax = 64

    /// Parses one JSON value that spans all of `bytes`.
    public static func parse(_ bytes: some Collection<UInt8>) throws(CanonicalJSONError) -> JSONValue {
        try parseNotingForm(bytes).value
    }

    /// Parses one JSON value that spans all of `bytes`, and says whether the bytes are
    /// exactly what `CanonicalJSON.encode` writes for that value.
    public static func parseNotingForm(_ bytes: some Collection<UInt8>) throws(CanonicalJSONError) -> (value: JSONValue, isCanonical: Bool) {
        let array = Array(bytes)
        do {
            return try array.withUnsafeBufferPointer { buffer in
                var parser = JSONParser(bytes: buffer)
                parser.skipWhitespace()
                let value = try parser.parseValue(depth: 0)
                parser.skipWhitespace()
                guard parser.position == buffer.count else {
                    throw CanonicalJSONError.syntax(offset: parser.position, reason: "unexpected bytes after the value")
                }
                return (value, parser.canonical)
            }
        } catch let error as CanonicalJSONError {
            throw error
        } catch {
            throw .syntax(offset: 0, reason: "\(error)")
        }
    }

    public static func parse(_ text: String) throws(CanonicalJSONError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private func fail(_ reason: String) -> CanonicalJSONError { .syntax(offset: position, reason: reason) }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1; canonical = false
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws(CanonicalJSONError) -> JSONValue {
        guard depth < JSONParser.depthMax else { throw fail("nesting deeper than \(JSONParser.depthMax) levels") }
        guard position < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .integer(try parseInteger())
        default: throw fail("unexpected character")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(CanonicalJSONError) {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw fail("unexpected end of input") }
        let start = literal.utf8Start
        for index in 0..<count where bytes[position + index] != start[index] {
            throw fail("unexpected character")
        }
        position += count
    }

    private mutating func parseInteger() throws(CanonicalJSONError) -> Int64 {
        let start = position
        var negative = false
        if bytes[position] == UInt8(ascii: "-") { negative = true; position += 1 }
        guard position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") else {
            throw fail("a number needs digits")
        }
        if bytes[position] == UInt8(ascii: "0"), position + 1 < bytes.count,
           bytes[position + 1] >= UInt8(ascii: "0"), bytes[position + 1] <= UInt8(ascii: "9") {
            throw fail("numbers may not have leading zeros")
        }
        var magnitude: Int64 = 0
        while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
            magnitude = magnitude * 10 + Int64(bytes[position] - UInt8(ascii: "0"))
            guard magnitude <= JSONValue.integerMagnitudeMax else {
                position = start
                throw fail("an integer beyond ±(2^53 − 1) cannot be represented exactly")
            }
            position += 1
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") || bytes[position] == UInt8(ascii: "e")
            || bytes[position] == UInt8(ascii: "E") {
            throw fail("fractions and exponents are not allowed; amounts are integer fen")
        }
        if negative && magnitude == 0 { canonical = false }  // "-0" is written "0"
        return negative ? -magnitude : magnitude
    }

    private mutating func parseString() throws(CanonicalJSONError) -> String {
        position += 1  // opening quote
        let start = position
        var ascii = true
        // Fast path: no escapes.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<position])
                let text = String(decoding: raw, as: UTF8.self)
                if !ascii { noteForm(of: text, raw: raw) }
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            if byte >= 0x80 { ascii = false }
            position += 1
        }
        var scalars: [UInt8] = Array(bytes[start..<position])
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                let text = String(decoding: scalars, as: UTF8.self)
                if !ascii { scalars.withUnsafeBufferPointer { noteForm(of: text, raw: $0) } }
                return text
            case UInt8(ascii: "\\"):
                position += 1
                guard position < bytes.count else { throw fail("unterminated escape") }
                let escape = bytes[position]
                position += 1
                if escape == UInt8(ascii: "/") { canonical = false }  // the encoder writes "/" as is
                switch escape {
                case UInt8(ascii: "\""): scalars.append(0x22)
                case UInt8(ascii: "\\"): scalars.append(0x5C)
                case UInt8(ascii: "/"): scalars.append(0x2F)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    // The encoder writes \u00xx, lower-case, for control characters without a short escape only.
                    let digits = UnsafeBufferPointer(rebasing: bytes[position..<min(position + 4, bytes.count)])
                    var code = try parseHex4()
                    if code >= 0x20 || [0x08, 0x09, 0x0A, 0x0C, 0x0D].contains(code)
                        || digits.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "F") }) {
                        canonical = false
                    }
                    if (0xD800...0xDBFF).contains(code) {
                        guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                              bytes[position + 1] == UInt8(ascii: "u") else { throw fail("lone surrogate") }
                        position += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("lone surrogate") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(code) {
                        throw fail("lone surrogate")
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw fail("invalid code point") }
                    if code >= 0x80 { ascii = false }
                    scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: throw fail("unknown escape")
                }
            case 0x00..<0x20:
                throw fail("control characters must be escaped in strings")
            default:
                if byte >= 0x80 { ascii = false }
                scalars.append(byte)
                position += 1
            }
        }
        throw fail("unterminated string")
    }

    /// A string with bytes beyond ASCII is canonical only if those bytes are valid UTF-8
    /// (decoding repaired nothing) and already in NFC (the encoder normalises).
    private mutating func noteForm(of text: String, raw: UnsafeBufferPointer<UInt8>) {
        guard canonical else { return }
        if !text.utf8.elementsEqual(raw) || !CanonicalJSON.normalized(text).utf8.elementsEqual(text.utf8) { canonical = false }
    }

    private mutating func parseHex4() throws(CanonicalJSONError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw fail("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw fail("bad hex digit in \\u escape")
            }
            value = value * 16 + digit
            position += 1
        }
        return value
    }

    private mutating func parseArray(depth: Int) throws(CanonicalJSONError) -> JSONValue {
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard position < bytes.count else { throw fail("unterminated array") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(elements) }
            throw fail("expected ',' or ']' in array")
        }
    }

    private mutating func parseObject(depth: Int) throws(CanonicalJSONError) -> JSONValue {
        position += 1
        var members: [String: JSONValue] = [:]
        var previousKey: String?
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw fail("expected a key") }
            let key = try parseString()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
            position += 1
            skipWhitespace()
            let value = try parseValue(depth: depth + 1)
            guard members.updateValue(value, forKey: key) == nil else { throw .duplicateKey(key) }
            // Keys in strictly increasing order of UTF-16 code units, as the encoder sorts them.
            if canonical, let previousKey, !CanonicalJSON.precedes(previousKey, key) { canonical = false }
            previousKey = key
            skipWhitespace()
            guard position < bytes.count else { throw fail("unterminated object") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
            throw fail("expected ',' or '}' in object")
        }
    }
}
