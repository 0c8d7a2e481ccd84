import Ledger

/// The share of a claim's base that a benefit pays, as an exact fraction such as
/// 15% = 3/20 or 100% = 1/1.
///
/// A ratio is written in a plan file as a decimal (`ratio = 0.15`) and is never held as
/// a `Double`: 0.15 has no exact binary form, and a payout of 1,851.75 must not come out
/// as 1,851.7499999. Because it comes from a decimal with at most
/// ``decimalPlacesMax`` places, the denominator always divides 1,000,000, so every
/// ratio is also a whole number of parts per million and prints as an exact percentage.
///
/// A ratio is kept in lowest terms, so `0.5` and `0.50` are the same value and publish
/// the same canonical bytes.
///
/// ```swift
/// let ratio = try Ratio(decimal: "0.15")          // 3/20
/// ratio.applied(to: Money(fen: 12_345))           // 123.45 × 15% = 18.5175 → 18.52 (half up)
/// ratio.percentText                               // "15%"
/// ```
public struct Ratio: Sendable, Hashable, CustomStringConvertible {
    public let numerator: Int64
    public let denominator: Int64

    /// Ratios have at most six decimal places (0.000001 = one part per million). That is
    /// finer than any plan uses, and it keeps every product of an amount and a ratio
    /// exact in 128-bit arithmetic.
    public static let decimalPlacesMax = 6
    /// 10^decimalPlacesMax: every denominator divides it.
    public static let partsPerUnit: Int64 = 1_000_000

    public static let zero = Ratio(trustedNumerator: 0, denominator: 1)
    public static let one = Ratio(trustedNumerator: 1, denominator: 1)

    /// Creates `numerator/denominator`, which must already be in lowest terms, lie in
    /// 0…1, and have a denominator dividing 1,000,000 (so it is a decimal of at most six
    /// places). Lowest terms are required, not produced, so that a published ratio has
    /// exactly one spelling.
    public init(numerator: Int64, denominator: Int64) throws(RatioError) {
        guard denominator > 0, Ratio.partsPerUnit % denominator == 0 else {
            throw .denominatorNotDecimal(numerator: numerator, denominator: denominator)
        }
        guard numerator >= 0, numerator <= denominator else {
            throw .outOfRange("\(numerator)/\(denominator)")
        }
        guard greatestCommonDivisor(numerator, denominator) == 1 else {
            throw .notInLowestTerms(numerator: numerator, denominator: denominator)
        }
        self.init(trustedNumerator: numerator, denominator: denominator)
    }

