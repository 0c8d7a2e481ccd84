/// An amount of money in fen (分, 1/100 yuan), the only unit Huzhu computes in.
///
/// Money is an integer, never a floating-point number: "0.1 + 0.2" must be exact in
/// a ledger. Arithmetic is checked; an overflow is an error, not a wrap-around.
///
/// ```swift
/// let fee = try Money(parsing: "1,234.50")   // 123450 fen
/// print(fee.formatted())                       // "1,234.50"
/// ```
public struct Money: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The amount in fen.
    public var fen: Int64

    public init(fen: Int64) { self.fen = fen }

    public static let zero = Money(fen: 0)

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.fen < rhs.fen }

    /// The sum, or `MoneyError.overflow` when it does not fit in `Int64` fen.
    public func adding(_ other: Money) throws(MoneyError) -> Money {
        let (sum, overflow) = fen.addingReportingOverflow(other.fen)
        if overflow { throw .overflow(lhs: self, rhs: other, operation: "+") }
        return Money(fen: sum)
    }

    /// The difference, or `MoneyError.overflow`.
    public func subtracting(_ other: Money) throws(MoneyError) -> Money {
        let (difference, overflow) = fen.subtractingReportingOverflow(other.fen)
        if overflow { throw .overflow(lhs: self, rhs: other, operation: "-") }
        return Money(fen: difference)
    }

    /// The amount with its sign flipped; `Int64.min` fen cannot be negated.
    public func negated() throws(MoneyError) -> Money {
        if fen == .min { throw .overflow(lhs: .zero, rhs: self, operation: "-") }
        return Money(fen: -fen)
    }

    public var description: String { formatted() }
}

/// Why an amount could not be parsed or computed. Every case names the input.
public enum MoneyError: Error, Equatable, CustomStringConvertible {
    case empty
    case invalidCharacter(input: String, character: Character)
    case tooManyDecimals(input: String)
    case misplacedGrouping(input: String)
    case signNotAllowed(input: String)
    case notPositive(input: String)
    case tooLarge(input: String)
    case overflow(lhs: Money, rhs: Money, operation: String)

    public var description: String {
        switch self {
        case .empty:
            return "an amount is required, found an empty value"
        case let .invalidCharacter(input, character):
            return "\"\(input)\" is not an amount: unexpected character \"\(character)\" (write yuan like 1234.50 or 1,234.50)"
        case let .tooManyDecimals(input):
            return "\"\(input)\" has more than two decimals; amounts are exact to the fen (0.01 yuan)"
        case let .misplacedGrouping(input):
            return "\"\(input)\" has a misplaced thousands separator; write 1,234.50 or 1234.50"
        case let .signNotAllowed(input):
            return "\"\(input)\" has a sign, but this amount must be written without one"
        case let .notPositive(input):
            return "\"\(input)\" must be greater than zero"
        case let .tooLarge(input):
            return "\"\(input)\" is too large to be recorded"
        case let .overflow(lhs, rhs, operation):
            return "the amount \(lhs.formatted()) \(operation) \(rhs.formatted()) overflows"
        }
    }
}
