import Ledger

/// The rules for a member's name, phone and bank card, applied at every way they enter the
/// register (a roster row, `member enroll`, `member update`) and before every payment, so
/// a payment never goes to a card the register would have refused.
public enum ContactDetails {
    /// 银行卡号 are 16 to 19 digits; some accounts have fewer or more.
    public static let bankCardDigits: ClosedRange<Int> = 8...30
    public static let phoneLengthMax = 20
    public static let nameLengthMax = 50

    /// A bank card as stored: its digits, spaces removed.
    public static func bankCard(_ text: String) throws(LedgerInputError) -> String {
        let card = text.filter { $0 != " " }
        guard bankCardDigits.contains(card.count), card.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw LedgerInputError(field: "bank card", value: Masking.bankCard(card),
                                   reason: "\(bankCardDigits.lowerBound) to \(bankCardDigits.upperBound) digits (spaces are ignored)")
        }
        return card
    }

    /// A phone number: digits, '-' or '+'.
    public static func phone(_ text: String) throws(LedgerInputError) -> String {
        let phone = text.trimmingSpaces()
        guard !phone.isEmpty, phone.count <= phoneLengthMax, phone.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-" || $0 == "+") }) else {
            throw LedgerInputError(field: "phone", value: Masking.phone(phone), reason: "digits, '-' or '+', at most \(phoneLengthMax)")
        }
        return phone
    }

    /// A person's name: 1 to 50 characters, none of them a control character (a newline
    /// would split the bank's payment line, an escape would reach a clerk's terminal).
    public static func name(_ text: String) throws(LedgerInputError) -> String {
        let name = text.trimmingSpaces()
        guard !name.isEmpty, name.count <= nameLengthMax else {
            throw LedgerInputError(field: "name", value: name, reason: "a name of 1 to \(nameLengthMax) characters is required")
        }
        if let control = PlainText.firstControl(in: name) {
            throw LedgerInputError(field: "name", value: Masking.name(name),
                                   reason: "holds the control character U+\(String(control.value, radix: 16, uppercase: true)); names are plain text")
        }
        return name
    }
}
