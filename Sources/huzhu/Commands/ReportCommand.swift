import ArgumentParser
import Foundation
import Ledger
import Reports

/// `huzhu report …`: the monthly statements a union finance office hands over.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Make a report for a month, a range of months or a year: trial balance, balance sheet, income and expenditure, fund report, claims register, unit statement, internal controls.",
        discussion: """
            Figures come from the per-account, per-day balance projection, not from scanning the log. \
            Every report names the checkpoint its figures rest on and ends with the sign-off lines \
            (工会主席, 财务负责人, 复核, 制表). A report whose tie-out fails is still written, and the \
            command exits 1.

            Examples:
              huzhu report trial-balance --month 2026-10
              huzhu report balance-sheet --year 2026 --format html \\
                  --out 资产负债表-2026.html
              huzhu report income-expenditure --from 2026-01 --to 2026-06 --format csv \\
                  --out ie-h1.csv
              huzhu report fund --month 2026-03
              huzhu report claims --month 2026-03 --format csv --out claims-2026-03.csv
              huzhu report unit-statement --year 2026 --unit U001
            """,
        subcommands: [TrialBalanceCommand.self, BalanceSheetCommand.self, IncomeExpenditureCommand.self,
                      FundReportCommand.self, ClaimsRegisterCommand.self, UnitStatementCommand.self, ControlsReportCommand.self]
    )
}

extension ReportFormat: ExpressibleByArgument {}

/// The period a report covers: exactly one of --month, --from/--to, or --year.
struct ReportPeriodOptions: ParsableArguments {
    @Option(help: ArgumentHelp("One month (YYYY-MM).", valueName: "month"))
    var month: String?

    @Option(help: ArgumentHelp("First month of a range (YYYY-MM); needs --to.", valueName: "month"))
    var from: String?

    @Option(help: ArgumentHelp("Last month of a range (YYYY-MM); needs --from.", valueName: "month"))
    var to: String?

    @Option(help: ArgumentHelp("A calendar year (YYYY).", valueName: "year"))
    var year: Int?

    func validate() throws {
        let chosen = [month != nil, from != nil || to != nil, year != nil].filter { $0 }.count
        guard chosen <= 1 else {
            throw ValidationError("choose one period: --month, --from with --to, or --year")
        }
        guard (from == nil) == (to == nil) else {
            throw ValidationError("a range needs both --from and --to, e.g. --from 2026-01 --to 2026-06")
        }
    }

    /// The chosen period; the current month (UTC+8) when none is given.
    func period(today: LedgerDate) throws -> ReportPeriod {
        if let month { return ReportPeriod(month: try Period(month)) }
        if let from, let to { return try ReportPeriod(from: try Period(from), through: try Period(to)) }
        if let year { return try ReportPeriod(year: year) }
        return ReportPeriod(month: today.period)
    }
}

/// Options every report shares: the ledger, the period, the format and where to write.
struct ReportOptions: ParsableArguments {
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var period: ReportPeriodOptions

    @Option(help: "text, csv, json or html.")
    var format: ReportFormat = .text

    @Option(help: ArgumentHelp("Write the report to this file instead of standard output; it must not exist unless --force.", valueName: "path"))
    var out: String?

    @Flag(help: "Replace --out if it exists.")
    var force = false

    @Option(help: ArgumentHelp("Show accounts down to this level of the chart (1: first-level accounts only).", valueName: "n"))
    var level: Int?

    @Flag(help: "Also list accounts with no balance and no movement.")
    var all = false

    func validate() throws {
        if let level, !(1...5).contains(level) {
            throw ValidationError("--level must be 1 to 5 (a code has at most five levels)")
        }
    }

    /// Builds `report`, writes it, and exits 1 after writing if a check failed.
    func run(_ report: some Report) throws {
        // The clock HUZHU_NOW overrides, so a test or a demo can date its reports.
        let today = EventTime.now().localDate
        let output = try out.map { try OutputFile(path: $0, overwrite: force) }
        let document = try ReportRunner.run(report, on: ledger.openLedger(), period: period.period(today: today), preparedOn: today)
        let text = try format.render(document)
        if let output, let out {
            try output.write(Array(text.utf8))
            note("wrote \(document.title) (\(document.period.chineseLabel)) to \(out)")
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        let failures = document.failedChecks
        guard failures.isEmpty else {
            throw CheckFailed(message: ReportError.checksFailed(
                report: document.title,
                failures: failures.map { "\($0.label): \($0.leftLabel) \($0.left.formatted()) ≠ \($0.rightLabel) \($0.right.formatted())" }
            ).description)
        }
    }
}

struct TrialBalanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trial-balance",
        abstract: "科目余额表: opening balance, debits, credits and closing balance per account, with the tie-out.",
        discussion: """
            Balances are shown with their direction (借 debit, 贷 credit, 平 none); parents are the sum of \
            their sub-accounts. Opening debit and credit balances, period debits and credits, and closing \
            balances must each tie out over the first-level accounts; the report shows all three.

            Examples:
              huzhu report trial-balance --month 2026-10
              huzhu report trial-balance --year 2026 --level 1
              huzhu report trial-balance --from 2026-07 --to 2026-09 --format html \\
                  --out tb-q3.html
            """
    )

    @OptionGroup var options: ReportOptions

    func run() throws {
        try options.run(TrialBalanceReport(levelMax: options.level, includeIdle: options.all))
    }
}

struct BalanceSheetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "balance-sheet",
        abstract: "资产负债表: assets, liabilities and net assets at the start and end of the period.",
        discussion: """
            Net assets include the surplus (revenue − expenditure) not yet closed into net-asset \
            accounts: 累计结余 from before the period and 本期结余 of the period, so that \
            资产 = 负债 + 净资产 holds; the report checks it at both dates.

            Examples:
              huzhu report balance-sheet --month 2026-10
              huzhu report balance-sheet --year 2026 --format html --out bs-2026.html
            """
    )

    @OptionGroup var options: ReportOptions

    func run() throws {
        try options.run(BalanceSheetReport(levelMax: options.level, includeIdle: options.all))
    }
}

struct IncomeExpenditureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "income-expenditure",
        abstract: "收入支出表: revenue and expenditure by account for the period and the year to date, and the surplus.",
        discussion: """
            本年累计 runs from January of the period's last month's year. The HTML page charts the \
            period's expenditure by account and the surplus by month.

            Examples:
              huzhu report income-expenditure --month 2026-10
              huzhu report income-expenditure --year 2026 --format json
            """
    )

    @OptionGroup var options: ReportOptions

    func run() throws {
        try options.run(IncomeExpenditureReport(levelMax: options.level, includeIdle: options.all))
    }
}
