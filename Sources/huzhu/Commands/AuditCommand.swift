import ArgumentParser

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Run the full-coverage audit, or export an auditor's bundle.",
        discussion: """
            `huzhu audit` alone runs every check (`huzhu audit run`); see `huzhu audit run --help`.

            Examples:
              huzhu audit
              huzhu audit --since-checkpoint
              huzhu audit export --out audit-2026-10
            """,
        subcommands: [AuditRunCommand.self, AuditExportCommand.self],
        defaultSubcommand: AuditRunCommand.self
    )
}
