import Ledger
import Testing
@testable import MutualAid

@Suite("Plan rules: validation errors name file, line and key")
struct PlanValidationTests {
    /// The messages loading `text` as `p.toml` produces; fails the test if it loads.
    private func errors(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        do {
            _ = try PlanRulesLoader.load(text, file: "p.toml")
            Issue.record("the plan loaded, but errors were expected", sourceLocation: sourceLocation)
            return []
        } catch {
            return error.messages
        }
    }

    /// The single error loading `text` produces.
    private func error(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        let found = errors(text, sourceLocation: sourceLocation)
        #expect(found.count == 1, "expected one error, found \(found)", sourceLocation: sourceLocation)
        return found.first ?? ""
    }

    private func replacing(_ line: Int, _ text: String) -> String { PlanFixtures.minimal(replacing: line, with: text) }

    // MARK: Shape

    @Test func syntaxErrorsNameLineAndColumn() throws {
        #expect(throws: PlanFileError.self) { try PlanRulesLoader.load("id = ", file: "p.toml") }
        let message = error(replacing(20, "ratio = 0.15 0.2"))
        #expect(message.hasPrefix("p.toml: line 20, column"))
    }

    @Test func unknownKeysAreRejectedWithTheClosestKey() {
        #expect(error(replacing(20, "ratoi = 0.15")) == "p.toml:20: benefits[1].ratoi: unknown key; did you mean ratio?")
        #expect(error(PlanFixtures.minimal(appending: "[contribution2]\nrate = 1")).hasPrefix(
            "p.toml:22: contribution2: unknown key"))
    }

    @Test func collectsEveryShapeErrorInLineOrder() {
        let text = replacing(4, "largeAmountTreshold = \"10000\"")
            .replacingOccurrences(of: "ratio = 0.15", with: "ratio = \"15%\"")
        #expect(errors(text) == [
            "p.toml:4: largeAmountTreshold: unknown key; did you mean largeAmountThreshold?",
            "p.toml:20: benefits[1].ratio: expected a decimal such as 0.15, found the string \"15%\"",
            "p.toml:1: largeAmountThreshold: this required key is missing from the top level of the file",
        ].sorted { lineOf($0) < lineOf($1) })
    }

    private func lineOf(_ message: String) -> Int {
        Int(message.split(separator: ":")[1]) ?? 0
    }

    @Test func amountsAreParsedExactly() {
        #expect(error(replacing(4, "largeAmountThreshold = \"1.234\"")) ==
            "p.toml:4: largeAmountThreshold: \"1.234\" has more than two decimals; amounts are exact to the fen (0.01 yuan)")
        #expect(error(replacing(4, "largeAmountThreshold = -5")) ==
            "p.toml:4: largeAmountThreshold: \"-5\" has a sign, but this amount must be written without one")
        #expect(error(replacing(4, "largeAmountThreshold = \"12,34\"")) ==
            "p.toml:4: largeAmountThreshold: \"12,34\" has a misplaced thousands separator; write 1,234.50 or 1234.50")
        #expect(error(replacing(4, "largeAmountThreshold = true")) ==
            "p.toml:4: largeAmountThreshold: expected an amount in yuan such as \"60.00\" or 60, found the boolean true")
    }

    @Test func ratiosAreExactDecimalsWithinZeroAndOne() {
        #expect(error(replacing(20, "ratio = 1.5")) ==
            "p.toml:20: benefits[1].ratio: 1.5 is outside 0…1; a benefit pays at most the whole base (ratio 1)")
        #expect(error(replacing(20, "ratio = 0.1234567")) ==
            "p.toml:20: benefits[1].ratio: 0.1234567 has more than 6 decimal places; a ratio is exact to one part per million")
        #expect(error(replacing(20, "ratio = -0.1")) ==
            "p.toml:20: benefits[1].ratio: -0.1 is not a ratio; write a decimal between 0 and 1 such as 0.15 (no sign, no % sign)")
        #expect(error(replacing(20, "ratio = 0")) ==
            "p.toml:20: benefits[1].ratio: a ratio of 0 would never pay anything; write the share paid, e.g. 0.15")
    }

    @Test func basisSpecificKeysAreRequiredOrForbidden() {
        #expect(error(replacing(19, "basis = \"fixed\"\namount = \"20000\"")) ==
            "p.toml:21: benefits[1].ratio: a benefit with basis \"fixed\" takes no ratio: its amount is already the payout")
        #expect(error(replacing(19, "basis = \"fixed\"").replacingOccurrences(of: "ratio = 0.15", with: "")) ==
            "p.toml:15: benefits[1].amount: a fixed benefit needs the amount it pays, e.g. amount = \"20000\"")
        #expect(error(replacing(19, "basis = \"ownShare\"\namount = \"1\"")) ==
            "p.toml:20: benefits[1].amount: a benefit with basis \"ownShare\" takes no amount: only a fixed benefit has a fixed amount")
        #expect(error(replacing(19, "basis = \"gradeTable\"").replacingOccurrences(of: "ratio = 0.15", with: "")) ==
            "p.toml:15: benefits[1].grades: a gradeTable benefit needs its table of amounts by disability grade, "
                + "e.g. grades = { 1 = \"5000\", 2 = \"4500\" }")
        #expect(error(replacing(19, "basis = \"house\"")) ==
            "p.toml:19: benefits[1].basis: \"house\" is not a basis; expected one of \"ownShare\", \"fixed\", \"gradeTable\", \"loss\"")
        #expect(error(replacing(20, "ratio = 0.15\ndeductible = \"100\"\nbasis2 = 1")) ==
            "p.toml:22: benefits[1].basis2: unknown key; did you mean basis?")
    }

    @Test func gradeTablesAreCheckedGradeByGrade() {
        let table = { (grades: String) in
            PlanFixtures.minimal(replacing: 19, with: "basis = \"gradeTable\"\ngrades = { \(grades) }")
                .replacingOccurrences(of: "ratio = 0.15", with: "")
        }
        #expect(error(table("1 = \"5000\", 11 = \"100\"")) ==
            "p.toml:20: benefits[1].grades.11: disability grades run from 1 (most severe) to 10, found grade 11")
        #expect(error(table("1 = \"5000\", x = \"100\"")) ==
            "p.toml:20: benefits[1].grades.x: a grade is a whole number from 1 to 10, found \"x\"")
        #expect(error(table("1 = \"500\", 2 = \"600\"")) ==
            "p.toml:20: benefits[1].grades.2: grade 2 pays 600.00, more than the more severe grade 1 (500.00); "
                + "amounts must not rise as the grade gets milder")
        #expect(error(table("1 = \"500\", 01 = \"400\"")) == "p.toml:20: benefits[1].grades.1: grade 1 is listed twice")
    }

    // MARK: Rules

    @Test func payerPartsMustSumToTheRate() {
        #expect(error(replacing(12, "unit = \"20\"")) ==
            "p.toml:11: contribution.rate: the payers' parts add up to 50.00 (unit 20.00 + union subsidy 30.00 + member "
                + "0.00), but the rate is 60.00; they must be equal")
        #expect(error(replacing(11, "rate = 0")).hasPrefix("p.toml:11: contribution.rate: the contribution rate must be greater than zero"))
    }

    @Test func datesMustBeOrdered() {
        #expect(error(replacing(8, "closes = 2027-01-05")) ==
            "p.toml:8: enrolment.closes: enrolment closes on 2027-01-05, after the coverage term ends on 2026-12-31; "
                + "it must close on or before the term's last day")
        #expect(error(replacing(7, "opens = 2025-12-21")) ==
            "p.toml:8: enrolment.closes: enrolment closes on 2025-12-20, before it opens on 2025-12-21")
        #expect(error(replacing(5, "claimDeadline = 2026-12-31")) ==
            "p.toml:5: claimDeadline: the claim deadline 2026-12-31 must be after the coverage term ends on 2026-12-31; "
                + "claims for the last days of the term need time to be filed")
        #expect(error(replacing(5, "[term]\nstart = 2026-07-01\nend = 2026-06-30")) ==
            "p.toml:7: term.end: the term ends on 2026-06-30, before it starts on 2026-07-01")
        #expect(error(replacing(5, "[term]\nstart = 2026-01-01\nend = 2027-06-30")) ==
            "p.toml:7: term.end: the term runs 546 days, from 2026-01-01 to 2027-06-30; a plan year is at most 366 days")
        #expect(error(replacing(20, "ratio = 0.15\nclaimDeadline = 2026-11-30")) ==
            "p.toml:21: benefits[1].claimDeadline: the claim deadline 2026-11-30 must be after the coverage term ends on "
                + "2026-12-31; claims for the last days of the term need time to be filed")
        #expect(error(replacing(7, "opens = \"2025-10-20\"")) ==
            "p.toml:7: enrolment.opens: expected a date such as 2026-01-01, found the string \"2025-10-20\"")
    }

    @Test func benefitCodesAreUniqueAndAccountsValid() {
        let twice = PlanFixtures.minimal(appending: """
            [[benefits]]
            code = "medical"
            name = "第二个"
            expenseAccount = "50207"
            basis = "loss"
            """)
        #expect(error(twice) ==
            "p.toml:23: benefits[2].code: the code \"medical\" is already used by benefits[1]; benefit codes must be unique")
        #expect(error(replacing(18, "expenseAccount = \"5020\"")) ==
            "p.toml:18: benefits[1].expenseAccount: \"5020\" is not an account code: an account code is 3 digits "
                + "(first level) plus 2 digits per sub-level, e.g. 102 or 22501")
        #expect(error(replacing(18, "expenseAccount = \"22501\"")) ==
            "p.toml:18: benefits[1].expenseAccount: 22501 is not an expense account; payouts are charged to an "
                + "expenditure account under 501…508, e.g. 50201")
        #expect(error(replacing(16, "code = \"Medical Aid\"")) ==
            "p.toml:16: benefits[1].code: \"Medical Aid\" is not a benefit code; use 1 to 32 lowercase letters, digits "
                + "and '-', e.g. \"hospital\"")
        #expect(error(replacing(1, "id = \"测试\"")).hasPrefix("p.toml:1: id: \"测试\" is not a plan id"))
    }

    @Test func accountsAreCheckedAndEachRoleHasItsOwn() {
        #expect(error(PlanFixtures.minimal(appending: "[accounts]\nbnak = \"10201\"")) ==
            "p.toml:23: accounts.bnak: unknown key; did you mean bank?")
        #expect(error(PlanFixtures.minimal(appending: "[accounts]\nrefundsPayable = \"22501\"")) ==
            "p.toml:23: accounts.refundsPayable: account 22501 is already used for claimsPayable; each role needs its own account")
    }

    @Test func capsLimitsAndEnumsAreChecked() {
        #expect(error(replacing(20, "ratio = 0.15\nperClaimCap = \"5000\"\nannualCap = \"3000\"")) ==
            "p.toml:21: benefits[1].perClaimCap: the per-claim cap 5,000.00 is more than the annual cap 3,000.00; one "
                + "claim can never pay more than the year allows")
        #expect(error(replacing(20, "ratio = 0.15\nannualCap = \"0\"")) ==
            "p.toml:21: benefits[1].annualCap: a cap must be greater than zero, found 0.00; leave it out for no cap")
        #expect(error(replacing(20, "ratio = 0.15\neligibility = \"women\"")) ==
            "p.toml:21: benefits[1].eligibility: \"women\" is not an eligibility; expected \"all\", \"female\" or \"male\"")
        #expect(error(replacing(20, "ratio = 0.15\nwaitingDays = 400")) ==
            "p.toml:21: benefits[1].waitingDays: the waiting period must be 0 to 365 days, found 400")
        #expect(error(replacing(5, "paymentLimitDays = 0")) ==
            "p.toml:5: paymentLimitDays: approved claims must be paid within 1 to 90 days, found 0")
        #expect(error(replacing(20, "ratio = 0.15\nminimumPayout = \"50\"\nperClaimCap = \"40\"")) ==
            "p.toml:21: benefits[1].minimumPayout: the minimum payout 50.00 is more than the per-claim cap 40.00, so no "
                + "claim could ever be paid")
        #expect(error(replacing(20, "ratio = 0.15\ndocuments = [\"出院小结\", 3]")) ==
            "p.toml:21: benefits[1].documents[2]: expected a string in quotes, found the integer 3")
    }

    @Test func collectsEveryRuleErrorAtOnce() {
        let text = replacing(12, "unit = \"20\"").replacingOccurrences(of: "closes = 2025-12-20", with: "closes = 2027-01-01")
            .replacingOccurrences(of: "expenseAccount = \"50201\"", with: "expenseAccount = \"10201\"")
        let found = errors(text)
        #expect(found.count == 3)
        #expect(found.map(lineOf) == [8, 11, 18])
    }

    @Test func aPlanNeedsBenefits() {
        let text = PlanFixtures.minimal.components(separatedBy: "\n").prefix(13).joined(separator: "\n")
        #expect(error(text) == "p.toml:1: benefits: this required key is missing from the top level of the file")
    }

    @Test func rulesBuiltInCodeAreValidatedToo() throws {
        let plan = try PlanFixtures.ownShare()
        #expect(throws: PlanRulesError.self) {
            try PlanRules(id: plan.id, name: plan.name, year: plan.year, term: plan.term, enrolment: plan.enrolment,
                          contribution: plan.contribution, claimDeadline: plan.claimDeadline,
                          largeAmountThreshold: .zero, benefits: plan.benefits)
        }
    }
}
