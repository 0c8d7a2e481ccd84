extension Money {
    /// The largest amount accepted from text: 2^53 − 1 fen, the largest integer that
    /// canonical JSON (RFC 8785) writes exactly. About 90 trillion yuan.
    public static let parseableMaxFen: Int64 = 9_007_199_254_740_991

    /// Parses an amount written in yuan, exactly.
    ///
    /// Accepts "1234", "1234.5", "1234.50", "1,234.50" and, when `allowSign` is true,
    /// "-0.01" or "+3". Rejects more than two decimals ("1.234"), a thousands separator
    /// in the wrong place ("12,34"), and anything that is not a digit.
    public init(parsing text: String, allowSign: Bool = false) throws(MoneyError) {
        let input = text.trimmingSpaces()
        guard !input.isEmpty else { throw .empty }
        var bytes = Substring(input).utf8[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            guard allowSign else { throw .signNotAllowed(input: input) }
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var integerPart: Int64 = 0
        var integerDigits = 0
        var digitsSinceComma = -1   // -1: no comma seen yet
        var fraction: Int64 = 0
        var fractionDigits = 0
        var inFraction = false
        var sawDigit = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                sawDigit = true
                let digit = Int64(byte - UInt8(ascii: "0"))
                if inFraction {
                    fractionDigits += 1
                    guard fractionDigits <= 2 else { throw .tooManyDecimals(input: input) }
                    fraction = fraction * 10 + digit
                } else {
                    integerDigits += 1
                    if digitsSinceComma >= 0 { digitsSinceComma += 1 }
                    guard integerDigits <= 16 else { throw .tooLarge(input: input) }
                    integerPart = integerPart * 10 + digit
                }
            case UInt8(ascii: ","):
                // A separator must follow 1–3 leading digits or exactly 3 digits after the previous one.
                guard !inFraction, integerDigits > 0,
                      digitsSinceComma == -1 ? integerDigits <= 3 : digitsSinceComma == 3
                else { throw .misplacedGrouping(input: input) }
                digitsSinceComma = 0
            case UInt8(ascii: "."):
                guard !inFraction else { throw .invalidCharacter(input: input, character: ".") }
                if digitsSinceComma >= 0 && digitsSinceComma != 3 { throw .misplacedGrouping(input: input) }
                inFraction = true
            default:
                let character = String(decoding: [byte], as: UTF8.self).first ?? "?"
                throw .invalidCharacter(input: input, character: byte < 0x80 ? character : "?")
            }
        }
        guard sawDigit else { throw .invalidCharacter(input: input, character: input.last ?? "?") }
        if digitsSinceComma >= 0 && !inFraction && digitsSinceComma != 3 { throw .misplacedGrouping(input: input) }
        if fractionDigits == 1 { fraction *= 10 }
        let (scaled, o1) = integerPart.multipliedReportingOverflow(by: 100)
        let (total, o2) = scaled.addingReportingOverflow(fraction)
        guard !o1, !o2, total <= Money.parseableMaxFen else { throw .tooLarge(input: input) }
        self.init(fen: negative ? -total : total)
    }

    /// Parses an amount that must be greater than zero, as a posting's amount must be.
    public init(parsingPositive text: String) throws(MoneyError) {
        try self.init(parsing: text, allowSign: false)
        guard fen > 0 else { throw .notPositive(input: text.trimmingSpaces()) }
    }

    /// The amount in yuan with two decimals and thousands separators: "-1,234.50".
    /// Never rounded: every fen is shown.
    public func formatted(grouping: Bool = true) -> String {
        let magnitude = fen.magnitude
        let yuan = magnitude / 100
        let cents = magnitude % 100
        let digits = grouping ? DigitGrouping.thousands(yuan) : String(yuan)
        let centsText = cents < 10 ? "0\(cents)" : "\(cents)"
        return (fen < 0 ? "-" : "") + digits + "." + centsText
    }
}
