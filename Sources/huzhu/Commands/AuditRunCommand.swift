import ArgumentParser
import Audit
import Foundation
import Ledger
import MutualAid

struct AuditRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Check 100% of the ledger and print findings; exit 1 on any error-level finding.",
        discussion: """
            Checks: chain (seq, prev, hashes, signatures, signer registered, not revoked and allowed the \
            kind at that seq, Merkle nodes, every checkpoint's root and signature, truncation), checkpoints \
            (consistency proofs between consecutive checkpoints and to the log now), books.balanced, \
            books.trial-balance, books.replay (every table equals a fresh replay of the log), periods \
            (nothing dated into a closed month; each close's balance digest), body.canonical; and the \
            mutual-aid checks: claims.assessment (every claim recomputed from the published rules, the \
            member's coverage and the caps used at the time; duplicates), claims.duties (filer never \
            decides; two distinct approvers at the threshold; approved ≤ assessed; postings), \
            claims.payments (every payment traces to an approved claim), contributions (headcount × rate, \
            nothing received beyond the bill). With --bank-statement, bank reconciles the bank account.

            Each finding names its severity, check and events by seq. The report names the newest signed \
            checkpoint it rests on. After a run with no errors, the checkpoint it rests on is saved to the \
            audit state file (default: the ledger file's path + .audit-state.json); --since-checkpoint then \
            reads only the events after it, still proving consistency from it to now. A full audit also \
            compares projections, which an incremental one skips: run one regularly.

            Examples:
              huzhu audit
              huzhu audit --format json > audit-2026-10.json
              huzhu audit --since-checkpoint
            """
    )

    @OptionGroup var ledger: LedgerOptions

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @Flag(help: "Audit only the events after the checkpoint the last clean audit verified.")
    var sinceCheckpoint = false

    @Option(help: ArgumentHelp("The audit state file (default: the ledger path + .audit-state.json).", valueName: "path"))
    var state: String?

    @Option(help: ArgumentHelp("Folder for the replay's scratch file (default: the system's temporary folder).", valueName: "dir"))
    var scratch: String?

    @Option(help: ArgumentHelp("Reconcile the bank account against this statement CSV (date, amount, reference; money out negative).", valueName: "csv"))
    var bankStatement: String?

    @Option(help: "The bank account to reconcile.")
    var bankAccount: String = "10201"

    @Flag(help: "Do not save the audit state after a clean run.")
    var noSaveState = false

    @OptionGroup var progress: ProgressOptions

    func run() throws {
        let opened = try ledger.openLedger()
        let statePath = state ?? ledger.defaultAuditStatePath
        var options = Auditor.Options.huzhu()
        options.scratchDirectory = scratch
        if let bankStatement {
            options.domainChecks.append(BankReconciliationCheck(account: try AccountCode(bankAccount),
                                                                statement: try BankReconciliationCheck.readStatement(path: bankStatement)))
        }
        if sinceCheckpoint {
            options.since = try AuditState.load(from: statePath)
            if options.since == nil { note("no earlier clean audit recorded in \(statePath): auditing in full") }
        }
        let line = progress.line("auditing events")
        var concluding = false
        options.progress = { done, total in
            if done == total && !concluding {
                line.status("auditing: every event read; the checks' conclusions (replay, tallies, registers)")
                concluding = true
            } else if !concluding {
                line.update(done, total: total)
            }
        }
        let report = try Auditor(ledger: opened, options: options).run()
        line.finish()
        switch format {
        case .json: try printJSON(report.json)
        case .text: print(report.text)
        }
        if !noSaveState, let next = AuditState(after: report) {
            do { try next.write(to: statePath) } catch {
                // A ledger this user may only read (an auditor's copy) is audited all the same.
                note("the audit state was not saved: \(FileErrorMessage.sentence(for: error) ?? "\(error)"); pass --state PATH to keep it elsewhere")
            }
        }
        if report.hasErrors {
            let errors = report.findings.filter { $0.severity == .error }
            let first = report.sortedFindings[0]
            throw CheckFailed(message: "audit found \(errors.count) error(s); first: \(first)")
        }
    }
}
