import Ledger
import Testing
@testable import MutualAid

/// Shorthands for building claims in the 2026 plan year.
private func day(_ text: String) -> LedgerDate { PlanFixtures.date(text) }
private func yuan(_ text: String) -> Money { PlanFixtures.yuan(text) }
private let enrolled = Coverage.covered(since: day("2026-01-01"))

private func medicalFacts(ownShare: String, service: String = "2026-05-10", filed: String = "2026-05-20") -> ClaimFacts {
    ClaimFacts(serviceDate: day(service), filedOn: day(filed), ownShareInScope: yuan(ownShare))
}

@Suite("Payout calculator: amounts")
struct PayoutAmountTests {
    let ownShare: PayoutCalculator
    let unitPaid: PayoutCalculator

    init() throws {
        ownShare = PayoutCalculator(plan: try PlanFixtures.ownShare())
        unitPaid = PayoutCalculator(plan: try PlanFixtures.unitPaid())
    }

    @Test func theWorkedExampleFromTheBrief() throws {
        let result = try ownShare.compute(
            benefit: "medical", facts: medicalFacts(ownShare: "12,345.00"), coverage: enrolled, sex: .male,
            usage: CapUsage(benefitUsed: yuan("5000"), totalUsed: yuan("5000")))
        #expect(result.amount == Money(fen: 100_000))
        #expect(result.explanation == "own share 12,345.00 − deductible 0.00 = 12,345.00; × 15% = 1,851.75 → 1,851.75; "
            + "minimum payout 20.00 met; benefit annual cap 6,000.00, used 5,000.00, left 1,000.00 → 1,000.00; payout 1,000.00")
        let steps = try #require(result.steps)
        #expect(steps.base == Money(fen: 1_234_500))
        #expect(steps.afterDeductible == Money(fen: 1_234_500))
        #expect(steps.afterRatio == Money(fen: 185_175))
        #expect(steps.afterPerClaimCap == Money(fen: 185_175))
        #expect(steps.benefitCap?.left == Money(fen: 100_000))
        #expect(steps.benefitCap?.result == Money(fen: 100_000))
        #expect(steps.totalCap == nil)
        #expect(steps.amount == Money(fen: 100_000))
    }

    @Test func ratioIsRoundedHalfUpToTheFen() throws {
        let cases: [(ownShare: String, fen: Int64)] = [
            ("1,234.50", 18_518),   // 185.175   → 185.18
            ("1,234.30", 18_515),   // 185.145   → 185.15
            ("1,234.29", 18_514),   // 185.1435  → 185.14
            ("1,234.20", 18_513),   // 185.13 exactly
        ]
        for (share, fen) in cases {
            let result = try ownShare.compute(benefit: "medical", facts: medicalFacts(ownShare: share),
                                              coverage: enrolled, sex: .female, usage: .none)
            #expect(result.amount == Money(fen: fen), "\(share)")
        }
        // Half a fen at ratio 0.5 rounds up: 0.03 × 50% = 0.015 → 0.02.
        let tiny = try unitPaid.compute(benefit: "hospital", facts: medicalFacts(ownShare: "0.03"), coverage: enrolled,
                                        sex: .male, usage: .none)
        #expect(tiny.amount == Money(fen: 2))
        #expect(tiny.explanation == "own share 0.03 − deductible 0.00 = 0.03; × 50% = 0.015 → 0.02; "
            + "benefit annual cap 30,200.00, used 0.00, left 30,200.00 → 0.02; payout 0.02")
    }

    @Test func deductibleComesOffBeforeTheRatio() throws {
        let plan = try PlanRulesLoader.load(PlanFixtures.minimal(replacing: 20, with: "ratio = 0.5\ndeductible = \"800\""))
        let calculator = PayoutCalculator(plan: plan)
        let result = try calculator.compute(benefit: "medical", facts: medicalFacts(ownShare: "2,000.01"),
                                            coverage: enrolled, sex: .male, usage: .none)
        // (2,000.01 − 800.00) × 50% = 600.005 → 600.01
        #expect(result.amount == Money(fen: 60_001))
        #expect(result.explanation == "own share 2,000.01 − deductible 800.00 = 1,200.01; × 50% = 600.005 → 600.01; "
            + "payout 600.01")
        // An own share within the deductible leaves nothing to pay.
        let within = try calculator.compute(benefit: "medical", facts: medicalFacts(ownShare: "800.00"),
                                            coverage: enrolled, sex: .male, usage: .none)
        #expect(within.rejection == .nothingToPay)
        #expect(within.steps?.afterDeductible == .zero)
    }

    @Test func minimumPayoutIsJudgedOnTheRoundedAmount() throws {
        // 133.30 × 15% = 19.995 → 20.00: meets the 20.00 minimum.
        let meets = try ownShare.compute(benefit: "medical", facts: medicalFacts(ownShare: "133.30"), coverage: enrolled,
                                         sex: .male, usage: .none)
        #expect(meets.amount == Money(fen: 2_000))
        // 133.29 × 15% = 19.9935 → 19.99: below.
        let below = try ownShare.compute(benefit: "medical", facts: medicalFacts(ownShare: "133.29"), coverage: enrolled,
                                         sex: .male, usage: .none)
        #expect(below.rejection == .belowMinimumPayout(amount: Money(fen: 1_999), minimum: Money(fen: 2_000)))
        #expect(below.explanation == "own share 133.29 − deductible 0.00 = 133.29; × 15% = 19.9935 → 19.99; "
            + "below the minimum payout 20.00; rejected: the computed payout 19.99 is below the minimum payout 20.00")
    }

    @Test func fireLossPaysTenPercentUpToThreeThousandPerClaim() throws {
        let cases: [(loss: String, fen: Int64)] = [
            ("20,000", 200_000),    // 2,000.00, under the cap
            ("30,000", 300_000),    // exactly the cap
            ("50,000", 300_000),    // 5,000.00 capped to 3,000.00
            ("12,345.65", 123_457), // 1,234.565 → 1,234.57
        ]
        for (loss, fen) in cases {
            let facts = ClaimFacts(serviceDate: day("2026-08-01"), filedOn: day("2026-08-15"), lossAmount: yuan(loss))
            let result = try ownShare.compute(benefit: "house-fire", facts: facts, coverage: enrolled, sex: .male,
                                              usage: .none)
            #expect(result.amount == Money(fen: fen), "\(loss)")
        }
        let facts = ClaimFacts(serviceDate: day("2026-08-01"), filedOn: day("2026-08-15"), lossAmount: yuan("50,000"))
        let result = try ownShare.compute(benefit: "house-fire", facts: facts, coverage: enrolled, sex: .male, usage: .none)
        #expect(result.explanation == "loss 50,000.00 − deductible 0.00 = 50,000.00; × 10% = 5,000.00 → 5,000.00; "
            + "per-claim cap 3,000.00 → 3,000.00; payout 3,000.00")
    }

    @Test func disabilityPaysByGrade() throws {
        let expected: [Int: Int64] = [1: 500_000, 2: 450_000, 5: 300_000, 7: 200_000, 10: 50_000]
        for (grade, fen) in expected {
            let facts = ClaimFacts(serviceDate: day("2026-03-01"), filedOn: day("2026-06-01"), disabilityGrade: grade)
            let result = try ownShare.compute(benefit: "accident-disability", facts: facts, coverage: enrolled,
                                              sex: .female, usage: .none)
            #expect(result.amount == Money(fen: fen), "grade \(grade)")
        }
        let facts = ClaimFacts(serviceDate: day("2026-03-01"), filedOn: day("2026-06-01"), disabilityGrade: 7)
        let result = try ownShare.compute(benefit: "accident-disability", facts: facts, coverage: enrolled, sex: .female,
                                          usage: .none)
        #expect(result.explanation == "grade 7 amount 2,000.00; benefit annual cap 5,000.00, used 0.00, left 5,000.00 "
            + "→ 2,000.00; payout 2,000.00")
    }

    @Test func aGradeTheTableDoesNotPayIsRejected() throws {
        let plan = try PlanRulesLoader.load(PlanFixtures.minimal(
            replacing: 19, with: "basis = \"gradeTable\"\ngrades = { 1 = \"5000\", 8 = \"1500\" }")
            .replacingOccurrences(of: "ratio = 0.15", with: ""))
        let facts = ClaimFacts(serviceDate: day("2026-03-01"), filedOn: day("2026-06-01"), disabilityGrade: 9)
        let result = try PayoutCalculator(plan: plan).compute(benefit: "medical", facts: facts, coverage: enrolled,
                                                              sex: .male, usage: .none)
        #expect(result.rejection == .gradeNotInTable(grade: 9))
        #expect(result.explanation == "rejected: the benefit's table pays no amount for disability grade 9")
    }

    @Test func fixedBenefitsPayTheirAmount() throws {
        let facts = ClaimFacts(serviceDate: day("2026-09-09"), filedOn: day("2026-10-01"))
        let death = try ownShare.compute(benefit: "accident-death", facts: facts, coverage: enrolled, sex: .male,
                                         usage: CapUsage(benefitUsed: .zero, totalUsed: yuan("6000")))
        #expect(death.amount == Money(fen: 2_000_000))
        #expect(death.explanation == "fixed amount 20,000.00; payout 20,000.00")
    }

    @Test func womensSpecialDiseasesPayFemaleMembersOnly() throws {
        let facts = ClaimFacts(serviceDate: day("2026-06-01"), filedOn: day("2026-06-10"))
        let female = try unitPaid.compute(benefit: "womens-special", facts: facts, coverage: enrolled, sex: .female,
                                          usage: .none)
        #expect(female.amount == Money(fen: 2_000_000))
        let male = try unitPaid.compute(benefit: "womens-special", facts: facts, coverage: enrolled, sex: .male,
                                        usage: .none)
        #expect(male.rejection == .notEligible(.female))
        #expect(male.explanation == "rejected: this benefit is for female members only")
        #expect(male.steps == nil)
    }
}

