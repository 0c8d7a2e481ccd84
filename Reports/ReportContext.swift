import Ledger

/// What a report reads the books through: the chart, the period, and per-account totals
/// from the `account_day_totals` projection, all inside one read snapshot.
///
/// Totals come from the indexed per-account, per-day projection, never from scanning the
/// event log, so a month's report costs O(accounts × days) however long the log is.
public struct ReportContext {
    public let ledger: LedgerInfo
    public let period: ReportPeriod
    /// The chart, in code order: parents before their sub-accounts.
    public let accounts: [Account]
    public let provenance: ReportProvenance
    /// The snapshot; valid only while the report is being built.
    public let reader: any LedgerStoreReader

    private let accountsByCode: [AccountCode: Account]

    public init(ledger: LedgerInfo, period: ReportPeriod, reader: any LedgerStoreReader) throws {
        self.ledger = ledger
        self.period = period
        self.reader = reader
        self.accounts = try reader.accounts().sorted { $0.code < $1.code }
        self.accountsByCode = Dictionary(accounts.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        self.provenance = try ReportProvenance(reader: reader, ledger: ledger)
    }

    public func account(_ code: AccountCode) -> Account? { accountsByCode[code] }

    /// Debits and credits per leaf account for entries dated in `[from, through]`.
    ///
    /// Every account named must be in the chart: a total on an unknown account would drop
    /// out of every roll-up and the report would tie out while missing money.
    public func totals(from: LedgerDate?, through: LedgerDate?) throws -> [AccountCode: AccountTotals] {
        let totals = try reader.totals(from: from, through: through)
        for code in totals.keys where accountsByCode[code] == nil {
            throw ReportError.unknownAccount(code)
        }
        return totals
    }

    /// Totals from the start of the books through the day before the period: what the
    /// opening balances (期初余额) are made of.
    public func openingTotals() throws -> [AccountCode: AccountTotals] {
        try totals(from: nil, through: period.dayBeforeStart)
    }

    /// Totals of entries dated inside `period` (default: the report's period).
    public func movements(in period: ReportPeriod? = nil) throws -> [AccountCode: AccountTotals] {
        let period = period ?? self.period
        return try totals(from: period.startDate, through: period.endDate)
    }

    /// The months a trend chart covers: from January of the last month's year, or the
    /// period's start if earlier, through the period's last month. A single month's report
    /// still shows the year so far, which is what a month on its own cannot.
    public var chartMonths: [Period] {
        let yearToDate = period.yearToDate
        let first = min(yearToDate.first, period.first)
        return (try? ReportPeriod(from: first, through: period.last).months) ?? period.months
    }

    /// Per-leaf totals for each of `months`, one query per month over disjoint days, so the
    /// whole series costs one pass over those days of the projection.
    public func monthlyMovements(_ months: [Period]) throws -> [(month: Period, totals: [AccountCode: AccountTotals])] {
        try months.map { month in (month, try totals(from: month.firstDay, through: month.lastDay)) }
    }

    /// The balance of `code` and its sub-accounts, on its normal side, at the end of each of
    /// `months` (which must be consecutive).
    public func monthEndBalances(of code: AccountCode, months: [Period]) throws -> [(month: Period, balance: Money)] {
        guard let account = account(code), let first = months.first else { return [] }
        var running = try AccountTotals.sum(try totals(from: nil, through: first.firstDay.adding(days: -1)), under: code)
        var result: [(month: Period, balance: Money)] = []
        for (month, totals) in try monthlyMovements(months) {
            let moved = try AccountTotals.sum(totals, under: code)
            running.debit = try running.debit.adding(moved.debit)
            running.credit = try running.credit.adding(moved.credit)
            result.append((month, try running.balance(for: account.type)))
        }
        return result
    }
}

extension AccountTotals {
    /// The totals of `code` and every account below it in `totals`.
    static func sum(_ totals: [AccountCode: AccountTotals], under code: AccountCode) throws(MoneyError) -> AccountTotals {
        var sum = AccountTotals()
        for (leaf, line) in totals where leaf.value.hasPrefix(code.value) {
            sum.debit = try sum.debit.adding(line.debit)
            sum.credit = try sum.credit.adding(line.credit)
        }
        return sum
    }
}
