import Testing
@testable import MutualAid

@Suite("Resident ID")
struct ResidentIDTests {
    private let today = ResidentID.Day(year: 2026, month: 3, day: 1)!

    /// A valid ID built from a 17-digit prefix with the check character helper.
    private func make(_ prefix: String) -> String {
        prefix + String(ResidentID.checkCharacter(for: prefix)!)
    }

    private func failure(_ text: String) -> ResidentIDError? {
        do {
            _ = try ResidentID(validating: text, today: today)
            return nil
        } catch {
            return error
        }
    }

    @Test func acceptsTheWellKnownExample() throws {
        let id = try ResidentID(validating: "11010519491231002X", today: today)
        #expect(id.value == "11010519491231002X")
        #expect(id.birthDate == ResidentID.Day(year: 1949, month: 12, day: 31))
        #expect(id.birthDate.description == "1949-12-31")
        #expect(id.isFemale)
        #expect(id.regionCode == "110105")
        #expect(id.masked == "110***********002X")
        #expect("\(id)" == "110***********002X")
    }

    @Test func normalisesLowercaseX() throws {
        let id = try ResidentID(validating: "11010519491231002x", today: today)
        #expect(id.value == "11010519491231002X")
        #expect(id == (try ResidentID(validating: "11010519491231002X", today: today)))
    }

    @Test func computesCheckCharacters() throws {
        #expect(ResidentID.checkCharacter(for: "11010519491231002") == "X")
        #expect(ResidentID.checkCharacter(for: "1101051949123100") == nil)
        #expect(ResidentID.checkCharacter(for: "1101051949123100A") == nil)
        let generated = [
            make("44030419850615123"), make("31011520000229001"), make("65010219700101987"),
            make("51010720260301000"),
        ]
        for text in generated {
            let id = try ResidentID(validating: text, today: today)
            #expect(id.value == text)
            #expect(id.masked.count == 18)
            #expect(id.masked.hasPrefix(String(text.prefix(3))) && id.masked.hasSuffix(String(text.suffix(4))))
        }
        #expect(try ResidentID(validating: generated[0], today: today).isFemale == false)
        #expect(try ResidentID(validating: generated[1], today: today).birthDate.description == "2000-02-29")
        #expect(try ResidentID(validating: generated[3], today: today).birthDate == today)
    }

    @Test func rejectsWrongLength() {
        #expect(failure("11010519491231002") == .wrongLength(17))
        #expect(failure("11010519491231002X1") == .wrongLength(19))
        #expect(failure("") == .wrongLength(0))
        #expect(failure("11010519491231002")?.description
            == "a resident ID must have 18 characters, but this one has 17")
    }

    @Test func rejectsNonDigits() {
        #expect(failure("1101A519491231002X") == .nonDigit(position: 5, found: "A"))
        #expect(failure("11010519491231X02X") == .nonDigit(position: 15, found: "X"))
        #expect(failure("11010519491231００2X")?.description
            == "a resident ID must have digits in positions 1–17, but position 15 is '０'")
        #expect(failure("11010519491231002Y") == .invalidCheckCharacter("Y"))
        #expect(failure("11010519491231002Y")?.description
            == "the last character of a resident ID must be a digit or X, but it is 'Y'")
    }

    @Test func rejectsRegionStartingWithZero() {
        #expect(failure(make("01010519491231002")) == .regionStartsWithZero)
        #expect(failure(make("01010519491231002"))?.description
            == "the region code (positions 1–6) of a resident ID cannot start with 0")
    }

    @Test func rejectsImpossibleBirthDates() {
        #expect(failure(make("11010519490231002")) == .impossibleBirthDate("19490231"))
        #expect(failure(make("11010520230229002")) == .impossibleBirthDate("20230229"))
        #expect(failure(make("11010519491301002")) == .impossibleBirthDate("19491301"))
        #expect(failure(make("11010517991231002")) == .impossibleBirthDate("17991231"))
        #expect(failure(make("11010519490231002"))?.description
            == "the birth date 19490231 in positions 7–14 of the resident ID is not a real calendar date")
    }

    @Test func rejectsBirthDatesInTheFuture() {
        let error = failure(make("11010520260302002"))
        #expect(error == .birthDateInFuture(birth: ResidentID.Day(year: 2026, month: 3, day: 2)!, today: today))
        #expect(error?.description
            == "the birth date 2026-03-02 in positions 7–14 of the resident ID is after today (2026-03-01)")
    }

    @Test func rejectsWrongCheckCharacter() {
        #expect(failure("110105194912310021") == .checkCharacterMismatch(expected: "X", found: "1"))
        #expect(failure("110105194912310021")?.description
            == "the check character of the resident ID should be X but is 1; a digit was probably mistyped")
        // A single mistyped digit is always caught.
        #expect(failure("11010519491231003X") != nil)
    }

    /// Valid IDs written in ASCII are accepted on a byte-level path, and everything else
    /// goes through the character-level checks: every one-character change of a valid
    /// number must be accepted or refused as the rules say.
    @Test func bytePathAgreesWithCharacterChecks() throws {
        let valid = make("11010519491231002")
        var accepted = 0
        for position in 0..<18 {
            for replacement in Array("0123456789Xx") {
                var characters = Array(valid)
                characters[position] = replacement
                let text = String(characters)
                // Accepted exactly when an independent reading of the rules says so.
                let viaBytes = try? ResidentID(validating: text, today: today)
                if let viaBytes { accepted += 1; #expect(viaBytes.value == text.uppercased()) }
                let digitsValid = characters.prefix(17).allSatisfy(\.isASCII) && characters.prefix(17).allSatisfy(\.isNumber)
                let expectedCheck = digitsValid ? ResidentID.checkCharacter(for: String(characters.prefix(17))) : nil
                let checkMatches = expectedCheck.map { String($0) == String(characters[17]).uppercased() } ?? false
                let dateValid = ResidentID.Day(year: Int(String(characters[6..<10])) ?? 0, month: Int(String(characters[10..<12])) ?? 0,
                                               day: Int(String(characters[12..<14])) ?? 0).map { $0.year >= 1800 && $0 <= today } ?? false
                #expect((viaBytes != nil) == (checkMatches && dateValid && characters[0] != "0"), "\(text)")
            }
        }
        #expect(accepted > 18)
    }

    @Test func parsesAndComparesDays() {
        #expect(ResidentID.Day(iso: "2026-02-28") == ResidentID.Day(year: 2026, month: 2, day: 28))
        #expect(ResidentID.Day(iso: "2026-02-29") == nil)
        #expect(ResidentID.Day(iso: "2026-2-28") == nil)
        #expect(ResidentID.Day(year: 2026, month: 1, day: 31)! < ResidentID.Day(year: 2026, month: 2, day: 1)!)
        let now = ResidentID.Day.today()
        #expect(now.year >= 2024)
    }
}
