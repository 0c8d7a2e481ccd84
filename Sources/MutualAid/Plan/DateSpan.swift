import Ledger

/// A run of whole days, both ends included: a plan's coverage term (保障期) or its
/// enrolment window (参保登记期).
///
/// Both ends are inclusive because that is how plans are written ("1 January to
/// 31 December 2026", "20 October to 20 December"): a claim for a stay ending on
/// 31 December is inside the term.
public struct DateSpan: Sendable, Hashable, CustomStringConvertible {
    public let start: LedgerDate
    public let end: LedgerDate

    /// Creates the span; `start` must not be after `end` (plan validation reports it
    /// with the file's line instead of trapping, so this initialiser does not check).
    public init(start: LedgerDate, end: LedgerDate) {
        self.start = start
        self.end = end
    }

    /// The calendar year `year`, the default coverage term.
    public static func calendarYear(_ year: Int) throws(LedgerInputError) -> DateSpan {
        DateSpan(start: try LedgerDate(year: year, month: 1, day: 1), end: try LedgerDate(year: year, month: 12, day: 31))
    }

    /// Whether `date` lies within the span, ends included.
    public func contains(_ date: LedgerDate) -> Bool { start <= date && date <= end }

    /// Whether the two spans share a day.
    public func overlaps(_ other: DateSpan) -> Bool { start <= other.end && other.start <= end }

    /// The number of days in the span, ends included (365 for a common year).
    public var dayCount: Int { end.dayNumber - start.dayNumber + 1 }

    public var description: String { "\(start.text) to \(end.text)" }
}
