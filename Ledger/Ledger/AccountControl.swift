/// Accounts a domain moves only through its own events (内控): a mutual-aid plan's bank
/// account, receivables, payables, benefit expenses and fund.
///
/// A plain journal entry is one clerk's word, so the core refuses an `entry.posted` or
/// `entry.reversed` with a line on a controlled account (or on a sub-account of one); the
/// domain moves them through its own kinds, whose role rules and checks it states (for a
/// general entry: proposed by one key and approved by another). Accounts no domain controls
/// (bank fees on the basic account, say) keep the single-key entry.
///
/// ```swift
/// struct PlanControl: AccountControl {
///     func controlledAccounts(in reader: any LedgerStoreReader) throws -> ControlledAccounts {
///         ControlledAccounts(["10201", "22501"].map { try AccountCode($0) }, hint: "propose it: `huzhu post --propose`")
///     }
/// }
/// ```
public protocol AccountControl: Sendable {
    /// The controlled accounts as the store stands now. Asked at most once per append
    /// session, when its first plain entry is appended.
    func controlledAccounts(in reader: any LedgerStoreReader) throws -> ControlledAccounts
}

/// A set of controlled accounts; an account is controlled when it or any of its parents is
/// in the set, so opening a sub-account does not open a way around the rule.
public struct ControlledAccounts: Sendable, Hashable {
    public let codes: Set<AccountCode>
    /// What to do instead, for the refusal's message ("propose it for an approver: …").
    public let hint: String

    public init(_ codes: some Sequence<AccountCode>, hint: String) {
        self.codes = Set(codes)
        self.hint = hint
    }

    public static let none = ControlledAccounts([], hint: "")

    public var isEmpty: Bool { codes.isEmpty }

    /// Whether `code`, or an account it is a sub-account of, is controlled.
    public func controls(_ code: AccountCode) -> Bool {
        var current: AccountCode? = code
        while let account = current {
            if codes.contains(account) { return true }
            current = account.parent
        }
        return false
    }

    /// The first posting of `postings` on a controlled account.
    public func firstControlled(in postings: [Posting]) -> Posting? {
        postings.first { controls($0.account) }
    }
}
