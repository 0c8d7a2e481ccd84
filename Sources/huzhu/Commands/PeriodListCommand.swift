import ArgumentParser
import Ledger

struct PeriodListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the closed months and the events that closed them.",
        discussion: """
            Examples:
              huzhu period list
              huzhu period list --format json
            """
    )

    @OptionGroup var ledger: LedgerOptions

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let closed = try ledger.openLedger().read { try $0.closedPeriods() }.sorted { $0.key < $1.key }
        switch format {
        case .json:
            try printJSON(["closed": .array(closed.map { ["period": .string($0.key.text), "seq": .integer($0.value)] })])
        case .text:
            if closed.isEmpty { print("no month is closed") }
            for (period, seq) in closed { print("\(period)  closed at seq \(seq)") }
        }
    }
}
