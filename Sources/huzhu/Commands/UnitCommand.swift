import ArgumentParser
import Ledger
import MutualAid
import Reports

struct UnitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unit",
        abstract: "Add and list work units (基层单位).",
        subcommands: [Add.self, List.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a work unit whose members enrol through it.",
            discussion: "Example:\n  huzhu unit add U001 --name \"市机械厂工会\" --key clerk.key"
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions

        @Argument(help: "The unit's code: letters, digits, '-' or '_'.")
        var code: String

        @Option(help: "The unit's name.")
        var name: String

        func run() throws {
            let seq = try MutualAidBook(ledger: ledger.openLedger()).addUnit(try UnitID(code), name: name, signer: signer.loadKey())
            print("added unit \(code) \(name) at seq \(seq)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List units with their enrolled members for a year.",
            discussion: "Example:\n  huzhu unit list --year 2026"
        )

        @OptionGroup var ledger: LedgerOptions

        @Option(help: "The plan year.")
        var year: Int

        func run() throws {
            var table = TextTable(headers: ["unit", "name", "members"], alignments: [.left, .left, .right])
            for unit in try MutualAidBook(ledger: ledger.openLedger()).units(year: year) {
                table.add([unit.id, unit.name, "\(unit.members)"])
            }
            print(table.render())
        }
    }
}
