import ArgumentParser
import Audit
import Foundation
import Ledger
import MutualAid
import MutualAidSQLite

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a sample mutual-aid ledger end to end, close its months, audit it and print a summary.",
        discussion: """
            Creates a folder with a ledger file, its keys and the rosters, then runs a plan year of the \
            unit-paid 60 yuan plan: six units and about 5,000 members enrolled, contributions billed and \
            received (one unit late), claims of every benefit filed, assessed by the rules, reviewed, \
            approved (two approvers for large ones) or rejected, and paid month by month with a checkpoint \
            each month, with the corrections an office makes (a receipt reversed, an approval revoked, a \
            payment returned by the bank). Then it closes the months that have ended and runs the full audit. \
            Safe to run again: it replaces its own folder.

            Examples:
              huzhu demo
              huzhu demo --dir /tmp/huzhu-demo
            """
    )

    @Option(help: "Where to build the demo (replaced if it holds an earlier demo).")
    var dir: String = "demo"

    @OptionGroup var progress: ProgressOptions

    func run() throws {
        let line = progress.line("demo")
        let summary = try DemoBuilder(directory: dir).build { message in line.status(message) }
        let book = try MutualAidBook.open(path: summary.path)
        let admin = try SigningKey.load(from: dir + "/admin.key")

        // Close every month that has ended, up to the plan year's last, in order.
        let today = LedgerDate.today()
        var month = try Period("2025-11")
        let last = min(try Period("2026-12"), today.period.previous)
        var closed: [String] = []
        let closer = PeriodCloser(ledger: book.ledger, rules: PeriodCloser.ledgerRules() + [UnpaidClaimsCloseRule()])
        while month <= last {
            _ = try closer.close(month, signer: admin)
            closed.append(month.text)
            month = month.next
        }
        // Members' statements prove they are complete against the newest statement index.
        let indexed = try StatementIndex.record(ledger: book.ledger, signer: admin)
        line.status("running the full audit")
        let report = try Auditor(ledger: book.ledger, options: .huzhu()).run()
        line.finish()
        print(summary)
        if let first = closed.first, let end = closed.last { print("months closed: \(first) to \(end) (\(closed.count))") }
        print("statement index: \(indexed.subjects) members and units at seq \(indexed.seq), under the checkpoint at seq \(indexed.checkpoint.seq)")
        let errors = report.findings.filter { $0.severity == .error }.count
        print("audit: \(errors == 0 ? "no errors" : "\(errors) ERRORS"), \(report.findings.count) findings over every event; "
              + "full report: huzhu audit --db \(summary.path)")
        print("next: huzhu report trial-balance --year 2026 --db \(summary.path)")
        if errors > 0 { throw CheckFailed(message: "the demo ledger's audit found \(errors) error(s)") }
    }
}
