import Foundation

/// When an event was recorded: UTC, RFC 3339, whole seconds ("2026-11-21T23:52:17Z").
public struct EventTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let text: String

    public init(_ text: String) throws(LedgerInputError) {
        let bytes = Array(text.utf8)
        let shape = "dddd-dd-ddTdd:dd:ddZ"
        guard bytes.count == shape.utf8.count,
              zip(bytes, shape.utf8).allSatisfy({ byte, pattern in
                  pattern == UInt8(ascii: "d") ? (byte >= 0x30 && byte <= 0x39) : byte == pattern
              }),
              (try? LedgerDate(String(text.prefix(10)))) != nil,
              let hour = Int(text.dropFirst(11).prefix(2)), let minute = Int(text.dropFirst(14).prefix(2)),
              let second = Int(text.dropFirst(17).prefix(2)), hour < 24, minute < 60, second < 60
        else {
            throw LedgerInputError(field: "time", value: text, reason: "expected UTC time like 2026-11-21T23:52:17Z")
        }
        self.text = text
    }

    /// The current time. `HUZHU_NOW` (an RFC 3339 UTC time) overrides the clock, so a
    /// demo or a test can record a past year as it happened.
    public static func now(_ date: Date = Date()) -> EventTime {
        if let fixed = fixedNow { return fixed }
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let text = "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
        return EventTime(trusted: text)
    }

    init(trusted text: String) { self.text = text }

    /// `HUZHU_NOW`, read once: reading the environment builds a dictionary, too costly per event.
    private static let fixedNow: EventTime? = ProcessInfo.processInfo.environment["HUZHU_NOW"].flatMap { try? EventTime($0) }

    /// The calendar date in UTC+8, the books' time zone.
    public var localDate: LedgerDate {
        let utcDate = try! LedgerDate(String(text.prefix(10)))
        let hour = Int(text.dropFirst(11).prefix(2)) ?? 0
        return hour + 8 >= 24 ? utcDate.adding(days: 1) : utcDate
    }

    public var description: String { text }
    public static func < (lhs: EventTime, rhs: EventTime) -> Bool { lhs.text < rhs.text }
}

