import Ledger

/// What a benefit pays on: the base amount the deductible and ratio are applied to.
///
/// | basis | base | typical benefit |
/// |---|---|---|
/// | `ownShare` | the member's own share inside medical-insurance scope (政策范围内个人负担) | hospital, outpatient special diseases |
/// | `fixed` | a fixed amount | critical illness, accident death |
/// | `gradeTable` | the amount for the disability grade (伤残等级 1–10) | accident disability |
/// | `loss` | a property loss | house fire (10% of the loss up to 3,000) |
///
/// `fixed` and `gradeTable` are already the payout, so those benefits take no
/// deductible and no ratio; caps and the minimum payout still apply.
public enum PayoutBasis: Sendable, Hashable {
    case ownShare
    case fixed(Money)
    case gradeTable(DisabilityGradeTable)
    case loss

    /// The name used in plan files and published JSON: `ownShare`, `fixed`, `gradeTable`, `loss`.
    public var kind: Kind {
        switch self {
        case .ownShare: .ownShare
        case .fixed: .fixed
        case .gradeTable: .gradeTable
        case .loss: .loss
        }
    }

    /// The basis without its data, for naming and for messages.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case ownShare
        case fixed
        case gradeTable
        case loss

        /// Whether a deductible and a ratio make sense: only when the base is a cost
        /// or loss the member bore, not an amount the plan already fixed.
        public var takesDeductibleAndRatio: Bool { self == .ownShare || self == .loss }

        /// How an explanation names the base.
        var label: String {
            switch self {
            case .ownShare: "own share"
            case .fixed: "fixed amount"
            case .gradeTable: "grade"
            case .loss: "loss"
            }
        }
    }
}

/// The amounts an accident-disability benefit pays by disability grade, grade 1
/// (most severe) to grade 10 (least), e.g. 5,000 for grade 1 down to 500 for grade 10.
///
/// A table may leave grades out (a plan that pays grades 1–8 only); a claim for a
/// missing grade is rejected. Entries are kept sorted by grade so that the published
/// JSON has one order.
public struct DisabilityGradeTable: Sendable, Hashable {
    /// One row of the table.
    public struct Row: Sendable, Hashable {
        public let grade: Int
        public let amount: Money

        public init(grade: Int, amount: Money) {
            self.grade = grade
            self.amount = amount
        }
    }

    /// The grades a Chinese disability assessment uses (GB/T 16180): 1 to 10.
    public static let grades: ClosedRange<Int> = 1...10

    /// The rows sorted by grade.
    public let rows: [Row]

    /// Creates a table from rows in any order; validation of the plan checks the
    /// grades are 1–10, unique, and that amounts do not rise as the grade gets milder.
    public init(rows: [Row]) {
        self.rows = rows.sorted { $0.grade < $1.grade }
    }

    /// The amount for `grade`, or `nil` if the table does not pay it.
    public func amount(forGrade grade: Int) -> Money? {
        for row in rows where row.grade == grade { return row.amount }
        return nil
    }
}
