import ArgumentParser
import Reports

/// `huzhu report fund`: 互助金收支情况表.
struct FundReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fund",
        abstract: "互助金收支情况表: contributions, subsidies, payouts by benefit with person-times, pending and rejected claims, fund balance, payout ratio.",
        discussion: """
            Columns for the period and the year to date (本年累计). Person-times (人次) count claims \
            finally approved in the period, per benefit; pending claims are those waiting at the \
            period's end; rejections are grouped by reason. The fund balance (互助金结余) is \
            互助金专户 + 应收单位互助金 + 应收上级互助补助 − 应付互助金 − 应退互助金 at the period's \
            start and end: the same accounts' closing balances as in the trial balance. The payout \
            ratio is an exact fraction of two fen amounts, shown to two decimals. Amounts come \
            from the per-account daily totals, counts from the claims table's date indexes. \
            --level and --all do not apply.

            Examples:
              huzhu report fund --month 2026-03
              huzhu report fund --year 2026 --format html --out 互助金收支-2026.html
              huzhu report fund --from 2026-01 --to 2026-06 --format json
            """
    )

    @OptionGroup var options: ReportOptions

    func run() throws {
        try options.run(FundReport())
    }
}