@Suite("Payout calculator: caps carried across a plan year")
struct PayoutCapTests {
    /// Files `claims` in order, adding each payout to the usage the next one sees, as
    /// the claims register would.
    private func simulate(_ calculator: PayoutCalculator, sex: MemberSex = .male,
                          _ claims: [(benefit: String, facts: ClaimFacts)]) throws -> [PayoutComputation] {
        var used: [String: Money] = [:]
        var total = Money.zero
        var results: [PayoutComputation] = []
        for (benefit, facts) in claims {
            let usage = CapUsage(benefitUsed: used[benefit] ?? .zero, totalUsed: total)
            let result = try calculator.compute(benefit: benefit, facts: facts, coverage: enrolled, sex: sex, usage: usage)
            if let amount = result.amount {
                used[benefit] = try (used[benefit] ?? .zero).adding(amount)
                total = try total.adding(amount)
            }
            results.append(result)
        }
        return results
    }

    @Test func benefitCapIsReachedThenTheRemainderThenRejection() throws {
        let calculator = PayoutCalculator(plan: try PlanFixtures.ownShare())
        let results = try simulate(calculator, [
            ("medical", medicalFacts(ownShare: "20,000", service: "2026-02-01", filed: "2026-02-10")),  // 3,000.00
            ("medical", medicalFacts(ownShare: "16,000", service: "2026-04-01", filed: "2026-04-10")),  // 2,400.00
            ("medical", medicalFacts(ownShare: "10,000", service: "2026-07-01", filed: "2026-07-10")),  // 1,500.00 → 600.00 left
            ("medical", medicalFacts(ownShare: "5,000", service: "2026-10-01", filed: "2026-10-10")),   // cap used up
        ])
        #expect(results.map(\.amount) == [Money(fen: 300_000), Money(fen: 240_000), Money(fen: 60_000), nil])
        #expect(results[2].explanation == "own share 10,000.00 − deductible 0.00 = 10,000.00; × 15% = 1,500.00 → 1,500.00; "
            + "minimum payout 20.00 met; benefit annual cap 6,000.00, used 5,400.00, left 600.00 → 600.00; payout 600.00")
        #expect(results[3].rejection == .benefitCapUsedUp(cap: Money(fen: 600_000), used: Money(fen: 600_000)))
        #expect(results[3].rejection?.sentence ==
            "this benefit's annual cap 6,000.00 is used up (6,000.00 paid or approved this year)")
    }

    @Test func totalCapAcrossBenefitsIsCarriedToo() throws {
        let text = try PlanFixtures.text("own-share-15pct-2026.toml")
            .replacingOccurrences(of: "year = 2026\n", with: "year = 2026\nannualCap = \"8000\"\n")
        let calculator = PayoutCalculator(plan: try PlanRulesLoader.load(text))
        #expect(calculator.plan.annualCap == Money(fen: 800_000))
        let accident = ClaimFacts(serviceDate: day("2026-05-05"), filedOn: day("2026-06-01"), disabilityGrade: 3)
        let results = try simulate(calculator, [
            ("medical", medicalFacts(ownShare: "40,000", service: "2026-02-01", filed: "2026-02-10")),  // 6,000 → cap 6,000
            ("accident-disability", accident),                                                         // 4,000 → 2,000 left
            ("house-fire", ClaimFacts(serviceDate: day("2026-09-01"), filedOn: day("2026-09-05"),
                                      lossAmount: yuan("10,000"))),                                    // total used up
        ])
        #expect(results.map(\.amount) == [Money(fen: 600_000), Money(fen: 200_000), nil])
        #expect(results[1].explanation == "grade 3 amount 4,000.00; benefit annual cap 5,000.00, used 0.00, left 5,000.00 "
            + "→ 4,000.00; annual cap 8,000.00, used 6,000.00, left 2,000.00 → 2,000.00; payout 2,000.00")
        #expect(results[2].rejection == .totalCapUsedUp(cap: Money(fen: 800_000), used: Money(fen: 800_000)))
    }

    @Test func usageAboveACapStillLeavesNothing() throws {
        let calculator = PayoutCalculator(plan: try PlanFixtures.ownShare())
        let result = try calculator.compute(benefit: "medical", facts: medicalFacts(ownShare: "1,000"), coverage: enrolled,
                                            sex: .male, usage: CapUsage(benefitUsed: yuan("7000"), totalUsed: yuan("7000")))
        #expect(result.rejection == .benefitCapUsedUp(cap: Money(fen: 600_000), used: Money(fen: 700_000)))
        #expect(result.steps?.benefitCap?.left == .zero)
    }
}

