import ArgumentParser

struct DbCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Say what store holds a ledger, move a ledger between a file and PostgreSQL, and grant roles on a database.",
        subcommands: [DbInfoCommand.self, DbCopyCommand.self, DbGrantCommand.self]
    )
}
