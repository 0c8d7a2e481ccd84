/// An account code in the union chart: three digits for a first-level account
/// (102 银行存款), two more digits per sub-level (22501 应付互助金).
///
/// The code alone tells an account's parent, so a chart never needs a separate tree.
public struct AccountCode: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let value: String

    /// The longest code accepted: four levels below the first.
    public static let lengthMax = 11

    public init(_ text: String) throws(LedgerInputError) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 3, bytes.count <= AccountCode.lengthMax, (bytes.count - 3) % 2 == 0,
              bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else {
            throw LedgerInputError(field: "account", value: text,
                                   reason: "an account code is 3 digits (first level) plus 2 digits per sub-level, e.g. 102 or 22501")
        }
        value = text
    }

    /// The parent account's code, or nil for a first-level account.
    public var parent: AccountCode? {
        value.count <= 3 ? nil : AccountCode(trusted: String(value.dropLast(2)))
    }

    /// The first-level code: 225 for 22501.
    public var firstLevel: AccountCode { AccountCode(trusted: String(value.prefix(3))) }

    /// 1 for a first-level account, 2 for its sub-accounts, and so on.
    public var level: Int { (value.count - 1) / 2 }

    init(trusted value: String) { self.value = value }

    public static func < (lhs: AccountCode, rhs: AccountCode) -> Bool { lhs.value < rhs.value }
    public var description: String { value }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(text)
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
