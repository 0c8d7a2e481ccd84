import ArgumentParser
import Foundation
import Ledger
import MutualAid
import Reports

struct EntryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entry",
        abstract: "List, approve and reject entries proposed for the plan's accounts.",
        discussion: """
            The plan's accounts move only through its own steps or an entry a clerk proposes \
            (`huzhu post --propose`) and an approver approves. The approval that completes it posts the \
            lines proposed, dated the entry's date; at or over the plan's large-amount threshold two \
            distinct approvers are needed. The proposer never approves or rejects. A proposal not \
            approved by its lapse date (counted from the day it was recorded) lapses and never \
            posts; propose it again under a new reference.

            Examples:
              huzhu entry list --pending
              huzhu entry approve 6233 --key approver.key
              huzhu entry reject 6233 --reason "无付款依据" --key approver.key
            """,
        subcommands: [List.self, Approve.self, Reject.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List proposed entries and where each stands (pending, approved, rejected, lapsed).",
            discussion: "Example:\n  huzhu entry list --pending --as-of 2026-12-05"
        )

        @OptionGroup var ledger: LedgerOptions
        @Flag(help: "Only those still waiting for an approval.") var pending = false
        @Option(help: "The day to judge lapses on (default: today).") var asOf: String?
        @Option(help: "text or json.") var format: OutputFormat = .text

        func run() throws {
            let day = try asOf.map(LedgerDate.init) ?? LedgerDate.today()
            let proposals = try MutualAidBook(ledger: ledger.openLedger()).proposals(asOf: day).filter { !pending || $0.state == .pending }
            if format == .json {
                try printJSON(.array(proposals.map(EntryCommand.json)))
                return
            }
            var table = TextTable(headers: ["seq", "date", "amount", "lines", "state", "approvals", "lapses", "memo"],
                                  alignments: [.right, .left, .right, .left, .left, .left, .left, .left])
            for proposal in proposals {
                let lines = proposal.postings.map { "\($0.side == .debit ? "Dr" : "Cr") \($0.account)" }.joined(separator: " ")
                let state = proposal.postedSeq.map { "approved (seq \($0))" } ?? proposal.state.rawValue
                table.add(["\(proposal.seq)", proposal.date.text, proposal.amount.formatted(), lines, state,
                           "\(proposal.approvers.count)/\(proposal.approvalsNeeded)", proposal.lapsesOn.text, proposal.memo])
            }
            print(table.render())
        }
    }

    static func json(_ proposal: ProposalRecord) -> JSONValue {
        ["seq": .integer(proposal.seq), "proposer": .string(proposal.proposer), "date": .string(proposal.date.text),
         "memo": .string(proposal.memo), "lines": .array(proposal.postings.map(\.json)), "amountFen": .integer(proposal.amount.fen),
         "lapsesOn": .string(proposal.lapsesOn.text), "approvalsNeeded": .integer(Int64(proposal.approvalsNeeded)),
         "approvers": .array(proposal.approvers.map { .string($0) }), "postedSeq": proposal.postedSeq.map { .integer($0) } ?? .null,
         "rejectionReason": proposal.rejectionReason.map { .string($0) } ?? .null, "state": .string(proposal.state.rawValue)]
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a proposed entry (approver; not the proposer). The completing approval posts it.",
            discussion: """
                The approval is dated the day it is recorded, by the clock: it cannot be dated back \
                into a proposal's time after the proposal lapsed. Asked again, it answers with the \
                approval already recorded.

                Example:
                  huzhu entry approve 6233 --key approver.key
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions
        @Argument(help: "The proposal's seq.") var proposal: Int64

        func run() throws {
            let approved = try MutualAidBook(ledger: ledger.openLedger()).approveEntry(proposal: proposal, signer: signer.loadKey())
            let already = approved.repeated ? "already " : ""
            print(approved.posted ? "\(already)approved proposal \(proposal) (seq \(approved.seq)); the entry is posted"
                                  : "\(already)approved proposal \(proposal) at seq \(approved.seq); it needs a second approver to post")
        }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reject a proposed entry (approver; not the proposer): it never posts.",
            discussion: "Example:\n  huzhu entry reject 6233 --reason \"无付款依据\" --key approver.key"
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions
        @Argument(help: "The proposal's seq.") var proposal: Int64
        @Option(help: "Why, in a sentence the proposer will read.") var reason: String

        func run() throws {
            let rejected = try MutualAidBook(ledger: ledger.openLedger()).rejectEntry(proposal: proposal, reason: reason, signer: signer.loadKey())
            print("\(rejected.repeated ? "already " : "")rejected proposal \(proposal) at seq \(rejected.seq)")
        }
    }
}
