import Ledger
import Testing
@testable import MutualAid

@Suite("member.enrolled data")
struct MemberEnrolledEventTests {
    @Test("an enrolment's event bytes are its data encoded canonically, new or continuing")
    func bytes() throws {
        for isNew in [true, false] {
            let data = MemberEnrolledEvent(member: MemberID(enrolmentSeq: 4_660).value, unit: "U-机械厂", planYear: 2026,
                                          date: try LedgerDate("2025-11-01"), coverageStart: "2024-01-01", isNew: isNew, sex: "female",
                                          commitment: String(repeating: "ab", count: 32))
            let encoded = try data.encodedDraft()
            #expect(encoded.encodedData == (try CanonicalJSON.encode(.object(try data.draft().data))))
            #expect(encoded.idempotencyKey == "enrol:2026:m000000001234")
            #expect(encoded.kind == MutualAidKinds.memberEnrolled)
            #expect(encoded.date == (try LedgerDate("2025-11-01")))
        }
    }
}
