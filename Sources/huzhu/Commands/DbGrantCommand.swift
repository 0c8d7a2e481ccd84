import ArgumentParser
import Foundation
import Ledger
import LedgerPostgres

struct DbGrantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant",
        abstract: "Give PostgreSQL roles a clerk's or an auditor's access to the ledger's database.",
        discussion: """
            Run as the owner of the ledger's tables (the user that ran `huzhu init`). Each role must exist \
            (CREATE ROLE name LOGIN PASSWORD '…'). A clerk may read everything and append, and update the \
            register and balances an append changes, but holds no UPDATE or DELETE on the log's tables \
            (events, merkle_nodes, checkpoints), which a trigger refuses to everyone besides. An auditor \
            may only read. Whatever a role held on the tables before is taken back first. Run it again \
            after upgrading Huzhu, so tables a new version adds are granted too (docs/OPERATIONS.md).

            Examples:
              huzhu db grant --db postgres://huzhu_owner@db.example.org/huzhu \\
                  --clerk clerk_haidian --clerk clerk_chaoyang
              huzhu db grant --db postgres://huzhu_owner@db.example.org/huzhu \\
                  --auditor audit_committee
            """
    )

    @OptionGroup var ledger: LedgerOptions

    @Option(help: ArgumentHelp("A role to give a clerk's access; repeatable.", valueName: "role"))
    var clerk: [String] = []

    @Option(help: ArgumentHelp("A role to give an auditor's (read-only) access; repeatable.", valueName: "role"))
    var auditor: [String] = []

    func validate() throws {
        if clerk.isEmpty && auditor.isEmpty { throw ValidationError("name at least one --clerk ROLE or --auditor ROLE") }
    }

    func run() throws {
        guard ledger.isPostgres else {
            throw LedgerInputError(field: "db", value: ledger.displayName,
                                   reason: "roles are PostgreSQL's; a ledger file is protected by its file permissions (docs/OPERATIONS.md)")
        }
        let store = try PostgresLedgerStore(url: ledger.databasePath)
        for (access, roles) in [(LedgerAccess.clerk, clerk), (.auditor, auditor)] {
            for role in roles {
                let statements = try store.grant(access, to: role)
                print("\(role): \(access.rawValue) on \(store.info.description) (\(statements.count) statements)")
            }
        }
    }
}
