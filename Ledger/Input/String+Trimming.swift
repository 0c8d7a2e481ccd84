extension String {
    /// The text without leading and trailing blanks: tabs and Unicode space separators
    /// (U+0020, U+00A0, U+3000 …), what `.whitespaces` trims, without Foundation's cost;
    /// rosters and settlement files run it on every field of a million rows.
    public func trimmingSpaces() -> String {
        func isBlank(_ scalar: Unicode.Scalar) -> Bool {
            scalar.value < 0x80 ? scalar == " " || scalar == "\t" : scalar.properties.generalCategory == .spaceSeparator
        }
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return self }
        if !isBlank(first) && !isBlank(last) { return self }
        guard let start = scalars.firstIndex(where: { !isBlank($0) }) else { return "" }
        let end = scalars.lastIndex(where: { !isBlank($0) })!
        return String(scalars[start...end])
    }
}
