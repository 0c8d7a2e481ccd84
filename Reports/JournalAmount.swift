import Ledger

/// An amount as both journal formats read it: signed yuan with two decimals, no thousands
/// separator (hledger could take a lone comma for a decimal mark), and the commodity CNY.
/// Debits are positive and credits negative, the sign convention both tools use.
public enum JournalAmount {
    public static let commodity = "CNY"

    public static func text(_ posting: Posting) -> String {
        let signed = posting.side == .debit ? posting.amount.fen : -posting.amount.fen
        return text(fen: signed)
    }

    public static func text(fen: Int64) -> String {
        Money(fen: fen).formatted(grouping: false) + " " + commodity
    }

    /// A balance as the tools report it: debit-positive, whatever the account's normal side.
    public static func signedFen(_ totals: AccountTotals) -> Int64 {
        totals.debit.fen - totals.credit.fen
    }
}
