import Foundation
import Ledger
import Testing
@testable import MutualAid

/// The shipped example plans and small plan texts the other plan tests build on.
enum PlanFixtures {
    /// The repository's `plans/` folder, found from this file's path so that tests run
    /// from any working directory.
    static let plansDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("plans")

    static func path(_ name: String) -> String { plansDirectory.appendingPathComponent(name).path }

    static func text(_ name: String) throws -> String {
        try String(contentsOfFile: path(name), encoding: .utf8)
    }

    static func unitPaid() throws -> PlanRules { try PlanRulesLoader.load(contentsOf: path("unit-paid-2026.toml")) }
    static func ownShare() throws -> PlanRules { try PlanRulesLoader.load(contentsOf: path("own-share-15pct-2026.toml")) }

    /// A small valid plan; validation tests replace one line at a time, so its line
    /// numbers are fixed: see the comments.
    static let minimal = """
        id = "test-2026"
        name = "测试计划"
        year = 2026
        largeAmountThreshold = "10000"

        [enrolment]
        opens = 2025-10-20
        closes = 2025-12-20

        [contribution]
        rate = "60"
        unit = "30"
        unionSubsidy = "30"

        [[benefits]]
        code = "medical"
        name = "医疗互助金"
        expenseAccount = "50201"
        basis = "ownShare"
        ratio = 0.15
        """
    // Lines: 1 id, 2 name, 3 year, 4 largeAmountThreshold, 6 [enrolment], 7 opens, 8 closes,
    // 10 [contribution], 11 rate, 12 unit, 13 unionSubsidy, 15 [[benefits]], 16 code, 17 name,
    // 18 expenseAccount, 19 basis, 20 ratio.

    /// `minimal` with line `line` (1-based) replaced by `replacement` (which may hold
    /// several lines, or be empty to blank the line).
    static func minimal(replacing line: Int, with replacement: String) -> String {
        var lines = minimal.components(separatedBy: "\n")
        lines[line - 1] = replacement
        return lines.joined(separator: "\n")
    }

    /// `minimal` with `extra` appended after a blank line.
    static func minimal(appending extra: String) -> String { minimal + "\n\n" + extra }

    static func date(_ text: String) -> LedgerDate { try! LedgerDate(text) }
    static func yuan(_ text: String) -> Money { try! Money(parsing: text) }
}

