/// An account of the ledger's chart, as opened by an `account.opened` event.
public struct Account: Sendable, Hashable, Codable {
    public let code: AccountCode
    public let name: String
    public let type: AccountType
    /// The seq of the event that opened it.
    public var openedSeq: Int64
    /// The seq of the event that closed it, if any; a closed account takes no postings.
    public var closedSeq: Int64?

    public init(code: AccountCode, name: String, type: AccountType, openedSeq: Int64 = 0, closedSeq: Int64? = nil) {
        self.code = code
        self.name = name
        self.type = type
        self.openedSeq = openedSeq
        self.closedSeq = closedSeq
    }

    public var isOpen: Bool { closedSeq == nil }
}
