/// Digits grouped by thousands with commas, as amounts and counts are written for people
/// in China's books: 1234567 → "1,234,567".
public enum DigitGrouping {
    public static func thousands(_ magnitude: UInt64) -> String {
        let digits = String(magnitude)
        guard digits.count > 3 else { return digits }
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return grouped
    }
}