@Suite("Plan rules: loading the shipped plans")
struct PlanLoadingTests {
    @Test func loadsTheUnitPaidPlan() throws {
        let plan = try PlanFixtures.unitPaid()
        #expect(plan.id == "unit-paid-2026")
        #expect(plan.year == 2026)
        #expect(plan.term == DateSpan(start: PlanFixtures.date("2026-01-01"), end: PlanFixtures.date("2026-12-31")))
        #expect(plan.enrolment == DateSpan(start: PlanFixtures.date("2025-10-20"), end: PlanFixtures.date("2025-12-20")))
        #expect(plan.contribution == ContributionSplit(rate: Money(fen: 6_000), unit: Money(fen: 6_000),
                                                       unionSubsidy: .zero, member: .zero))
        #expect(plan.claimDeadline == PlanFixtures.date("2027-03-31"))
        #expect(plan.largeAmountThreshold == Money(fen: 1_000_000))
        #expect(plan.paymentLimitDays == 30)
        #expect(plan.annualCap == nil)
        #expect(plan.accounts == .standard)
        #expect(plan.benefits.map(\.code) == ["hospital", "special-outpatient", "critical-illness", "womens-special"])

        let hospital = try #require(plan.benefit(code: "hospital"))
        #expect(hospital.name == "住院医疗互助金")
        #expect(hospital.expenseAccount == (try AccountCode("50201")))
        #expect(hospital.basis == .ownShare)
        #expect(hospital.ratio == (try Ratio(numerator: 1, denominator: 2)))
        #expect(hospital.deductible == .zero)
        #expect(hospital.annualCap == Money(fen: 3_020_000))
        #expect(hospital.documents.count == 5)

        let critical = try #require(plan.benefit(code: "critical-illness"))
        #expect(critical.basis == .fixed(Money(fen: 1_500_000)))
        #expect(critical.annualCap == Money(fen: 1_500_000))
        #expect(critical.waitingDays == 90)
        #expect(critical.ratio == .one)

        let womens = try #require(plan.benefit(code: "womens-special"))
        #expect(womens.basis == .fixed(Money(fen: 2_000_000)))
        #expect(womens.eligibility == .female)
        #expect(womens.expenseAccount == (try AccountCode("50204")))
    }

    @Test func loadsTheOwnSharePlanWithItsDefaults() throws {
        let plan = try PlanFixtures.ownShare()
        #expect(plan.id == "own-share-15pct-2026")
        // No [term] and no claimDeadline: the calendar year and 31 March after it.
        #expect(plan.term == (try DateSpan.calendarYear(2026)))
        #expect(plan.claimDeadline == PlanFixtures.date("2027-03-31"))
        #expect(plan.contribution == ContributionSplit(rate: Money(fen: 6_000), unit: Money(fen: 3_000),
                                                       unionSubsidy: Money(fen: 3_000), member: .zero))
        #expect(plan.largeAmountThreshold == Money(fen: 500_000))

        let medical = try #require(plan.benefit(code: "medical"))
        #expect(medical.ratio == (try Ratio(numerator: 3, denominator: 20)))
        #expect(medical.minimumPayout == Money(fen: 2_000))
        #expect(medical.annualCap == Money(fen: 600_000))

        let disability = try #require(plan.benefit(code: "accident-disability"))
        guard case .gradeTable(let table) = disability.basis else {
            Issue.record("accident-disability is not a grade table")
            return
        }
        #expect(table.rows.map(\.grade) == Array(1...10))
        #expect(table.amount(forGrade: 1) == Money(fen: 500_000))
        #expect(table.amount(forGrade: 10) == Money(fen: 50_000))

        #expect(plan.benefit(code: "accident-death")?.basis == .fixed(Money(fen: 2_000_000)))
        let fire = try #require(plan.benefit(code: "house-fire"))
        #expect(fire.basis == .loss)
        #expect(fire.ratio == (try Ratio(numerator: 1, denominator: 10)))
        #expect(fire.perClaimCap == Money(fen: 300_000))
    }

    @Test func planHelpersApplyTheThresholdAndPaymentLimit() throws {
        let plan = try PlanFixtures.unitPaid()
        #expect(plan.needsTwoApprovers(Money(fen: 1_000_000)))
        #expect(!plan.needsTwoApprovers(Money(fen: 999_999)))
        #expect(plan.paymentDue(approvedOn: PlanFixtures.date("2026-12-15")) == PlanFixtures.date("2027-01-14"))
        let critical = try #require(plan.benefit(code: "critical-illness"))
        #expect(plan.claimDeadline(for: critical) == PlanFixtures.date("2027-03-31"))
    }

    @Test func readsTheMinimalPlanAndItsDefaults() throws {
        let plan = try PlanRules(toml: PlanFixtures.minimal, file: "test.toml")
        let medical = try #require(plan.benefits.first)
        #expect(medical.deductible == .zero)
        #expect(medical.minimumPayout == .zero)
        #expect(medical.perClaimCap == nil)
        #expect(medical.annualCap == nil)
        #expect(medical.waitingDays == 0)
        #expect(medical.eligibility == .all)
        #expect(medical.documents == [])
        #expect(medical.claimDeadline == nil)
        #expect(plan.paymentLimitDays == 30)
    }

    @Test func readsAmountsWrittenEveryWay() throws {
        for (written, fen) in [("\"1,234.50\"", Int64(123_450)), ("1234.5", 123_450), ("1234", 123_400), ("\"0.01\"", 1)] {
            let plan = try PlanRulesLoader.load(PlanFixtures.minimal(replacing: 4, with: "largeAmountThreshold = \(written)"))
            #expect(plan.largeAmountThreshold == Money(fen: fen), "\(written)")
        }
    }

    @Test func overridesAccounts() throws {
        let plan = try PlanRulesLoader.load(PlanFixtures.minimal(appending: """
            [accounts]
            bank = "10202"
            claimsPayable = 22503
            """))
        #expect(plan.accounts.bank == (try AccountCode("10202")))
        #expect(plan.accounts.claimsPayable == (try AccountCode("22503")))
        #expect(plan.accounts.contributionRevenue == (try AccountCode("40801")))
    }

    @Test func reportsAnUnreadableFile() {
        #expect(throws: PlanFileError.self) { try PlanRulesLoader.load(contentsOf: PlanFixtures.path("no-such-plan.toml")) }
    }
}
