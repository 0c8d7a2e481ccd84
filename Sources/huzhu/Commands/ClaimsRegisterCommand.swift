import ArgumentParser
import Reports

/// `huzhu report claims`: 理赔登记簿.
struct ClaimsRegisterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claims",
        abstract: "理赔登记簿: every claim filed, approved, paid or rejected in the period, with totals by state.",
        discussion: """
            Each claim shows its unit, member id and masked name, benefit, service and filing dates, \
            state, assessed, approved and paid amounts, and the reason for a rejection. --level and \
            --all do not apply.

            Examples:
              huzhu report claims --month 2026-03
              huzhu report claims --year 2026 --format csv --out 理赔登记簿-2026.csv
            """
    )

    @OptionGroup var options: ReportOptions

    func run() throws {
        try options.run(ClaimsRegisterReport())
    }
}
