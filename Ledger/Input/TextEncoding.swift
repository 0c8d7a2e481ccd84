#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The character encodings Huzhu accepts in imported text files.
///
/// Member and claim lists arrive from union offices as spreadsheet exports. Recent
/// tools write UTF-8, but spreadsheets on Chinese-locale Windows still save "CSV"
/// as GB18030 (often labelled GBK or ANSI), so both must be read without asking
/// the operator which one they have.
public enum TextEncoding: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case utf8 = "UTF-8"
    case gb18030 = "GB18030"

    public var description: String { rawValue }

    /// The byte order mark that announces this encoding at the start of a file.
    ///
    /// Excel writes the UTF-8 mark when saving "CSV UTF-8"; the GB18030 mark is rare
    /// but unambiguous, so both are honoured and stripped.
    public var byteOrderMark: [UInt8] {
        switch self {
        case .utf8: [0xEF, 0xBB, 0xBF]
        case .gb18030: [0x84, 0x31, 0x95, 0x33]
        }
    }

    /// The encoding announced by a byte order mark at the start of `bytes`, with the
    /// mark's length so the caller can skip it; `nil` when there is no mark.
    public static func byteOrderMark(at bytes: some Collection<UInt8>) -> (encoding: TextEncoding, length: Int)? {
        for encoding in allCases where bytes.starts(with: encoding.byteOrderMark) {
            return (encoding, encoding.byteOrderMark.count)
        }
        return nil
    }

    /// Guesses the encoding of a complete text: UTF-8 when the bytes (after any byte
    /// order mark) are valid UTF-8, otherwise GB18030.
    ///
    /// Valid UTF-8 is a strong signal: Chinese text in GB18030 almost never happens
    /// to form valid UTF-8 sequences, while the reverse test (is it valid GB18030?)
    /// accepts nearly any byte soup.
    public static func detect(_ bytes: [UInt8]) -> TextEncoding {
        if let mark = byteOrderMark(at: bytes) { return mark.encoding }
        return bytes.withUnsafeBufferPointer { detect($0, isComplete: true) } ?? .utf8
    }

    /// Guesses the encoding from a prefix of a text, for streaming readers.
    ///
    /// Returns `nil` while the bytes carry no evidence either way (they are all
    /// ASCII, which both encodings spell identically), so the caller can look at
    /// the next chunk. When `isComplete` is false, a multi-byte sequence cut off at
    /// the end of the chunk is not held against UTF-8.
    ///
    /// Bytes that are not UTF-8 after a whole line of non-ASCII UTF-8 text leave the file
    /// UTF-8: it began in UTF-8 (a header of Chinese column names, say), and the row with the
    /// bad bytes is refused by its number, rather than the whole file read as GB18030 and
    /// its first line blamed. GB18030 text forming a whole line of valid UTF-8 by chance
    /// is not a real file.
    public static func detect(_ bytes: UnsafeBufferPointer<UInt8>, isComplete: Bool) -> TextEncoding? {
        switch UTF8Check.classify(bytes, allowingTruncatedEnd: !isComplete) {
        case .ascii: nil
        case .utf8: .utf8
        case .invalid: UTF8Check.beginsWithNonASCIIUTF8Line(bytes) ? .utf8 : .gb18030
        }
    }

    /// Decodes `bytes` in this encoding, or returns `nil` when they are not valid text
    /// in it (so the caller can say which row held the bad bytes).
    public func decode(_ bytes: [UInt8]) -> String? {
        let decoder = TextDecoder(self)
        return bytes.withUnsafeBufferPointer { decoder.decode($0) }
    }

    /// Encodes `string` in this encoding, or returns `nil` when a character has no
    /// representation in it (impossible for these two Unicode encodings, but iconv
    /// can still fail if the C library lacks the GB18030 tables).
    ///
    /// Used to write payment files for banks whose import tools expect GB18030.
    public func encode(_ string: String) -> [UInt8]? {
        switch self {
        case .utf8:
            return Array(string.utf8)
        case .gb18030:
            guard let converter = IconvConverter(from: "UTF-8", to: "GB18030") else { return nil }
            return Array(string.utf8).withUnsafeBufferPointer { converter.convert($0) }
        }
    }
}

/// Turns the raw bytes of one field into a `String`, reusing one iconv handle for
/// the whole file because opening a converter per field would dominate the cost of
/// reading a million-row GB18030 export.
///
/// Not `Sendable`: an iconv handle carries conversion state and must not be shared
/// between threads.
final class TextDecoder {
    let encoding: TextEncoding
    private var converter: IconvConverter?
    private var converterUnavailable = false

    init(_ encoding: TextEncoding) {
        self.encoding = encoding
    }