@Suite("Payout calculator: rejections and boundary days")
struct PayoutRejectionTests {
    let unitPaid: PayoutCalculator

    init() throws {
        unitPaid = PayoutCalculator(plan: try PlanFixtures.unitPaid())
    }

    private func hospital(_ facts: ClaimFacts = medicalFacts(ownShare: "1,000"), coverage: Coverage = enrolled)
        throws -> PayoutComputation
    {
        try unitPaid.compute(benefit: "hospital", facts: facts, coverage: coverage, sex: .male, usage: .none)
    }

    @Test func coverageRejections() throws {
        #expect(try hospital(coverage: .notEnrolled).rejection == .notEnrolled)
        #expect(try hospital(coverage: .contributionUnpaid).rejection == .contributionUnpaid)
        let late = try hospital(medicalFacts(ownShare: "1,000", service: "2026-02-28"),
                                coverage: .covered(since: day("2026-03-01")))
        #expect(late.rejection == .notCoveredOnServiceDate(serviceDate: day("2026-02-28"), coveredFrom: day("2026-03-01")))
        #expect(try hospital(medicalFacts(ownShare: "1,000", service: "2026-03-01"),
                             coverage: .covered(since: day("2026-03-01"))).amount == Money(fen: 50_000))
        #expect(ClaimRejection.contributionUnpaid.sentence ==
            "the member was not covered on the service date: the unit's contribution for the member is unpaid")
        #expect(ClaimRejection.notEnrolled.code == "not-enrolled")
    }

    @Test func serviceDateMustBeInTheTerm() throws {
        let before = try hospital(medicalFacts(ownShare: "1,000", service: "2025-12-31", filed: "2026-01-05"))
        #expect(before.rejection == .serviceDateOutsideTerm(serviceDate: day("2025-12-31"), term: unitPaid.plan.term))
        #expect(before.explanation ==
            "rejected: the service date 2025-12-31 is outside the plan's coverage term 2026-01-01 to 2026-12-31")
        let after = try hospital(medicalFacts(ownShare: "1,000", service: "2027-01-01", filed: "2027-01-05"))
        #expect(after.rejection?.code == "service-date-outside-term")
        #expect(try hospital(medicalFacts(ownShare: "1,000", service: "2026-01-01")).amount == Money(fen: 50_000))
        #expect(try hospital(medicalFacts(ownShare: "1,000", service: "2026-12-31", filed: "2027-01-02")).amount
            == Money(fen: 50_000))
    }

    @Test func waitingPeriodBoundaryDays() throws {
        // 90 days from 2026-01-01: the last waiting day is 2026-03-31, the first covered day 2026-04-01.
        func critical(_ service: String, since: String = "2026-01-01") throws -> PayoutComputation {
            try unitPaid.compute(benefit: "critical-illness",
                                 facts: ClaimFacts(serviceDate: day(service), filedOn: day("2026-12-01")),
                                 coverage: .covered(since: day(since)), sex: .male, usage: .none)
        }
        let lastWaitingDay = try critical("2026-03-31")
        #expect(lastWaitingDay.rejection == .inWaitingPeriod(serviceDate: day("2026-03-31"), waitingDays: 90,
                                                             lastWaitingDay: day("2026-03-31")))
        #expect(lastWaitingDay.explanation == "rejected: the service date 2026-03-31 is in the 90-day waiting period for "
            + "new participants, which ends on 2026-03-31; services from 2026-04-01 on are covered")
        #expect(try critical("2026-04-01").amount == Money(fen: 1_500_000))
        // A member covered since last year has served the waiting period already.
        #expect(try critical("2026-01-05", since: "2025-01-01").amount == Money(fen: 1_500_000))
        // A benefit without a waiting period pays from the first day of coverage.
        #expect(try hospital(medicalFacts(ownShare: "1,000", service: "2026-01-01")).amount == Money(fen: 50_000))
    }

    @Test func deadlineBoundaryDay() throws {
        let onTheDay = try hospital(medicalFacts(ownShare: "1,000", service: "2026-12-20", filed: "2027-03-31"))
        #expect(onTheDay.amount == Money(fen: 50_000))
        let dayAfter = try hospital(medicalFacts(ownShare: "1,000", service: "2026-12-20", filed: "2027-04-01"))
        #expect(dayAfter.rejection == .filedAfterDeadline(filedOn: day("2027-04-01"), deadline: day("2027-03-31")))
        #expect(dayAfter.explanation == "rejected: the claim was filed on 2027-04-01, after the claim deadline 2027-03-31")
    }

    @Test func aBenefitsOwnDeadlineReplacesThePlans() throws {
        let plan = try PlanRulesLoader.load(PlanFixtures.minimal(replacing: 20, with: "ratio = 0.15\nclaimDeadline = 2027-01-31"))
        let calculator = PayoutCalculator(plan: plan)
        let onTime = try calculator.compute(benefit: "medical", facts: medicalFacts(ownShare: "100", filed: "2027-01-31"),
                                            coverage: enrolled, sex: .male, usage: .none)
        #expect(onTime.amount == Money(fen: 1_500))
        let late = try calculator.compute(benefit: "medical", facts: medicalFacts(ownShare: "100", filed: "2027-02-01"),
                                          coverage: enrolled, sex: .male, usage: .none)
        #expect(late.rejection == .filedAfterDeadline(filedOn: day("2027-02-01"), deadline: day("2027-01-31")))
    }

    @Test func duplicatesAreTheCallersRejection() {
        let duplicate = PayoutComputation.rejected(benefitCode: "hospital", .duplicate(settlementID: "YB2026-000123"))
        #expect(duplicate.amount == nil)
        #expect(duplicate.explanation == "rejected: a claim for settlement YB2026-000123 is already in the ledger")
        #expect(duplicate.rejection?.code == "duplicate")
    }
}

