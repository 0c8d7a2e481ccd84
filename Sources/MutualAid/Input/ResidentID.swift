#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A validated 18-character Chinese resident identity number (GB 11643-1999).
///
/// Members are identified to hospitals, insurers and banks by this number, so a
/// mistyped digit would attach a claim or payment to the wrong person. Validation
/// checks everything the number can check about itself: digits, region code,
/// embedded birth date and the ISO 7064 MOD 11-2 check character.
public struct ResidentID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// A calendar day, used for the embedded birth date and the "as of" day that
    /// rules out births in the future.
    public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
        public let year: Int
        public let month: Int
        public let day: Int

        /// Creates a day, or returns `nil` if it does not exist (e.g. 2023-02-29).
        public init?(year: Int, month: Int, day: Int) {
            guard (1...12).contains(month), (1...daysInMonth(year: year, month: month)).contains(day) else {
                return nil
            }
            self.year = year
            self.month = month
            self.day = day
        }

        /// Parses `YYYY-MM-DD`, the form plan files and reports use.
        public init?(iso text: String) {
            let u = Array(text.utf8)
            guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
                  let y = decimalValue(u[0..<4]), let m = decimalValue(u[5..<7]), let d = decimalValue(u[8..<10])
            else { return nil }
            self.init(year: y, month: m, day: d)
        }

        /// Today in the machine's local time zone (China Standard Time on the
        /// servers this runs on), so a baby born this morning is not "in the future".
        public static func today() -> Day {
            var now = time(nil)
            var parts = tm()
            localtime_r(&now, &parts)
            return Day(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))!
        }

        public static func < (a: Day, b: Day) -> Bool {
            (a.year, a.month, a.day) < (b.year, b.month, b.day)
        }

        /// `YYYY-MM-DD`.
        public var description: String {
            let y = String(year), m = String(month), d = String(day)
            return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-"
                + (m.count < 2 ? "0" : "") + m + "-" + (d.count < 2 ? "0" : "") + d
        }
    }

    /// The weight of each of the first 17 digits in the check sum (2^(18-i) mod 11).
    private static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    /// The check character for each value of the weighted sum mod 11.
    private static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// The normalised number: 18 characters, a lowercase `x` turned into `X`.
    public let value: String
    /// The date of birth in positions 7–14.
    public let birthDate: Day

    /// Validates `text` as a resident ID.
    ///
    /// - Parameter today: the day after which no one can have been born; defaults
    ///   to the current local day. Pass a fixed day for reproducible imports.
    public init(validating text: String, today: Day = .today()) throws(ResidentIDError) {
        if let (value, birth) = Self.validASCII(text, today: today) {
            self.value = value
            self.birthDate = birth
            return
        }
        // Anything else is checked character by character, to say what is wrong.
        let characters = Array(text)
        guard characters.count == 18 else { throw .wrongLength(characters.count) }
        var digits: [Int] = []
        for (offset, character) in characters.prefix(17).enumerated() {
            guard let digit = Self.digitValue(character) else {
                throw .nonDigit(position: offset + 1, found: character)
            }
            digits.append(digit)
        }
        let last = characters[17]
        guard Self.digitValue(last) != nil || last == "X" || last == "x" else {
            throw .invalidCheckCharacter(last)
        }
        guard digits[0] != 0 else { throw .regionStartsWithZero }

        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + digits[$1] } }
        let written = String(characters[6..<14])
        // No living member was born before 1800; an earlier year is a typo.
        guard let birth = Day(year: number(6..<10), month: number(10..<12), day: number(12..<14)),
              birth.year >= 1800 else {
            throw .impossibleBirthDate(written)
        }
        guard birth <= today else { throw .birthDateInFuture(birth: birth, today: today) }

        let expected = Self.checkCharacter(forDigits: digits)
        let found: Character = last == "x" ? "X" : last
        guard expected == found else { throw .checkCharacterMismatch(expected: expected, found: found) }

        self.value = String(characters.prefix(17)) + String(found)
        self.birthDate = birth
    }

    /// The check character that completes a 17-digit prefix, or `nil` if `prefix`
    /// is not exactly 17 ASCII digits. Handy for making valid test data.
    public static func checkCharacter(for prefix: String) -> Character? {
        let characters = Array(prefix)
        guard characters.count == 17 else { return nil }
        var digits: [Int] = []
        for character in characters {
            guard let digit = digitValue(character) else { return nil }
            digits.append(digit)
        }
        return checkCharacter(forDigits: digits)
    }

    /// The normalised number and birth date when `text` is a valid ID written in 18 ASCII
    /// characters (nearly every row of a roster), checked on its bytes; nil otherwise,
    /// and the caller then finds out why. The same rules as the checks above, in one pass.
    private static func validASCII(_ text: String, today: Day) -> (String, Day)? {
        var text = text
        return text.withUTF8 { bytes -> (String, Day)? in
            guard bytes.count == 18, bytes[0] != UInt8(ascii: "0") else { return nil }
            var sum = 0
            for index in 0..<17 {
                guard bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") else { return nil }
                sum += Int(bytes[index] - UInt8(ascii: "0")) * weights[index]
            }
            func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(bytes[$1] - UInt8(ascii: "0")) } }
            guard let birth = Day(year: number(6..<10), month: number(10..<12), day: number(12..<14)),
                  birth.year >= 1800, birth <= today else { return nil }
            let last = bytes[17]
            let expected = checkCharacters[sum % 11].asciiValue!
            if last == expected { return (String(decoding: bytes, as: UTF8.self), birth) }
            guard last == UInt8(ascii: "x"), expected == UInt8(ascii: "X") else { return nil }
            return (String(decoding: bytes[0..<17], as: UTF8.self) + "X", birth)
        }
    }

    private static func checkCharacter(forDigits digits: [Int]) -> Character {
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return checkCharacters[sum % 11]
    }

    private static func digitValue(_ character: Character) -> Int? {
        guard let ascii = character.asciiValue, ascii >= 48, ascii <= 57 else { return nil }
        return Int(ascii - 48)
    }

    /// The six-digit administrative region code where the number was issued.
    public var regionCode: Substring { value.prefix(6) }

    /// Whether the holder is female: the 17th digit (sequence code) is even for women.
    public var isFemale: Bool {
        let digit = value.utf8[value.utf8.index(value.utf8.startIndex, offsetBy: 16)] - 48
        return digit % 2 == 0
    }

    /// The number with all but the first 3 and last 4 characters hidden, e.g.
    /// `110***********1234`, for logs, reports and screens where the full number is
    /// not needed (PIPL treats identity numbers as sensitive personal information).
    public var masked: String {
        String(value.prefix(3)) + String(repeating: "*", count: 11) + String(value.suffix(4))
    }

    /// The masked form, so that interpolating an ID into a log message cannot leak it.
    public var description: String { masked }

    public static func < (a: ResidentID, b: ResidentID) -> Bool { a.value < b.value }
}

