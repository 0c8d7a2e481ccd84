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
                Errors name the file, line and key. The published event carries the rules in canonical
                form, the file's text and its SHA-256, so every payout can be recomputed later from the
                exact rules in force.

                Examples:
                  huzhu plan publish plans/unit-paid-2026.toml --key admin.key
                  huzhu plan publish plans/own-share-15pct-2026.toml --check     (validate only)
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions

        @Argument(help: "The plan file.")
        var file: String

        @Flag(help: "Only validate the file; publish nothing.")
        var check = false

        func run() throws {
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw LedgerInputError(field: "plan file", value: file, reason: "cannot be read as UTF-8 text")
            }
            let rules = try PlanRulesLoader.load(text, file: file)
            if check {
                // With a ledger at hand, also what publishing into it would refuse.
                let against = ledger.isPostgres || FileManager.default.fileExists(atPath: ledger.databasePath)
                if against { try MutualAidBook(ledger: ledger.openLedger()).checkPublishable(rules) }
                print("ok: \(file) is a valid plan \(rules.id) for \(rules.year) with \(rules.benefits.count) benefits"
                      + (against ? ", and it publishes into \(ledger.displayName)" : ""))
                return
            }
            let seq = try MutualAidBook(ledger: ledger.openLedger()).publishPlan(text: text, file: file, signer: signer.loadKey())
            print("published plan \(rules.id) (\(rules.name)) for \(rules.year) at seq \(seq)")
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
            guard let plan = try MutualAidBook(ledger: ledger.openLedger()).plan(year: year) else {
                throw LedgerInputError(field: "year", value: "\(year)", reason: "no plan is published for that year")
            }
            let rules = plan.rules
            if format == .json { try printJSON(rules.json); return }
            print("\(rules.name) (\(rules.id)), published at seq \(plan.seq)")
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
