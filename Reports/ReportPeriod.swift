import Ledger

/// The months a report covers: one month, a run of months, or a calendar year.
///
/// A union finance office reports by month (月报), by quarter or half-year, and by year
/// (年报); all three are a first and a last month, inclusive. Year-to-date figures
/// (本年累计) run from January of the last month's year, as the union forms print them.
///
/// ```swift
/// let october = ReportPeriod(month: try Period("2026-10"))
/// let firstHalf = try ReportPeriod(from: Period("2026-01"), through: Period("2026-06"))
/// ```
public struct ReportPeriod: Sendable, Hashable {
    public let first: Period
    public let last: Period

    /// The longest range one report covers. Charts draw one bar per month and a clerk reads
    /// the month columns by eye; ten years is well past any union report and keeps both small.
    public static let monthCountMax = 120

    public init(month: Period) {
        first = month
        last = month
    }

    /// A range of whole months, `first` through `last`.
    public init(from first: Period, through last: Period) throws(LedgerInputError) {
        guard first <= last else {
            throw LedgerInputError(field: "to", value: last.text, reason: "the range must end on or after its start \(first.text)")
        }
        self.first = first
        self.last = last
        guard months.count <= ReportPeriod.monthCountMax else {
            throw LedgerInputError(field: "to", value: last.text,
                                   reason: "a report covers at most \(ReportPeriod.monthCountMax) months; \(first.text) to \(last.text) is \(months.count)")
        }
    }

    /// January through December of `year`.
    public init(year: Int) throws(LedgerInputError) {
        guard (1900...9999).contains(year) else {
            throw LedgerInputError(field: "year", value: "\(year)", reason: "expected a year like 2026")
        }
        self.first = try Period(ReportPeriod.monthText(year: year, month: 1))
        self.last = try Period(ReportPeriod.monthText(year: year, month: 12))
    }

    /// The first day of the first month.
    public var startDate: LedgerDate { first.firstDay }
    /// The last day of the last month: balance-sheet figures are "as at" this day.
    public var endDate: LedgerDate { last.lastDay }
    /// The day before the period starts: opening balances are closing balances of this day.
    public var dayBeforeStart: LedgerDate { startDate.adding(days: -1) }

    /// Every month of the period, in order.
    public var months: [Period] {
        var result: [Period] = []
        var month = first
        while month <= last {
            result.append(month)
            month = month.next
        }
        return result
    }

    /// January of the last month's year through the last month (本年累计).
    public var yearToDate: ReportPeriod {
        let january = try! Period(ReportPeriod.monthText(year: last.year, month: 1))
        return try! ReportPeriod(from: january, through: last)
    }

    /// Whether the period is exactly one calendar year.
    public var isWholeYear: Bool { first.year == last.year && first.month == 1 && last.month == 12 }

    /// How the forms head the period: 2026年10月, 2026年1月至6月, 2026年度.
    public var chineseLabel: String {
        if first == last { return "\(first.year)年\(first.month)月" }
        if isWholeYear { return "\(first.year)年度" }
        if first.year == last.year { return "\(first.year)年\(first.month)月至\(last.month)月" }
        return "\(first.year)年\(first.month)月至\(last.year)年\(last.month)月"
    }

    /// The period as options would name it: 2026-10, 2026-01..2026-06, 2026.
    public var text: String {
        if first == last { return first.text }
        if isWholeYear { return "\(first.year)" }
        return "\(first.text)..\(last.text)"
    }

    static func monthText(year: Int, month: Int) -> String {
        "\(year)-" + (month < 10 ? "0\(month)" : "\(month)")
    }
}
