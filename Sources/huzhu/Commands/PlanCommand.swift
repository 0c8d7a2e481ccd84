import ArgumentParser
import Foundation
import Ledger
import MutualAid

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Publish and show a plan year's rules.",
        subcommands: [Publish.self, Show.self]
    )

    struct Publish: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a plan rules TOML file and publish it into the log (administrator).",
            discussion: """
                Errors name the file, line and key. The published event carries the rules in canonical \
                form, the file's text and its SHA-256, so every payout can be recomputed later from the \
                exact rules in force.

                A plan already published for its year changes only by an amendment: --amend, the day it \
                takes effect and the reason. Claims for service from that day on, filed after it, are \
                assessed by the new rules; claims for earlier days, and claims already filed, are not. \
                An amendment may change the benefits, the name and the annual cap; the term, enrolment, \
                contribution, deadline, approval controls and accounts stay as first published. The \
                command prints what changed.

                Examples:
                  huzhu plan publish plans/unit-paid-2026.toml --key admin.key
                  huzhu plan publish plans/own-share-15pct-2026.toml \\
                      --check     (validate only)
                  huzhu plan publish unit-paid-2026.toml --amend --effective 2026-07-01 \\
                    --reason "hospital ratio raised to 60% by the union's 2026-06 meeting" \\
                    --key admin.key
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions

        @Argument(help: "The plan file.")
        var file: String

        @Flag(help: "Only validate the file; publish nothing.")
        var check = false

        @Flag(help: "Amend the plan already published for the file's id and year.")
        var amend = false

        @Option(help: "With --amend: the first service date (YYYY-MM-DD) the new rules assess.")
        var effective: String?

        @Option(help: "With --amend: why the plan changes, for the record.")
        var reason: String?

        func validate() throws {
            if amend, effective == nil || reason == nil {
                throw ValidationError("--amend needs --effective YYYY-MM-DD and --reason TEXT")
            }
            if !amend, effective != nil || reason != nil {
                throw ValidationError("--effective and --reason go with --amend")
            }
        }

        func run() throws {
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw LedgerInputError(field: "plan file", value: file, reason: "cannot be read as UTF-8 text")
            }
            let rules = try PlanRulesLoader.load(text, file: file)
            let amendment = try effective.map { PlanAmendment(effective: try LedgerDate($0), reason: reason ?? "") }
            if check {
                // With a ledger at hand, also what publishing into it would refuse.
                let against = ledger.isPostgres || FileManager.default.fileExists(atPath: ledger.databasePath)
                let changes = against ? try MutualAidBook(ledger: ledger.openLedger()).checkPublishable(rules, amendment: amendment) : nil
                print("ok: \(file) is a valid plan \(rules.id) for \(rules.year) with \(rules.benefits.count) benefits"
                      + (against ? ", and it publishes into \(ledger.displayName)" : ""))
                Self.printChanges(changes)
                return
            }
            let published = try MutualAidBook(ledger: ledger.openLedger()).publishPlan(text: text, file: file, signer: signer.loadKey(),
                                                                                         amendment: amendment)
            if published.wasAlreadyPublished {
                print("plan \(rules.id) for \(rules.year) already stands as \(file) says (seq \(published.seq)); nothing written")
            } else if let amendment, published.changes != nil {
                print("amended plan \(rules.id) (\(rules.name)) for \(rules.year) from \(amendment.effective) at seq \(published.seq)")
                Self.printChanges(published.changes)
            } else {
                print("published plan \(rules.id) (\(rules.name)) for \(rules.year) at seq \(published.seq)")
            }
        }

        static func printChanges(_ changes: PlanChanges?) {
            guard let changes, !changes.isEmpty else { return }
            print("changes:")
            for line in changes.lines { print("  " + line) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the rules published for a year.",
            discussion: "Example:\n  huzhu plan show --year 2026"
        )

        @OptionGroup var ledger: LedgerOptions

        @Option(help: "The plan year.")
        var year: Int

        @Option(help: "text or json.")
        var format: OutputFormat = .text

        func run() throws {
            guard let plan = try MutualAidBook(ledger: ledger.openLedger()).publishedPlan(year: year) else {
                throw LedgerInputError(field: "year", value: "\(year)", reason: "no plan is published for that year")
            }
            let rules = plan.current.rules
            if format == .json { try printJSON(rules.json); return }
            print("\(rules.name) (\(rules.id)), published at seq \(plan.versions[0].seq)")
            for (earlier, version) in zip(plan.versions, plan.versions.dropFirst()) {
                print("amended at seq \(version.seq), effective \(version.effective?.text ?? rules.term.start.text): "
                      + PlanChanges(from: earlier.rules, to: version.rules).lines.joined(separator: "; "))
            }
            print("term \(rules.term), enrolment \(rules.enrolment), claims due by \(rules.claimDeadline)")
            print("contribution \(rules.contribution.rate.formatted()) per person: unit \(rules.contribution.unit.formatted()), union subsidy \(rules.contribution.unionSubsidy.formatted()), member \(rules.contribution.member.formatted())")
            print("two approvers at or above \(rules.largeAmountThreshold.formatted()); approved claims paid within \(rules.paymentLimitDays) days")
            if !rules.reviewerMayApprove { print("the key that reviews a claim may not approve it") }
            for benefit in rules.benefits {
                print("  \(benefit.code): \(benefit.name) → \(benefit.expenseAccount)")
            }
        }
    }
}
