import Ledger

/// A member as the rules engine sees them when they claim: their sex and their enrolment
/// in each plan year. The caps they have used are read beside it (`ClaimRecords.capsUsed`).
public struct Claimant: Sendable {
    public struct Enrolment: Sendable {
        public let year: Int
        public let unit: String
        public let coverageStart: String
        public let leftOn: String?

        public init(year: Int, unit: String, coverageStart: String, leftOn: String?) {
            self.year = year
            self.unit = unit
            self.coverageStart = coverageStart
            self.leftOn = leftOn
        }
    }

    public let sex: MemberSex
    public let enrolments: [Enrolment]

    public init(sex: MemberSex, enrolments: [Enrolment]) {
        self.sex = sex
        self.enrolments = enrolments
    }

    func enrolment(year: Int) -> Enrolment? {
        enrolments.first { $0.year == year }
    }
}