@Suite("Payout calculator: input errors name the field")
struct PayoutInputTests {
    let ownShare: PayoutCalculator

    init() throws {
        ownShare = PayoutCalculator(plan: try PlanFixtures.ownShare())
    }

    private func failure(_ facts: ClaimFacts, benefit: String = "medical", usage: CapUsage = .none) -> String? {
        do {
            _ = try ownShare.compute(benefit: benefit, facts: facts, coverage: enrolled, sex: .male, usage: usage)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func amountsMustBeConsistent() {
        let service = day("2026-05-01"), filed = day("2026-05-02")
        #expect(failure(ClaimFacts(serviceDate: service, filedOn: filed, ownShareInScope: Money(fen: -1))) ==
            "ownShareInScope: an amount on a claim cannot be negative, found -0.01")
        #expect(failure(ClaimFacts(serviceDate: service, filedOn: filed, totalCost: yuan("1,000"),
                                   ownShareInScope: yuan("1,200"))) ==
            "ownShareInScope: the own share in scope 1,200.00 is more than the total cost 1,000.00")
        #expect(failure(ClaimFacts(serviceDate: service, filedOn: filed, totalCost: yuan("1,000"),
                                   insuranceCovered: yuan("1,000.01"), ownShareInScope: yuan("0"))) ==
            "insuranceCovered: the insurance paid 1,000.01, more than the total cost 1,000.00")
        #expect(failure(ClaimFacts(serviceDate: service, filedOn: filed, totalCost: yuan("1,000"),
                                   insuranceCovered: yuan("700"), ownShareInScope: yuan("300.01"))) ==
            "ownShareInScope: the insurance paid 700.00 and the own share in scope 300.01 add up to more than the total cost 1,000.00")
        #expect(failure(ClaimFacts(serviceDate: service, filedOn: filed, totalCost: yuan("1,000"),
                                   insuranceCovered: yuan("700"), ownShareInScope: yuan("300"))) == nil)
        #expect(failure(ClaimFacts(serviceDate: filed, filedOn: service, ownShareInScope: yuan("1"))) ==
            "filedOn: the claim is dated 2026-05-01, before the service date 2026-05-02; a claim is filed after the "
                + "treatment or event")
    }

    @Test func theBasisNeedsItsFact() {
        let service = day("2026-05-01")
        #expect(failure(ClaimFacts(serviceDate: service, filedOn: service))?.hasPrefix("ownShareInScope: this benefit pays on") == true)
        #expect(failure(ClaimFacts(serviceDate: service, filedOn: service), benefit: "house-fire") ==
            "lossAmount: this benefit pays on the assessed loss; enter it")
        #expect(failure(ClaimFacts(serviceDate: service, filedOn: service), benefit: "accident-disability")?
            .hasPrefix("disabilityGrade:") == true)
        #expect(failure(ClaimFacts(serviceDate: service, filedOn: service, disabilityGrade: 0), benefit: "accident-disability") ==
            "disabilityGrade: disability grades run from 1 (most severe) to 10, found 0")
    }

    @Test func unknownBenefitsAndImpossibleUsageAreErrors() {
        let facts = medicalFacts(ownShare: "100")
        #expect(failure(facts, benefit: "dental") == "benefit: the plan own-share-15pct-2026 has no benefit \"dental\"; its benefits "
            + "are medical, accident-disability, accident-death, house-fire")
        #expect(failure(facts, usage: CapUsage(benefitUsed: yuan("10"), totalUsed: yuan("5"))) ==
            "usage.benefitUsed: this benefit's usage 10.00 is more than the total usage 5.00 it is part of")
        #expect(failure(facts, usage: CapUsage(benefitUsed: .zero, totalUsed: Money(fen: -5))) ==
            "usage.totalUsed: an amount used is between 0 and the largest amount the ledger records, found -0.05")
    }
}
