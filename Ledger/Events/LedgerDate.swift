import Foundation

/// A business date (the day an entry belongs to in the books), written YYYY-MM-DD.
///
/// Distinct from an event's `time`, which is when it was recorded: a claim paid on
/// 30 September may be recorded on 2 October, and belongs to September's books.
public struct LedgerDate: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) throws(LedgerInputError) {
        guard (1900...9999).contains(year), (1...12).contains(month),
              (1...LedgerDate.daysIn(year: year, month: month)).contains(day)
        else {
            throw LedgerInputError(field: "date", value: "\(year)-\(month)-\(day)", reason: "not a calendar date")
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses "2026-10-31". Also accepts "2026/10/31", as spreadsheets in China write it.
    public init(_ text: String) throws(LedgerInputError) {
        // Fast path for the canonical form, which every event and most files use.
        var copy = text
        let canonical: (Int, Int, Int)? = copy.withUTF8 { bytes in
            guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
            var value = 0
            var parts: [Int] = []
            for (index, byte) in bytes.enumerated() where index != 4 && index != 7 {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                if index == 3 || index == 6 || index == 9 { parts.append(value); value = 0 }
            }
            return (parts[0], parts[1], parts[2])
        }
        if let (year, month, day) = canonical {
            do { try self.init(year: year, month: month, day: day) } catch {
                throw LedgerInputError(field: "date", value: text, reason: "there is no such day")
            }
            return
        }
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == "/" })
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else {
            throw LedgerInputError(field: "date", value: text, reason: "expected a date like 2026-10-31")
        }
        do {
            try self.init(year: year, month: month, day: day)
        } catch {
            throw LedgerInputError(field: "date", value: text, reason: "there is no such day")
        }
    }

    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Today in UTC+8, the time zone every union office in China keeps its books in.
    public static func today(now: Date = Date()) -> LedgerDate {
        var seconds = time_t(now.timeIntervalSince1970) + 8 * 3600
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return try! LedgerDate(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))
    }

    /// `2026-10-31`. Written digit by digit into a small string (no allocation): every
    /// event and every dated row of a bulk import asks for it.
    public var text: String {
        guard (1000...9999).contains(year) else {  // only `adding(days:)` can go this far
            let m = month < 10 ? "0\(month)" : "\(month)"
            let d = day < 10 ? "0\(day)" : "\(day)"
            return "\(year)-\(m)-\(d)"
        }
        return String(unsafeUninitializedCapacity: 10) { buffer in
            let zero = UInt8(ascii: "0")
            buffer[0] = zero + UInt8(year / 1000)
            buffer[1] = zero + UInt8(year / 100 % 10)
            buffer[2] = zero + UInt8(year / 10 % 10)
            buffer[3] = zero + UInt8(year % 10)
            buffer[4] = UInt8(ascii: "-")
            buffer[5] = zero + UInt8(month / 10)
            buffer[6] = zero + UInt8(month % 10)
            buffer[7] = UInt8(ascii: "-")
            buffer[8] = zero + UInt8(day / 10)
            buffer[9] = zero + UInt8(day % 10)
            return 10
        }
    }

    public var description: String { text }

    /// The accounting month this date falls in.
    public var period: Period { Period(trustedYear: year, month: month) }

    /// Days since 1970-01-01, for arithmetic such as waiting periods.
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public init(dayNumber: Int) {
        let z = dayNumber + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.year = y
        self.month = m
        self.day = d
    }

    public func adding(days: Int) -> LedgerDate { LedgerDate(dayNumber: dayNumber + days) }

    public static func < (lhs: LedgerDate, rhs: LedgerDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        try self.init(decoder.singleValueContainer().decode(String.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

/// An accounting month, written YYYY-MM: the unit that is closed and reported.
public struct Period: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init(_ text: String) throws(LedgerInputError) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), (1900...9999).contains(year), (1...12).contains(month)
        else {
            throw LedgerInputError(field: "month", value: text, reason: "expected a month like 2026-10")
        }
        self.year = year
        self.month = month
    }

    init(trustedYear year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    public var text: String { "\(year)-" + (month < 10 ? "0\(month)" : "\(month)") }
    public var description: String { text }
    public var firstDay: LedgerDate { try! LedgerDate(year: year, month: month, day: 1) }
    public var lastDay: LedgerDate { try! LedgerDate(year: year, month: month, day: LedgerDate.daysIn(year: year, month: month)) }
    public var next: Period { month == 12 ? Period(trustedYear: year + 1, month: 1) : Period(trustedYear: year, month: month + 1) }
    public var previous: Period { month == 1 ? Period(trustedYear: year - 1, month: 12) : Period(trustedYear: year, month: month - 1) }

    public static func < (lhs: Period, rhs: Period) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }
}