    /// The decoded text, or `nil` when the bytes are not valid in `encoding`.
    func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        // ASCII means the same in both encodings, and most fields (amounts, dates,
        // ID numbers) are ASCII, so they skip iconv entirely, and validation too: ASCII is
        // valid UTF-8, and `String(validating:)` costs several times the check (it runs
        // unspecialised, looking up generic metadata per field).
        if UTF8Check.isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
        if encoding == .utf8 { return String(validating: bytes, as: UTF8.self) }
        if converter == nil && !converterUnavailable {
            converter = IconvConverter(from: encoding.rawValue, to: "UTF-8")
            converterUnavailable = converter == nil
        }
        guard let converter, let utf8 = converter.convert(bytes) else { return nil }
        return String(validating: utf8, as: UTF8.self)
    }
}

/// A thin owner of a C library iconv handle.
///
/// The standard library cannot decode GB18030 and Foundation's support differs
/// between platforms, whereas glibc (and Darwin's libiconv) ship complete,
/// well-tested GB18030 tables.
final class IconvConverter {
    private let handle: iconv_t

    /// Opens a converter, or returns `nil` when the C library does not know one of
    /// the encodings (for example a minimal container without gconv modules).
    init?(from source: String, to target: String) {
        let handle = iconv_open(target, source)
        guard let handle, Int(bitPattern: handle) != -1 else { return nil }
        self.handle = handle
    }

    deinit {
        iconv_close(handle)
    }

    /// Converts a complete text, or returns `nil` when it contains a byte sequence
    /// that is invalid or incomplete in the source encoding.
    func convert(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard let base = input.baseAddress, input.count > 0 else { return [] }
        // Reset any shift state left by a previous, failed conversion.
        _ = iconv(handle, nil, nil, nil, nil)
        // GB18030 → UTF-8 grows at most 3:2 and UTF-8 → GB18030 at most 4:3, so
        // twice the input plus a little is always enough; E2BIG is handled anyway.
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: base)
            .assumingMemoryBound(to: CChar.self)
        var inLeft = input.count
        var produced = 0
        while true {
            let capacity = output.count - produced
            var outLeft = capacity
            let result = output.withUnsafeMutableBytes { raw -> Int in
                var outPointer: UnsafeMutablePointer<CChar>? = raw.baseAddress!
                    .advanced(by: produced)
                    .assumingMemoryBound(to: CChar.self)
                return iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft)
            }
            produced += capacity - outLeft
            if result != -1 { break }
            guard errno == E2BIG else { return nil }
            output.append(contentsOf: repeatElement(0, count: output.count))
        }
        output.removeSubrange(produced...)
        return output
    }
}

/// A fast UTF-8 validity check that, unlike `String(validating:)`, can tell "all
/// ASCII" apart from "valid UTF-8" and can tolerate a sequence cut off by a chunk
/// boundary.
enum UTF8Check {
    enum Verdict { case ascii, utf8, invalid }

    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        firstNonASCII(bytes, from: 0) == bytes.count
    }

    /// The index of the first byte ≥ 0x80 at or after `start`, or `bytes.count`.
    static func firstNonASCII(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var i = start
        let n = bytes.count
        // Eight bytes at a time: the high bit of any byte means non-ASCII.
        let raw = UnsafeRawPointer(base)
        while i + 8 <= n {
            if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
            i += 8
        }
        while i < n && base[i] < 0x80 { i += 1 }
        return i
    }

    /// Whether the bytes up to the end of the first line holding a non-ASCII byte are valid
    /// UTF-8 (and that line ends within `bytes`).
    static func beginsWithNonASCIIUTF8Line(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let first = firstNonASCII(bytes, from: 0)
        guard let end = bytes[first...].firstIndex(of: 0x0A) else { return false }
        return classify(UnsafeBufferPointer(rebasing: bytes[..<end]), allowingTruncatedEnd: false) == .utf8
    }

    static func classify(_ bytes: UnsafeBufferPointer<UInt8>, allowingTruncatedEnd: Bool) -> Verdict {
        let n = bytes.count
        var i = firstNonASCII(bytes, from: 0)
        if i == n { return .ascii }
        var sawCompleteSequence = false
        while i < n {
            let lead = bytes[i]
            if lead < 0x80 {
                i = firstNonASCII(bytes, from: i)
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return .invalid
            }
            for k in 1..<length {
                if i + k >= n {
                    // Cut off by the end of the chunk: undecided, not invalid.
                    guard allowingTruncatedEnd else { return .invalid }
                    return sawCompleteSequence ? .utf8 : .ascii
                }
                let byte = bytes[i + k]
                let (lo, hi): (UInt8, UInt8) = k == 1 ? (low, high) : (0x80, 0xBF)
                if byte < lo || byte > hi { return .invalid }
            }
            sawCompleteSequence = true
            i += length
        }
        return .utf8
    }
}
