import Ledger
import Testing
@testable import Reports

@Suite("Report periods: month, range, year")
struct ReportPeriodTests {
    @Test("a month runs from its first to its last day; opening balances end the day before")
    func month() throws {
        let period = ReportPeriod(month: try Period("2026-02"))
        #expect(period.startDate.text == "2026-02-01")
        #expect(period.endDate.text == "2026-02-28")
        #expect(period.dayBeforeStart.text == "2026-01-31")
        #expect(period.chineseLabel == "2026年2月")
        #expect(period.yearToDate.first.text == "2026-01")
        #expect(period.yearToDate.last.text == "2026-02")
    }

    @Test("a range and a year are labelled as the union forms head them")
    func rangeAndYear() throws {
        let half = try ReportPeriod(from: Period("2026-01"), through: Period("2026-06"))
        #expect(half.months.count == 6)
        #expect(half.chineseLabel == "2026年1月至6月")
        let year = try ReportPeriod(year: 2026)
        #expect(year.chineseLabel == "2026年度")
        #expect(year.endDate.text == "2026-12-31")
        #expect(year.text == "2026")
        let across = try ReportPeriod(from: Period("2025-11"), through: Period("2026-02"))
        #expect(across.chineseLabel == "2025年11月至2026年2月")
        #expect(across.yearToDate.first.text == "2026-01")
    }

    @Test("a backwards or overlong range is refused with a reason")
    func refused() throws {
        #expect(throws: LedgerInputError.self) { try ReportPeriod(from: Period("2026-06"), through: Period("2026-01")) }
        #expect(throws: LedgerInputError.self) { try ReportPeriod(from: Period("2000-01"), through: Period("2026-01")) }
        #expect(throws: LedgerInputError.self) { try ReportPeriod(year: 12026) }
    }
}
