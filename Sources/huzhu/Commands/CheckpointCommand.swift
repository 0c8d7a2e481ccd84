import ArgumentParser
import Ledger

struct CheckpointCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Sign the current tree head (tree size and Merkle root) and print it as JSON.",
        discussion: """
            The checkpoint is recorded in the log as a checkpoint.signed event and covers every event \
            before it. With --latest, prints the newest recorded checkpoint without signing a new one.

            Examples:
              huzhu checkpoint --key admin.key > checkpoint-2026-10.json
              huzhu checkpoint --latest
            """
    )

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var signer: KeyOptions

    @Flag(help: "Print the newest recorded checkpoint instead of signing one.")
    var latest = false

    func run() throws {
        let opened = try ledger.openLedger()
        if latest {
            guard let recorded = try opened.read({ try $0.checkpoints() }).last else {
                throw LedgerInputError(field: "checkpoint", value: "", reason: "this ledger has no checkpoint yet; sign one with `huzhu checkpoint --key admin.key`")
            }
            try printJSON(recorded.checkpoint.json)
            return
        }
        let recorded = try opened.signCheckpoint(signer: signer.loadKey())
        try printJSON(recorded.checkpoint.json)
        note("recorded at seq \(recorded.seq): tree size \(recorded.checkpoint.treeSize), root \(recorded.checkpoint.rootHash.hex)")
    }
}
