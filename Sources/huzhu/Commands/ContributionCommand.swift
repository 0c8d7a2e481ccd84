import ArgumentParser
import Ledger
import MutualAid
import Reports

struct ContributionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contribution",
        abstract: "Bill units, record receipts, subsidies and refunds, import bank statements.",
        discussion: """
            A bill, receipt, refund or subsidy recorded in error is reversed with `huzhu reverse SEQ` \
            (find the seq with `huzhu log --kind contribution.received`): the unit's figures follow, and \
            the step may then be recorded again, under the same bank reference.
            """,
        subcommands: [Bill.self, Receive.self, Subsidy.self, ApproveRefund.self, Refund.self, ImportBank.self, Status.self]
    )

    struct Bill: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bill each unit (or one) for its enrolled headcount × the plan's rate.",
            discussion: "Billing again bills only members enrolled since.\n\nExample:\n  huzhu contribution bill --year 2026 --date 2025-12-21 --key clerk.key"
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions
        @Option(help: "The plan year.") var year: Int
        @Option(help: "Only this unit.") var unit: String?
        @Option(help: "The bill's date in the books.") var date: String

        func run() throws {
            let billed = try MutualAidBook(ledger: ledger.openLedger()).bill(year: year, unit: unit.map(UnitID.init), date: try LedgerDate(date),
                                                                            signer: signer.loadKey())
            for line in billed { print("billed \(line.unit): \(line.headcount) members, \(line.amount.formatted())") }
            if billed.isEmpty { print("nothing to bill: every enrolled member is billed") }
        }
    }

    struct Receive: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a unit's payment received in the bank.",
            discussion: """
                The bank reference is the idempotency key: recording it again answers with the receipt \
                recorded. A receipt reversed (`huzhu reverse`: against the wrong unit, say) is recorded again \
                here under its reference, as a new event.

                Example:
                  huzhu contribution receive --unit U001 --year 2026 --amount 12,000.00 \\
                      --bank-ref 20251228-0001 --date 2025-12-28 --key clerk.key
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions
        @Option(help: "The unit's code.") var unit: String
        @Option(help: "The plan year.") var year: Int
        @Option(help: "The amount received, in yuan.") var amount: String
        @Option(help: "The bank's reference (the idempotency key).") var bankRef: String
        @Option(help: "The date received.") var date: String

        func run() throws {
            let money = try amountOption(amount, "--amount")
            let outcome = try MutualAidBook(ledger: ledger.openLedger()).receive(unit: try UnitID(unit), year: year, amount: money,
                                                                                bankReference: bankRef, date: try LedgerDate(date), signer: signer.loadKey())
            switch outcome {
            case let .recorded(seq, _): print("recorded \(money.formatted()) from \(unit) at seq \(seq)")
            case let .duplicate(seq): print("bank reference \(bankRef) was already recorded at seq \(seq)")
            }
        }
    }

    struct Subsidy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the union's subsidy received for a plan year.",
            discussion: "Example:\n  huzhu contribution subsidy --year 2026 --amount 30000 --ref 补助-2026 \\\n      --date 2026-01-15 --key clerk.key"
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions
        @Option(help: "The plan year.") var year: Int
        @Option(help: "The amount, in yuan.") var amount: String
        @Option(help: "A reference (the idempotency key).") var ref: String
        @Option(help: "The date received.") var date: String

        func run() throws {
            let money = try amountOption(amount, "--amount")
            let outcome = try MutualAidBook(ledger: ledger.openLedger()).receiveSubsidy(year: year, amount: money, reference: ref,
                                                                                       date: try LedgerDate(date), signer: signer.loadKey())
            print("recorded the subsidy of \(money.formatted()) at seq \(outcome.seq)")
        }
    }

    struct ApproveRefund: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "approve-refund",
            abstract: "Approve a refund to a unit before a clerk records it (approver).",
            discussion: """
                Money leaving the fund's bank account needs an approver's word, two approvers' at or \
                over the plan's large-amount threshold: the clerk's `contribution refund` with the same \
                --ref must name the same unit, year and amount.

                Example:
                  huzhu contribution approve-refund --unit U001 --year 2026 --amount 60 \\
                      --ref RF-01 --key approver.key
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions
        @Option(help: "The unit's code.") var unit: String
        @Option(help: "The plan year.") var year: Int
        @Option(help: "The amount, in yuan.") var amount: String
        @Option(help: "The refund's reference, as the clerk will record it.") var ref: String
        @Option(help: "The day of the approval (default: today).") var date: String?

        func run() throws {
            let money = try amountOption(amount, "--amount")
            let outcome = try MutualAidBook(ledger: ledger.openLedger()).approveRefund(
                unit: try UnitID(unit), year: year, amount: money, reference: ref,
                date: try date.map(LedgerDate.init) ?? LedgerDate.today(), signer: signer.loadKey())
            if case .duplicate = outcome {
                print("refund \(ref) was already approved at seq \(outcome.seq); nothing new recorded")
                return
            }
            print("approved the refund \(ref) of \(money.formatted()) to \(unit) at seq \(outcome.seq)")
        }
    }

    struct Refund: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Refund part of a unit's contribution, as an approver approved it.",
            discussion: """
                An approver approves the refund first (`huzhu contribution approve-refund`, same --ref).

                Example:
                  huzhu contribution refund --unit U001 --year 2026 --amount 60 \\
                      --reason "1 人调出" --ref RF-01 \\
                      --date 2026-01-20 --key clerk.key
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions
        @Option(help: "The unit's code.") var unit: String
        @Option(help: "The plan year.") var year: Int
        @Option(help: "The amount, in yuan.") var amount: String
        @Option(help: "Why.") var reason: String
        @Option(help: "A reference (the idempotency key).") var ref: String
        @Option(help: "The date paid back.") var date: String

        func run() throws {
            let money = try amountOption(amount, "--amount")
            let outcome = try MutualAidBook(ledger: ledger.openLedger()).refund(unit: try UnitID(unit), year: year, amount: money, reason: reason,
                                                                               reference: ref, date: try LedgerDate(date), signer: signer.loadKey())
            print("refunded \(money.formatted()) to \(unit) at seq \(outcome.seq)")
        }
    }

    struct ImportBank: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-bank",
            abstract: "Record every receipt of a bank statement CSV (columns date, amount, reference, unit).",
            discussion: """
                All rows or none; a reference already recorded is skipped. So is a reference whose receipt \
                was reversed (`huzhu reverse`) and not recorded again: importing the same statement again \
                does not bring back a receipt the office undid. Record such a receipt again on purpose with \
                `huzhu contribution receive` (for the right unit, say).

                Example:
                  huzhu contribution import-bank statement-2025-12.csv --year 2026 \\
                      --key clerk.key
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions
        @Argument(help: "The statement file.") var file: String
        @Option(help: "The plan year the receipts pay for.") var year: Int

        func run() throws {
            let result = try MutualAidBook(ledger: ledger.openLedger()).importBankStatement(path: file, year: year, signer: signer.loadKey())
            print("recorded \(result.recorded) receipts; \(result.duplicates) already recorded")
            if !result.reversedReferences.isEmpty {
                let shown = result.reversedReferences.prefix(10).joined(separator: ", ")
                let more = result.reversedReferences.count > 10 ? ", …" : ""
                print("skipped \(result.reversedReferences.count) reversed and not recorded again: \(shown)\(more) (record one again with `huzhu contribution receive`)")
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show each unit's billed, received and outstanding contributions.",
            discussion: "Example:\n  huzhu contribution status --year 2026"
        )

        @OptionGroup var ledger: LedgerOptions
        @Option(help: "The plan year.") var year: Int

        func run() throws {
            var table = TextTable(headers: ["unit", "enrolled", "billed", "billed to unit", "subsidy", "received", "outstanding", "covered"],
                                  alignments: [.left, .right, .right, .right, .right, .right, .right, .left])
            for status in try MutualAidBook(ledger: ledger.openLedger()).contributions(year: year) {
                table.add([status.unit, "\(status.enrolled)", "\(status.billedHeadcount)", status.billedUnit.formatted(),
                           status.billedSubsidy.formatted(), status.received.formatted(), status.outstanding.formatted(),
                           status.isPaid ? "yes" : "no"])
            }
            print(table.render())
        }
    }
}