/// Why a string is not a valid resident ID. Messages never repeat the full number,
/// since they end up in logs and rejected-row files.
public enum ResidentIDError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The number of characters, when it is not 18.
    case wrongLength(Int)
    /// A character other than 0–9 among positions 1–17 (1-based position).
    case nonDigit(position: Int, found: Character)
    /// The 18th character is neither a digit nor X.
    case invalidCheckCharacter(Character)
    /// Region codes begin with a province digit 1–9.
    case regionStartsWithZero
    /// Positions 7–14 (as written) are not a real `YYYYMMDD` date from 1800 on.
    case impossibleBirthDate(String)
    /// The embedded birth date is later than the day of validation.
    case birthDateInFuture(birth: ResidentID.Day, today: ResidentID.Day)
    /// The check character does not match the other 17 digits: almost always a typo.
    case checkCharacterMismatch(expected: Character, found: Character)

    public var description: String {
        switch self {
        case .wrongLength(let count):
            "a resident ID must have 18 characters, but this one has \(count)"
        case .nonDigit(let position, let found):
            "a resident ID must have digits in positions 1–17, but position \(position) is '\(found)'"
        case .invalidCheckCharacter(let found):
            "the last character of a resident ID must be a digit or X, but it is '\(found)'"
        case .regionStartsWithZero:
            "the region code (positions 1–6) of a resident ID cannot start with 0"
        case .impossibleBirthDate(let written):
            "the birth date \(written) in positions 7–14 of the resident ID is not a real calendar date"
        case .birthDateInFuture(let birth, let today):
            "the birth date \(birth) in positions 7–14 of the resident ID is after today (\(today))"
        case .checkCharacterMismatch(let expected, let found):
            "the check character of the resident ID should be \(expected) but is \(found); "
                + "a digit was probably mistyped"
        }
    }
}

private func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
}

private func decimalValue(_ bytes: ArraySlice<UInt8>) -> Int? {
    var value = 0
    for b in bytes {
        guard b >= 48, b <= 57 else { return nil }
        value = value * 10 + Int(b - 48)
    }
    return value
}
