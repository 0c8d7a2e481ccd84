/// Small text checks shared by plan validation.
extension String {
    /// Whether the text is empty or only spaces (ASCII, tab, or the ideographic space
    /// a Chinese input method types), which a name or document must not be.
    var isBlankText: Bool {
        allSatisfy { $0 == " " || $0 == "\t" || $0 == "\u{3000}" }
    }
}

/// Whether `text` is a slug: lowercase ASCII letters, digits and '-', starting with a
/// letter or digit, 1 to `lengthMax` characters. Slugs name things in events and file
/// names, where spaces, capitals and Chinese characters would invite near-duplicates.
func isSlug(_ text: String, lengthMax: Int) -> Bool {
    let bytes = Array(text.utf8)
    guard !bytes.isEmpty, bytes.count <= lengthMax, bytes.last != UInt8(ascii: "-") else { return false }
    for (index, byte) in bytes.enumerated() {
        let isLetter = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
        let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
        if index == 0 ? !(isLetter || isDigit) : !(isLetter || isDigit || byte == UInt8(ascii: "-")) { return false }
    }
    return true
}
