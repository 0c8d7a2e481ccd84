import ArgumentParser
import Foundation
import Ledger
import MutualAid

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a sample ledger end to end, verify it and print a summary.",
        discussion: """
            Creates a folder with a ledger file and its keys, records a sample year, signs a checkpoint,
            and verifies everything. Safe to run again: it starts a fresh folder each time.

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
