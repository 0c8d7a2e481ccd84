import ArgumentParser

struct PeriodCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "period",
        abstract: "Close accounting months and list the closed ones.",
        subcommands: [PeriodCloseCommand.self, PeriodListCommand.self]
    )
}
