import Foundation

/// Canonical JSON per RFC 8785 (JCS), restricted to what Huzhu writes: objects with
/// keys sorted by UTF-16 code units, no whitespace, strings NFC-normalised and escaped
/// as ECMAScript's `JSON.stringify` does, integers only.
///
/// Two parties that agree on a value produce the same bytes, so the bytes can be hashed
/// and signed. The rules are written out in docs/FORMAT.md.
public enum CanonicalJSON {
    /// The canonical bytes of `value`.
    ///
    /// Throws when an integer is outside ±(2^53 − 1): JCS would write it as a rounded
    /// double, and a ledger must not round.
    public static func encode(_ value: JSONValue) throws(CanonicalJSONError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        try write(value, into: &output)
        return output
    }

    public static func write(_ value: JSONValue, into output: inout [UInt8]) throws(CanonicalJSONError) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case let .bool(flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case let .integer(number):
            guard number.magnitude <= JSONValue.integerMagnitudeMax.magnitude else {
                throw .integerOutOfRange(number)
            }
            writeInteger(number, into: &output)
        case let .string(text): writeString(text, into: &output)
        case let .array(elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                try write(element, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case let .object(members) where members.keys.allSatisfy(isASCII):
            // ASCII keys need no normalising, and their UTF-16 order is byte order.
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeString(member.key, into: &output)
                output.append(UInt8(ascii: ":"))
                try write(member.value, into: &output)
            }
            output.append(UInt8(ascii: "}"))
        case let .object(members):
            output.append(UInt8(ascii: "{"))
            // Normalise keys first: the sort order is that of the NFC forms, by UTF-16 code
            // units. For ASCII keys (nearly all of them) that order is plain byte order.
            let keys = members.keys.map { (key: normalized($0), original: $0) }
                .sorted { isASCII($0.key) && isASCII($1.key) ? $0.key < $1.key : $0.key.utf16.lexicographicallyPrecedes($1.key.utf16) }
            for (index, key) in keys.enumerated() {
                if index > 0 {
                    guard key.key != keys[index - 1].key else { throw .duplicateKey(key.key) }
                    output.append(UInt8(ascii: ","))
                }
                writeString(key.key, into: &output)
                output.append(UInt8(ascii: ":"))
                try write(members[key.original]!, into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Appends the canonical form of one integer: for domains that write an event's data
    /// straight to bytes instead of building a `JSONValue` (see `EncodedDraft`).
    public static func write(_ number: Int64, into output: inout [UInt8]) throws(CanonicalJSONError) {
        guard number.magnitude <= JSONValue.integerMagnitudeMax.magnitude else { throw .integerOutOfRange(number) }
        writeInteger(number, into: &output)
    }

    /// Appends the canonical form of one string (NFC, quoted, escaped), as `write(_:into:)`
    /// of a `JSONValue.string` would.
    public static func write(_ text: String, into output: inout [UInt8]) {
        writeString(text, into: &output)
    }

    static func writeInteger(_ number: Int64, into output: inout [UInt8]) {
        if number == 0 { output.append(UInt8(ascii: "0")); return }
        var magnitude = number.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            }
            if number < 0 { output.append(UInt8(ascii: "-")) }
            for index in stride(from: count - 1, through: 0, by: -1) { output.append(buffer[index]) }
        }
    }

    static func writeString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var normal = normalized(text)
        // Fast path: nothing to escape, copy the bytes at once.
        let copied = normal.withUTF8 { buffer -> Bool in
            guard !buffer.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            output.append(contentsOf: buffer)
            return true
        }
        if copied {
            output.append(UInt8(ascii: "\""))
            return
        }
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        for byte in normal.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(UInt8(ascii: "\\")); output.append(byte)
            case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\")); output.append(byte)
            case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0C: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x00..<0x20:
                output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                           hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// The NFC form of `text`. ASCII is always NFC, and so is text of ASCII and CJK
    /// ideographs only, which spares names, memos and addresses the cost of
    /// Foundation's normalisation.
    public static func normalized(_ text: String) -> String {
        if isASCII(text) || isASCIIOrCJK(text) { return text }
        return text.precomposedStringWithCanonicalMapping
    }

    /// Whether every scalar is ASCII or a CJK unified ideograph (U+3400–U+4DBF,
    /// U+4E00–U+9FFF). None of these decomposes, has a combining class or composes with
    /// a neighbour, so such text is its own NFC form.
    static func isASCIIOrCJK(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.value < 0x80 || (0x3400...0x4DBF).contains($0.value) || (0x4E00...0x9FFF).contains($0.value) }
    }

    /// Whether `first` sorts before `second` in canonical key order (UTF-16 code units;
    /// for ASCII, byte order).
    static func precedes(_ first: String, _ second: String) -> Bool {
        isASCII(first) && isASCII(second) ? first.utf8.lexicographicallyPrecedes(second.utf8)
            : first.utf16.lexicographicallyPrecedes(second.utf16)
    }

    static func isASCII(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy { $0 < 0x80 } } ?? text.utf8.allSatisfy { $0 < 0x80 }
    }
}

/// Why a value has no canonical form, or why bytes are not valid canonical JSON.
public enum CanonicalJSONError: Error, Equatable, CustomStringConvertible {
    case integerOutOfRange(Int64)
    case duplicateKey(String)
    case syntax(offset: Int, reason: String)

    public var description: String {
        switch self {
        case let .integerOutOfRange(number):
            return "the integer \(number) is outside ±(2^53 − 1), which canonical JSON cannot write exactly"
        case let .duplicateKey(key):
            return "the key \"\(key)\" appears twice in one object"
        case let .syntax(offset, reason):
            return "invalid JSON at byte \(offset): \(reason)"
        }
    }
}
