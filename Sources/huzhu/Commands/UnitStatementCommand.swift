import ArgumentParser
import MutualAid
import Reports

/// `huzhu report unit-statement`: 单位对账单.
struct UnitStatementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unit-statement",
        abstract: "单位对账单: members enrolled, contributions billed, paid and outstanding, and claims, per unit for a plan year.",
        discussion: """
            The plan year is the year of the period's last month. With --unit the statement also lists \
            the unit's members (masked) and claims. --level and --all do not apply.

            Examples:
              huzhu report unit-statement --year 2026
              huzhu report unit-statement --year 2026 --unit U001 --format html \\
                  --out U001-2026.html
            """
    )

    @OptionGroup var options: ReportOptions

    @Option(help: ArgumentHelp("Only this unit (its code).", valueName: "code"))
    var unit: String?

    func validate() throws {
        if let unit {
            do { _ = try UnitID(unit) } catch { throw ValidationError("--unit: \(error)") }
        }
    }

    func run() throws {
        try options.run(UnitStatementReport(unit: try unit.map(UnitID.init)))
    }
}
