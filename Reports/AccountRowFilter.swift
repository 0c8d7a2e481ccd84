import Ledger

/// Which accounts an account-by-account statement lists: down to a level of the chart,
/// with or without the accounts that show nothing for the period. The trial balance, the
/// balance sheet and the income and expenditure statement take the same two options.
public struct AccountRowFilter: Sendable {
    /// Show accounts down to this level of the chart only (1: first-level accounts); nil for all.
    public var levelMax: Int?
    /// Also list accounts with no balance and no movement.
    public var includeIdle: Bool

    public init(levelMax: Int? = nil, includeIdle: Bool = false) {
        self.levelMax = levelMax
        self.includeIdle = includeIdle
    }

    /// Whether the line of account `code` is listed; `isIdle` says it shows nothing for the period.
    public func lists(_ code: AccountCode, isIdle: Bool) -> Bool {
        if let levelMax, code.level > levelMax { return false }
        return includeIdle || !isIdle
    }
}
