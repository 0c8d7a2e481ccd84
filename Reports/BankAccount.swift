import Ledger

/// The account whose balance a finance office watches month by month: 102 银行存款, where
/// the mutual-aid fund's money actually is. Charts of it show at a glance whether the
/// fund's cash is growing or being drawn down.
public enum BankAccount {
    public static let defaultCode = try! AccountCode("102")

    /// A column chart of `code`'s month-end balance over the context's chart months, or nil
    /// when the chart has no such account.
    public static func monthEndChart(context: ReportContext, code: AccountCode?) throws -> ReportChart? {
        guard let code, let account = context.account(code) else { return nil }
        let series = try context.monthEndBalances(of: code, months: context.chartMonths)
        return ReportChart(key: "fundBalanceByMonth", title: "\(account.code) \(account.name) 月末余额", style: .columns,
                           bars: series.map { .init($0.month.text, $0.balance) })
    }
}
