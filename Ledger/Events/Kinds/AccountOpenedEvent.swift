/// `account.opened`: an account of the chart, its name and type; `parent` (null for a
/// first-level account) follows from the code.
public struct AccountOpenedEvent: EventValue, Equatable {
    public static let kind = EventKind.accountOpened
    public let code: AccountCode
    public let name: String
    public let type: AccountType

    public init(code: AccountCode, name: String, type: AccountType) {
        self.code = code
        self.name = name
        self.type = type
    }

    public init(_ fields: EventFields) throws {
        let code = try fields.parsed("code") { try AccountCode($0) }
        let type = try fields.parsed("type") { (text: String) throws -> AccountType in
            guard let type = AccountType(rawValue: text) else { throw EventDecodingError.badField("not an account type") }
            return type
        }
        self.init(code: code, name: try fields.string("name"), type: type)
        guard try fields.value("parent") == (code.parent.map { .string($0.value) } ?? .null) else {
            throw fields.badField("names a parent that is not \(code)'s")
        }
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        try EventDraft(kind: Self.kind, fields: ["code": .string(code.value), "name": .string(name), "type": .string(type.rawValue),
                                                 "parent": code.parent.map { .string($0.value) } ?? .null])
    }

    /// The account as the register keeps it, opened at `seq`.
    public func account(seq: Int64) -> Account { Account(code: code, name: name, type: type, openedSeq: seq) }
}
