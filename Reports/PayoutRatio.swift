import Ledger

/// 赔付率: payouts ÷ contributions, kept as the exact fraction of two fen amounts.
///
/// No floating point anywhere: the percentage a reader sees is computed from the two
/// integers, rounded half away from zero to two decimals (56.6425% → "56.64%"), and
/// every format also carries both amounts, so a script can redo the division exactly.
///
/// ```swift
/// PayoutRatio(payouts: Money(fen: 2_039_000), contributions: Money(fen: 36_000)).percentText  // "5663.89%"
/// PayoutRatio(payouts: Money(fen: 100), contributions: .zero).percentText                     // "—"
/// ```
struct PayoutRatio: Sendable, Hashable {
    let payouts: Money
    let contributions: Money

    /// Shown when there are no contributions to divide by.
    static let undefinedText = "—"

    /// The ratio in hundredths of a percent (5663.89% → 566389), or nil with no
    /// contributions. Uses double-width multiplication, so no amount overflows it.
    var hundredthsOfPercent: Int64? {
        guard contributions.fen != 0 else { return nil }
        let negative = (payouts.fen < 0) != (contributions.fen < 0)
        let numerator = payouts.fen.magnitude
        let denominator = contributions.fen.magnitude
        // numerator × 10,000 × 2 + denominator, over 2 × denominator: rounds half up.
        let scaled = numerator.multipliedFullWidth(by: 20_000)
        let (low, carry) = scaled.low.addingReportingOverflow(denominator)
        let high = scaled.high + (carry ? 1 : 0)
        let divisor = denominator.multipliedFullWidth(by: 2)
        // The divisor fits in 64 bits (|fen| < 2^63, so 2 × |fen| < 2^64).
        precondition(divisor.high == 0, "2 × a fen amount fits in 64 bits")
        guard high < divisor.low else { return negative ? Int64.min : Int64.max }
        let (quotient, _) = divisor.low.dividingFullWidth((high: high, low: low))
        guard quotient <= UInt64(Int64.max) else { return negative ? Int64.min : Int64.max }
        return negative ? -Int64(quotient) : Int64(quotient)
    }

    /// "56.64%", or "—" with no contributions.
    var percentText: String {
        guard let value = hundredthsOfPercent else { return PayoutRatio.undefinedText }
        let sign = value < 0 ? "-" : ""
        let magnitude = value.magnitude
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)%"
    }
}
