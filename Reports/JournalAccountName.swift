import Ledger

/// The name an account has in a beancount or hledger export: the root both tools know for
/// its type, then the code of each level of the chart, `Assets:102:10201` for 10201.
///
/// Codes, not Chinese names, make the components: a code never changes once opened (the
/// union chart's first-level codes may not even be renamed), it is ASCII, which both tools
/// and every terminal accept, and a name path built from it sorts and nests exactly as the
/// chart does. The Chinese name travels beside it: beancount `name:` metadata on the
/// `open` directive, an hledger `name:` tag on the `account` directive. Both tools accept
/// components that start with a digit after a capitalised root.
public enum JournalAccountName {
    /// The root account each type lives under; both tools give these their usual meaning.
    public static func root(of type: AccountType) -> String {
        switch type {
        case .asset: return "Assets"
        case .liability: return "Liabilities"
        case .netAssets: return "Equity"
        case .revenue: return "Income"
        case .expense: return "Expenses"
        }
    }

    /// `Assets:102:10201` for 10201 互助金专户.
    public static func name(of code: AccountCode, type: AccountType) -> String {
        var levels: [String] = []
        var current: AccountCode? = code
        while let level = current {
            levels.append(level.value)
            current = level.parent
        }
        return ([root(of: type)] + levels.reversed()).joined(separator: ":")
    }

    public static func name(of account: Account) -> String { name(of: account.code, type: account.type) }

    /// The hledger account type tag for `type` (A, L, E, R, X).
    public static func hledgerType(of type: AccountType) -> String {
        switch type {
        case .asset: return "A"
        case .liability: return "L"
        case .netAssets: return "E"
        case .revenue: return "R"
        case .expense: return "X"
        }
    }
}
