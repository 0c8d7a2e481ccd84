import ArgumentParser
import Foundation
import Ledger
import MutualAid

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute every hash, link, signature and Merkle root of the ledger.",
        discussion: """
            Exits 0 when everything holds, 1 with the first failing seq and the reason when not.
            Checks: seq contiguous, prev links, stored hashes, Ed25519 signatures by keys registered
            (and not revoked) before each event with a role allowed to sign it, every stored Merkle
            node, and every checkpoint's root and signature (a log shorter than a checkpoint fails).

            Examples:
              huzhu verify
              huzhu verify --db books/2026.db --format json
            """
    )

    @OptionGroup var ledger: LedgerOptions

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @Flag(help: "Print progress to stderr on large ledgers.")
    var progress = false

    func run() throws {
        let opened = try ledger.openLedger()
        let started = Date()
        let report = try LogVerifier(store: opened.store, policy: opened.policy).verify { done, total in
            if progress { note("  verified \(done) of \(total) events…") }
        }
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
}
