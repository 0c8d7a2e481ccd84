/// One line of a journal entry: an amount to one side of one account.
public struct Posting: Sendable, Hashable {
    public let account: AccountCode
    public let side: Side
    /// Always greater than zero; the side carries the direction.
    public let amount: Money

    public init(account: AccountCode, side: Side, amount: Money) throws(LedgerInputError) {
        guard amount.fen > 0 else {
            throw LedgerInputError(field: "amount", value: amount.formatted(), reason: "a posting's amount must be greater than zero")
        }
        self.account = account
        self.side = side
        self.amount = amount
    }

    init(trustedAccount account: AccountCode, side: Side, amount: Money) {
        self.account = account
        self.side = side
        self.amount = amount
    }

    public static func debit(_ account: AccountCode, _ amount: Money) throws(LedgerInputError) -> Posting {
        try Posting(account: account, side: .debit, amount: amount)
    }

    public static func credit(_ account: AccountCode, _ amount: Money) throws(LedgerInputError) -> Posting {
        try Posting(account: account, side: .credit, amount: amount)
    }

    /// The same line on the other side, as a reversal posts it.
    public var reversed: Posting { Posting(trustedAccount: account, side: side.opposite, amount: amount) }

    /// The line as events carry it: `{"account","amountFen","side"}` (FORMAT.md §4).
    public var json: JSONValue {
        ["account": .string(account.value), "side": .string(side.rawValue), "amountFen": .integer(amount.fen)]
    }

    /// Reads a line written as `json`.
    public init(json: JSONValue) throws(LedgerInputError) {
        guard let code = json["account"]?.stringValue, let sideName = json["side"]?.stringValue,
              let side = Side(rawValue: sideName), let fen = json["amountFen"]?.integerValue
        else {
            throw LedgerInputError(field: "postings", value: "\(json)", reason: "a posting needs account, side and amountFen")
        }
        try self.init(account: AccountCode(code), side: side, amount: Money(fen: fen))
    }
}

extension Array where Element == Posting {
    /// Checks the rules every entry obeys: at least two lines and debits equal credits.
    public func checkBalanced() throws(LedgerInputError) {
        guard count >= 2 else {
            throw LedgerInputError(field: "postings", value: "\(count) line(s)", reason: "an entry needs at least two postings")
        }
        var debits = Money.zero
        var credits = Money.zero
        do {
            for posting in self {
                if posting.side == .debit { debits = try debits.adding(posting.amount) } else { credits = try credits.adding(posting.amount) }
            }
        } catch {
            throw LedgerInputError(field: "postings", value: "\(count) lines", reason: "the total overflows")
        }
        guard debits == credits else {
            throw LedgerInputError(field: "postings", value: "debits \(debits.formatted()), credits \(credits.formatted())",
                                   reason: "debits and credits must be equal")
        }
    }
}
