import Ledger
import Testing
@testable import MutualAid

@Suite("Plan rules: canonical JSON round trip")
struct PlanJSONTests {
    @Test(arguments: ["unit-paid-2026.toml", "own-share-15pct-2026.toml"])
    func shippedPlansRoundTrip(file: String) throws {
        let plan = try PlanRulesLoader.load(contentsOf: PlanFixtures.path(file))
        let json = plan.json
        let again = try PlanRules(json: json)
        #expect(again == plan)
        #expect(again.json == json)
        // The published bytes too, after a trip through text.
        let bytes = try CanonicalJSON.encode(json)
        let reparsed = try PlanRules(json: JSONParser.parse(bytes))
        #expect(try CanonicalJSON.encode(reparsed.json) == bytes)
    }

    @Test("reviewerMayApprove = false is published and read back; a plan without it publishes no such key, as before the key existed")
    func reviewerMayApprove() throws {
        let plan = try PlanFixtures.ownShare()
        #expect(plan.reviewerMayApprove && plan.json["reviewerMayApprove"] == nil)
        let text = try String(contentsOfFile: PlanFixtures.path("own-share-15pct-2026.toml"), encoding: .utf8)
            .replacingOccurrences(of: "largeAmountThreshold = 5000", with: "largeAmountThreshold = 5000\nreviewerMayApprove = false")
        let separate = try PlanRulesLoader.load(text)
        #expect(!separate.reviewerMayApprove && separate.json["reviewerMayApprove"] == false)
        #expect(try PlanRules(json: separate.json) == separate)
        var object = try #require(plan.json.objectValue)
        object["reviewerMayApprove"] = "no"
        #expect(throws: PlanRulesError.self) { try PlanRules(json: .object(object)) }
        #expect(throws: (any Error).self) {
            try PlanRulesLoader.load(text.replacingOccurrences(of: "reviewerMayApprove = false", with: "reviewerMayApprove = \"no\""))
        }
    }

    @Test func everyFieldIsExplicitWithAmountsInFen() throws {
        let plan = try PlanFixtures.ownShare()
        let json = plan.json
        #expect(json["formatVersion"] == 1)
        #expect(json["id"] == "own-share-15pct-2026")
        #expect(json["term"] == ["start": "2026-01-01", "end": "2026-12-31"])
        #expect(json["enrolment"] == ["opens": "2025-10-20", "closes": "2025-12-20"])
        #expect(json["contribution"] == ["rateFen": 6000, "unitFen": 3000, "unionSubsidyFen": 3000, "memberFen": 0])
        #expect(json["claimDeadline"] == "2027-03-31")
        #expect(json["largeAmountThresholdFen"] == 500_000)
        #expect(json["paymentLimitDays"] == 30)
        #expect(json["annualCapFen"] == .null)
        #expect(json["accounts"]?["bank"] == "10201")
        #expect(json["accounts"]?["refundsPayable"] == "22502")

        let benefits = try #require(json["benefits"]?.arrayValue)
        #expect(benefits[0] == [
            "code": "medical", "name": "医疗互助金", "expenseAccount": "50201", "basis": ["kind": "ownShare"],
            "deductibleFen": 0, "ratio": ["numerator": 3, "denominator": 20], "minimumPayoutFen": 2000,
            "perClaimCapFen": nil, "annualCapFen": 600_000, "waitingDays": 0, "eligibility": "all",
            "documents": ["互助金申请表", "医保结算单", "医疗发票"], "claimDeadline": nil,
        ])
        #expect(benefits[1]["basis"]?["grades"]?.arrayValue?.first == ["grade": 1, "amountFen": 500_000])
        #expect(benefits[2]["basis"] == ["kind": "fixed", "amountFen": 2_000_000])
        #expect(benefits[3]["ratio"] == ["numerator": 1, "denominator": 10])
        #expect(benefits[3]["perClaimCapFen"] == 300_000)
    }

    /// `json` with `change` applied to the first benefit.
    private func editingFirstBenefit(_ json: JSONValue, _ change: (inout [String: JSONValue]) -> Void) -> JSONValue {
        guard var root = json.objectValue, var benefits = root["benefits"]?.arrayValue,
              var first = benefits[0].objectValue else { return json }
        change(&first)
        benefits[0] = .object(first)
        root["benefits"] = .array(benefits)
        return .object(root)
    }

    private func problem(_ json: JSONValue) -> String? {
        do {
            _ = try PlanRules(json: json)
            return nil
        } catch {
            return error.problems.first?.description
        }
    }

    @Test func refusesJSONThatIsNotExactlyPublishedRules() throws {
        let json = try PlanFixtures.ownShare().json
        #expect(problem(editingFirstBenefit(json) { $0["ratio"] = ["numerator": 6, "denominator": 40] }) ==
            "benefits[1].ratio: 6/40 is not in lowest terms; a published ratio has exactly one spelling")
        #expect(problem(editingFirstBenefit(json) { $0["ratio"] = ["numerator": 1, "denominator": 3] }) ==
            "benefits[1].ratio: 1/3 is not a decimal of at most 6 places; the denominator must divide 1000000")
        #expect(problem(editingFirstBenefit(json) { $0["extra"] = 1 })?.hasPrefix("benefits[1].extra: unknown key") == true)
        #expect(problem(editingFirstBenefit(json) { $0["deductibleFen"] = "0" }) == "benefits[1].deductibleFen: expected an integer")
        #expect(problem(editingFirstBenefit(json) { $0["annualCapFen"] = -1 }) ==
            "benefits[1].annualCapFen: -1 fen is not an amount the plan rules allow (0 to 2^53 − 1 fen)")
        #expect(problem(editingFirstBenefit(json) { $0["claimDeadline"] = "2027/3/31" }) ==
            "benefits[1].claimDeadline: \"2027/3/31\" is not a date written YYYY-MM-DD")
        guard var root = json.objectValue else { return }
        root["contribution"] = ["rateFen": 6000, "unitFen": 3000, "unionSubsidyFen": 0, "memberFen": 0]
        // The rules are checked just as the plan file's are.
        #expect(problem(.object(root))?.hasPrefix("contribution.rate: the payers' parts add up to 30.00") == true)
        root["formatVersion"] = 2
        #expect(problem(.object(root)) == "formatVersion: this program reads plan rules of format 1, found format 2")
    }
}