    /// Parses a decimal such as `"0.15"`, `"1"` or `"0.125"` exactly, reducing it to
    /// lowest terms. Rejects signs, more than six decimal places and values above 1.
    public init(decimal text: String) throws(RatioError) {
        var digits: Int64 = 0
        var places = 0
        var inFraction = false
        var sawDigit = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                sawDigit = true
                if inFraction {
                    places += 1
                    guard places <= Ratio.decimalPlacesMax else { throw .tooManyDecimals(text) }
                }
                digits = digits * 10 + Int64(byte - UInt8(ascii: "0"))
                // Anything above 1 is out of range; stop before the integer can overflow.
                guard digits <= 10 * Ratio.partsPerUnit else { throw .outOfRange(text) }
            case UInt8(ascii: ".") where !inFraction && sawDigit:
                inFraction = true
            default:
                throw .notADecimal(text)
            }
        }
        guard sawDigit, !(inFraction && places == 0) else { throw .notADecimal(text) }
        var denominator: Int64 = 1
        for _ in 0..<places { denominator *= 10 }
        guard digits <= denominator else { throw .outOfRange(text) }
        let divisor = greatestCommonDivisor(digits, denominator)
        self.init(trustedNumerator: digits / divisor, denominator: denominator / divisor)
    }

    init(trustedNumerator numerator: Int64, denominator: Int64) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// The ratio in parts per million, e.g. 150,000 for 15%.
    public var partsPerMillion: Int64 { numerator * (Ratio.partsPerUnit / denominator) }

    public var isOne: Bool { numerator == denominator }

    /// `amount × ratio`, rounded half up to the fen.
    ///
    /// Half up (四舍五入) is what a union clerk does by hand and what a member checking
    /// a statement with a calculator expects: 18.5175 yuan becomes 18.52, 18.515 becomes
    /// 18.52, 18.5149 becomes 18.51. Amounts here are never negative, so "half up" and
    /// "half away from zero" agree. The product is formed in 128 bits, so no amount a
    /// ledger can hold overflows.
    public func applied(to amount: Money) -> Money {
        precondition(amount.fen >= 0, "a ratio is applied to non-negative amounts only")
        let product = amount.fen.multipliedFullWidth(by: numerator)
        // Quotient ≤ amount because numerator ≤ denominator, so it fits in Int64.
        let (quotient, remainder) = denominator.dividingFullWidth(product)
        // Compare 2·remainder with the denominator without risking overflow.
        return Money(fen: remainder >= denominator - remainder ? quotient + 1 : quotient)
    }

    /// The exact, unrounded product `amount × ratio` in yuan, e.g. `"18.5175"`, with
    /// at least two decimals and no trailing zeros beyond them. Used by explanations to
    /// show the rounding step; not on the computation's hot path.
    public func exactProductText(of amount: Money) -> String {
        let product = amount.fen.multipliedFullWidth(by: partsPerMillion)
        let (wholeFen, partsOfFen) = Ratio.partsPerUnit.dividingFullWidth(product)
        var text = Money(fen: wholeFen).formatted()
        guard partsOfFen > 0 else { return text }
        var fraction = String(partsOfFen)
        fraction = String(repeating: "0", count: Ratio.decimalPlacesMax - fraction.count) + fraction
        while fraction.last == "0" { fraction.removeLast() }
        text += fraction
        return text
    }

    /// The ratio as a percentage with no trailing zeros: `"15%"`, `"12.5%"`, `"100%"`.
    public var percentText: String {
        // Parts per million → percent has four decimal places.
        let ppm = partsPerMillion
        let whole = ppm / 10_000
        var fraction = String(ppm % 10_000)
        guard ppm % 10_000 != 0 else { return "\(whole)%" }
        fraction = String(repeating: "0", count: 4 - fraction.count) + fraction
        while fraction.last == "0" { fraction.removeLast() }
        return "\(whole).\(fraction)%"
    }

    /// The ratio as the decimal a plan file would write, e.g. `"0.15"` or `"1"`.
    public var decimalText: String {
        let ppm = partsPerMillion
        guard ppm % Ratio.partsPerUnit != 0 else { return String(ppm / Ratio.partsPerUnit) }
        var fraction = String(ppm % Ratio.partsPerUnit)
        fraction = String(repeating: "0", count: Ratio.decimalPlacesMax - fraction.count) + fraction
        while fraction.last == "0" { fraction.removeLast() }
        return "\(ppm / Ratio.partsPerUnit).\(fraction)"
    }

    public var description: String { percentText }
}

/// Why a ratio was refused. Each case names what was written.
public enum RatioError: Error, Sendable, Equatable, CustomStringConvertible {
    case notADecimal(String)
    case tooManyDecimals(String)
    case outOfRange(String)
    case denominatorNotDecimal(numerator: Int64, denominator: Int64)
    case notInLowestTerms(numerator: Int64, denominator: Int64)

    public var description: String {
        switch self {
        case .notADecimal(let text):
            "\(text) is not a ratio; write a decimal between 0 and 1 such as 0.15 (no sign, no % sign)"
        case .tooManyDecimals(let text):
            "\(text) has more than \(Ratio.decimalPlacesMax) decimal places; a ratio is exact to one part per million"
        case .outOfRange(let text):
            "\(text) is outside 0…1; a benefit pays at most the whole base (ratio 1)"
        case .denominatorNotDecimal(let numerator, let denominator):
            "\(numerator)/\(denominator) is not a decimal of at most \(Ratio.decimalPlacesMax) places; "
                + "the denominator must divide 1000000"
        case .notInLowestTerms(let numerator, let denominator):
            "\(numerator)/\(denominator) is not in lowest terms; a published ratio has exactly one spelling"
        }
    }
}

/// Euclid's algorithm on non-negative integers; gcd(0, n) = n.
func greatestCommonDivisor(_ a: Int64, _ b: Int64) -> Int64 {
    var (x, y) = (a, b)
    while y != 0 { (x, y) = (y, x % y) }
    return x
}
