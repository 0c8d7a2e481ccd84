import Ledger
import Testing
@testable import Reports

@Suite("payout ratio: an exact fraction shown to two decimals")
struct PayoutRatioTests {
    @Test("rounds half up from the exact fraction", arguments: [
        (2_039_000, 36_000, "5663.89%"),   // 56.638888…
        (1, 3, "33.33%"),
        (2, 3, "66.67%"),
        (1, 8, "12.50%"),
        (1, 40_000, "0.00%"),               // 0.0025%
        (1, 20_000, "0.01%"),               // 0.005%: half a hundredth rounds up
        (0, 36_000, "0.00%"),
        (36_000, 36_000, "100.00%"),
        (-1_000, 3_000, "-33.33%"),          // a refund larger than the payouts
    ] as [(Int64, Int64, String)])
    func percent(payouts: Int64, contributions: Int64, expected: String) {
        #expect(PayoutRatio(payouts: Money(fen: payouts), contributions: Money(fen: contributions)).percentText == expected)
    }

    @Test("no contributions: no ratio")
    func undefined() {
        #expect(PayoutRatio(payouts: Money(fen: 100), contributions: .zero).percentText == "—")
        #expect(PayoutRatio(payouts: Money(fen: 100), contributions: .zero).hundredthsOfPercent == nil)
    }

    @Test("the largest amounts do not overflow")
    func large() {
        let big = Money(fen: Int64.max / 2)
        #expect(PayoutRatio(payouts: big, contributions: big).percentText == "100.00%")
        #expect(PayoutRatio(payouts: Money(fen: 9_007_199_254_740_991), contributions: Money(fen: 9_007_199_254_740_990)).percentText
                == "100.00%")
        // A ratio past Int64 hundredths of a percent saturates rather than trapping.
        #expect(PayoutRatio(payouts: Money(fen: Int64.max), contributions: Money(fen: 1)).hundredthsOfPercent == Int64.max)
    }
}