@Suite("Plan rules: exact ratios")
struct PlanRatioTests {
    @Test func parsesDecimalsIntoLowestTerms() throws {
        #expect(try Ratio(decimal: "0.15") == Ratio(numerator: 3, denominator: 20))
        #expect(try Ratio(decimal: "0.50") == Ratio(numerator: 1, denominator: 2))
        #expect(try Ratio(decimal: "1") == .one)
        #expect(try Ratio(decimal: "1.000") == .one)
        #expect(try Ratio(decimal: "0") == .zero)
        #expect(try Ratio(decimal: "0.125").partsPerMillion == 125_000)
        #expect(try Ratio(decimal: "0.000001") == Ratio(numerator: 1, denominator: 1_000_000))
    }

    @Test func refusesWhatIsNotAnExactRatio() {
        for text in ["1.5", "0.1234567", "-0.1", "15%", "", ".5", "1.", "2"] {
            #expect(throws: RatioError.self, "\(text)") { try Ratio(decimal: text) }
        }
    }

    @Test func printsPercentagesAndDecimals() throws {
        #expect(try Ratio(decimal: "0.15").percentText == "15%")
        #expect(try Ratio(decimal: "0.125").percentText == "12.5%")
        #expect(try Ratio(decimal: "0.000001").percentText == "0.0001%")
        #expect(Ratio.one.percentText == "100%")
        #expect(try Ratio(decimal: "0.15").decimalText == "0.15")
        #expect(Ratio.one.decimalText == "1")
    }

    @Test func roundsHalfUpToTheFen() throws {
        let fifteen = try Ratio(decimal: "0.15")
        let half = try Ratio(decimal: "0.5")
        #expect(fifteen.applied(to: Money(fen: 123_450)) == Money(fen: 18_518))   // 185.175 → 185.18
        #expect(fifteen.applied(to: Money(fen: 123_430)) == Money(fen: 18_515))   // 185.145 → 185.15
        #expect(fifteen.applied(to: Money(fen: 123_429)) == Money(fen: 18_514))   // 185.1435 → 185.14
        #expect(half.applied(to: Money(fen: 1)) == Money(fen: 1))                 // 0.005 → 0.01
        #expect(half.applied(to: Money(fen: 3)) == Money(fen: 2))                 // 0.015 → 0.02
        #expect(half.applied(to: Money(fen: 0)) == .zero)
        // No overflow at the largest amount the ledger records.
        #expect(try Ratio(decimal: "0.999999").applied(to: Money(fen: Money.parseableMaxFen))
            == Money(fen: 9_007_190_247_541_736))
        #expect(fifteen.exactProductText(of: Money(fen: 123_450)) == "185.175")
        #expect(fifteen.exactProductText(of: Money(fen: 12_345)) == "18.5175")
        #expect(fifteen.exactProductText(of: Money(fen: 1_234_500)) == "1,851.75")
    }
}
