/// `account.closed`: the account takes no postings after this event.
public struct AccountClosedEvent: EventValue, Equatable {
    public static let kind = EventKind.accountClosed
    public let code: AccountCode

    public init(code: AccountCode) { self.code = code }

    public init(_ fields: EventFields) throws {
        self.init(code: try fields.parsed("code") { try AccountCode($0) })
    }

    public func draft() throws(LedgerInputError) -> EventDraft { try EventDraft(kind: Self.kind, fields: ["code": .string(code.value)]) }
}
