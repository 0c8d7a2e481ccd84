/// The rule for one-line text people type and others read (a memo, a reason, a name): no
/// control characters and no bidirectional controls. A newline would split a line of the bank's file
/// or the journal, an escape sequence would reach a clerk's terminal, a bidirectional
/// override would show a name other than the one stored.
public enum PlainText {
    /// The first control character (Unicode category Cc) or bidirectional control in `text`.
    /// Other invisible format characters are kept: the zero-width joiner makes up emoji
    /// sequences (👩‍⚕️) and the non-joiner some scripts.
    public static func firstControl(in text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first { $0.properties.generalCategory == .control || bidiControls.contains($0.value) }
    }

    /// U+061C, U+200E/F, U+202A–E, U+2066–9: they reorder what is shown without being shown.
    static let bidiControls: Set<UInt32> = [0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]

    /// Throws naming `field` when `text` holds one of `firstControl`'s characters.
    public static func check(_ text: String, field: String) throws(LedgerInputError) {
        if let control = firstControl(in: text) {
            throw LedgerInputError(field: field, value: String(text.unicodeScalars.prefix(40).map(Character.init)),
                                   reason: "holds the control character U+\(String(control.value, radix: 16, uppercase: true)); write it as plain text on one line")
        }
    }
}
