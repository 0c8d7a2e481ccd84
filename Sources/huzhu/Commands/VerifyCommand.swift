import ArgumentParser
import Audit
import Foundation
import Ledger
import MutualAid

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute every hash, link, signature and Merkle root of the ledger.",
        discussion: """
            Exits 0 when everything holds, 1 with the first failing seq and the reason when not. \
            Checks: seq contiguous, prev links, stored hashes, Ed25519 signatures by keys registered \
            (and not revoked) before each event with a role allowed to sign it, every stored Merkle \
            node, and every checkpoint's root and signature (a log shorter than a checkpoint fails).

            With --bundle DIR, checks an auditor's bundle (`huzhu audit export`) instead, with no database \
            and no private key: the same chain rules, plus balanced entries, closed months and canonical \
            bodies, and the bundle's keys, checkpoints and manifest against its events (docs/BUNDLE.md). \
            Each --checkpoint FILE is a checkpoint kept outside the bundle (the union's published one, a \
            member's statement, the committee's copy): the bundle must hold its events and give its root \
            at its size, so a history rewritten or cut short after it was signed fails, naming the file.

            Examples:
              huzhu verify
              huzhu verify --db books/2026.db --format json
              huzhu verify --bundle audit-2026-10
              huzhu verify --bundle audit-2026-10 --checkpoint published-2026-09.json \\
                  --checkpoint statement.json
            """
    )

    @OptionGroup var ledger: LedgerOptions

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @OptionGroup var progress: ProgressOptions

    @Option(help: ArgumentHelp("Verify this auditor's bundle folder instead of a ledger file.", valueName: "dir"))
    var bundle: String?

    @Option(name: .customLong("checkpoint"),
            help: ArgumentHelp("With --bundle: a signed checkpoint obtained elsewhere that the bundle must agree with; repeatable.", valueName: "file"))
    var checkpointFiles: [String] = []

    func run() throws {
        if let bundle { return try verifyBundle(bundle) }
        let opened = try ledger.openLedger()
        let started = Date()
        let line = progress.line("verifying events")
        let report = try LogVerifier(store: opened.store, policy: opened.policy).verify { done, total in line.update(done, total: total) }
        line.finish()
        let seconds = Date().timeIntervalSince(started)
        switch format {
        case .json:
            try printJSON(["ledger": .string(report.ledgerID), "valid": .bool(report.isValid), "events": .integer(report.eventCount),
                           "rootHash": .string(report.rootHash.hex), "checkpointsVerified": .integer(Int64(report.checkpointsVerified)),
                           "signaturesVerified": .integer(report.signaturesVerified),
                           "failures": .array(report.failures.map { ["seq": .integer($0.seq), "reason": .string($0.reason)] })])
        case .text:
            if report.isValid {
                print("ok: \(report.eventCount) events, \(report.signaturesVerified) signatures, \(report.checkpointsVerified) checkpoints verified in \(String(format: "%.2f", seconds)) s")
                print("root \(report.rootHash.hex) at tree size \(report.eventCount)")
            } else {
                for failure in report.failures.prefix(20) { print("FAIL \(failure)") }
                if report.failures.count > 20 { print("… and \(report.failures.count - 20) more") }
            }
        }
        if let first = report.firstFailure {
            throw CheckFailed(message: "verification failed at seq \(first.seq): \(first.reason)")
        }
    }

    /// Prints a bundle's result as `verify` prints a ledger's; the first error by seq fails it.
    func verifyBundle(_ directory: String) throws {
        let outside = try checkpointFiles.map { file in
            OutsideCheckpoints.Evidence(source: LedgerInputError.fileName(file), checkpoint: try CheckpointFile.read(file))
        }
        let report = try BundleVerifier(directory: directory, policy: HuzhuLedger.policy, domainChecks: Auditor.huzhuDomainChecks(),
                                        eventValues: MutualAidEvents.catalog,
                                        outside: outside).verify()
        let errors = report.sortedFindings.filter { $0.severity == .error }
        switch format {
        case .json:
            try printJSON(["ledger": .string(report.ledgerID), "valid": .bool(errors.isEmpty), "events": .integer(report.treeSize),
                           "rootHash": .string(report.rootHash.hex), "checkpointsVerified": .integer(Int64(report.checkpointsVerified)),
                           "signaturesVerified": .integer(report.signaturesVerified), "bundle": .string(directory),
                           "failures": .array(errors.map { ["seq": $0.faultSeq.map { .integer($0) } ?? .null, "check": .string($0.check),
                                                            "reason": .string($0.explanation)] })])
        case .text:
            if errors.isEmpty {
                print("ok: bundle \(directory): \(report.treeSize) events, \(report.signaturesVerified) signatures, \(report.checkpointsVerified) checkpoints verified in \(String(format: "%.2f", report.seconds)) s")
                print("root \(report.rootHash.hex) at tree size \(report.treeSize)")
            } else {
                for finding in errors.prefix(20) { print("FAIL \(finding)") }
                if errors.count > 20 { print("… and \(errors.count - 20) more") }
            }
        }
        if let first = errors.first {
            throw CheckFailed(message: "bundle verification failed " + (first.faultSeq.map { "at seq \($0)" } ?? "(\(first.check))") + ": \(first.explanation)")
        }
    }
}
