import ArgumentParser
import Audit
import Ledger

struct AuditExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write an auditor's bundle: every event in canonical form, signatures, checkpoints, keys, a manifest.",
        discussion: """
            The bundle is checked with `huzhu verify --bundle DIR`, with no database and no private key, \
            or by a verifier written from docs/BUNDLE.md. It is one consistent snapshot of the ledger.

            Examples:
              huzhu audit export --out audit-2026-10
              huzhu verify --bundle audit-2026-10
            """
    )

    @OptionGroup var ledger: LedgerOptions

    @Option(help: ArgumentHelp("The folder to write (must not exist, or be empty).", valueName: "dir"))
    var out: String

    func run() throws {
        let summary = try BundleExporter(ledger: ledger.openLedger()).export(to: out)
        print("exported \(summary.events) events, \(summary.checkpoints) checkpoints and \(summary.keys) keys to \(summary.directory)")
        print("root \(summary.rootHash.hex) at tree size \(summary.events)")
    }
}
