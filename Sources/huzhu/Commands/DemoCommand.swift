import ArgumentParser
import Foundation
import Ledger
import MutualAid

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a sample ledger end to end, verify it and print a summary.",
        discussion: """
            Creates a folder with a ledger file, its keys and the rosters, then runs a plan year of the
            unit-paid 60 yuan plan: six units and about 3,000 members enrolled, contributions billed and
            received (one unit late), about 1,200 claims of every benefit filed, assessed by the rules,
            reviewed, approved (two approvers for large ones) or rejected, and paid month by month with a
            checkpoint each month; then verifies every event. Safe to run again: it replaces its folder.

            Examples:
              huzhu demo
              huzhu demo --dir /tmp/huzhu-demo
            """
    )

    @Option(help: "Where to build the demo (replaced if it holds an earlier demo).")
    var dir: String = "demo"

    func run() throws {
        let summary = try DemoBuilder(directory: dir).build { message in note(message) }
        print(summary)
    }
}
