import Foundation
import Testing
@testable import Ledger

@Suite("ledger dates")
struct LedgerDateTests {
    @Test("text is YYYY-MM-DD for every day from 1900 to 2100, and parses back to the same date")
    func textRoundTrips() throws {
        let first = try LedgerDate("1900-01-01").dayNumber, last = try LedgerDate("2100-12-31").dayNumber
        for day in first...last {
            let date = LedgerDate(dayNumber: day)
            let expected = String(format: "%04d-%02d-%02d", date.year, date.month, date.day)
            #expect(date.text == expected)
            #expect(try LedgerDate(date.text) == date)
        }
    }

    @Test("a date past year 9999, reachable only by adding days, is still written in full")
    func textBeyondFourDigitYears() throws {
        #expect(try LedgerDate("9999-12-31").adding(days: 1).text == "10000-01-01")
        let early = try LedgerDate("1900-01-01").adding(days: -366 * 1000)
        #expect(early.year < 1000 && early.text == "\(early.year)-\(String(format: "%02d-%02d", early.month, early.day))")
    }
}
