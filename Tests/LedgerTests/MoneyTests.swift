import Testing
@testable import Ledger

@Suite("Money")
struct MoneyTests {
    @Test("parses yuan exactly", arguments: [
        ("1234", Int64(123_400)), ("1234.5", 123_450), ("1234.50", 123_450), ("1,234.50", 123_450),
        ("0.01", 1), ("12,345,678.90", 1_234_567_890), (" 60 ", 6000), ("0", 0), ("1,000", 100_000),
    ])
    func parses(text: String, fen: Int64) throws {
        #expect(try Money(parsing: text).fen == fen)
    }

    @Test("parses a sign only where allowed")
    func signs() throws {
        #expect(try Money(parsing: "-0.01", allowSign: true).fen == -1)
        #expect(try Money(parsing: "+3", allowSign: true).fen == 300)
        #expect(throws: MoneyError.signNotAllowed(input: "-0.01")) { try Money(parsing: "-0.01") }
    }

    @Test("rejects what is not an exact amount, naming the input", arguments: [
        "1.234", "12,34", "1,2345.00", "abc", "1.2.3", "", ",123", "1e5", "１２", "99999999999999999",
    ])
    func rejects(text: String) {
        #expect(throws: MoneyError.self) { try Money(parsing: text) }
    }

    @Test("errors name the input")
    func errorNamesInput() {
        do {
            _ = try Money(parsing: "1.234")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("\"1.234\""))
            #expect(error.description.contains("two decimals"))
        }
    }

    @Test("a posting amount must be positive")
    func positive() {
        #expect(throws: MoneyError.notPositive(input: "0.00")) { try Money(parsingPositive: "0.00") }
    }

    @Test("formats with thousands separators and every fen", arguments: [
        (Int64(0), "0.00"), (1, "0.01"), (-1, "-0.01"), (123_450, "1,234.50"), (100_000_000, "1,000,000.00"), (99, "0.99"),
        (Int64.max, "92,233,720,368,547,758.07"),
    ])
    func formats(fen: Int64, text: String) {
        #expect(Money(fen: fen).formatted() == text)
    }

    @Test("round trip through text")
    func roundTrip() throws {
        for fen: Int64 in [0, 1, 10, 99, 100, 12_345, 100_000, 987_654_321] {
            #expect(try Money(parsing: Money(fen: fen).formatted()).fen == fen)
        }
    }

    @Test("arithmetic is checked")
    func overflow() throws {
        #expect(try Money(fen: 1).adding(Money(fen: 2)).fen == 3)
        #expect(throws: MoneyError.self) { try Money(fen: .max).adding(Money(fen: 1)) }
        #expect(throws: MoneyError.self) { try Money(fen: .min).subtracting(Money(fen: 1)) }
        #expect(throws: MoneyError.self) { try Money(fen: .min).negated() }
    }

    @Test("fields are trimmed of tabs and every Unicode space separator, and only at the ends")
    func trimmingSpaces() {
        #expect(" 1,234.50\t".trimmingSpaces() == "1,234.50")
        #expect("\u{3000}张 三\u{A0}".trimmingSpaces() == "张 三")
        #expect("\u{2003}\u{202F}".trimmingSpaces() == "")
        #expect("".trimmingSpaces() == "")
        #expect("a\nb".trimmingSpaces() == "a\nb")
    }
}
