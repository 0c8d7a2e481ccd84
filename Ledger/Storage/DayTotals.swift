/// Postings summed per account and day, as a batch writes its balances: once per
/// transaction and account-day (`LedgerStoreWriter.addTotals`), not once per posting. An
/// append session, a copy and the audit's replay all keep their balances this way.
public struct DayTotals {
    struct AccountDay: Hashable {
        let account: AccountCode
        let date: LedgerDate
    }

    private var totals: [AccountDay: AccountTotals] = [:]

    public init() {}

    public mutating func add(_ posting: Posting, on date: LedgerDate) throws {
        try totals[AccountDay(account: posting.account, date: date), default: AccountTotals()].add(posting)
    }

    /// Writes every sum through `writer`, and starts again from nothing.
    public mutating func write(to writer: any LedgerStoreWriter) throws {
        for (key, line) in totals {
            try writer.addTotals(account: key.account, date: key.date, debit: line.debit, credit: line.credit)
        }
        totals.removeAll()
    }
}
