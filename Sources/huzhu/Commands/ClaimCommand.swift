import ArgumentParser
import Foundation
import Ledger
import MutualAid
import Reports

struct ClaimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claim",
        abstract: "File, import, review, approve, reject and pay claims.",
        discussion: """
            A claim moves filed → reviewed → approved | rejected → paid. The rules engine assesses it \
            when filed and prints how: deductible, ratio, caps already used this year, final amount. \
            The key that filed a claim may not review or decide it; a payout at or over the plan's \
            large-amount threshold needs two distinct approvers. A payment batch at or over the threshold \
            is paid only after an approver approves it (`approve-batch`), by a clerk with another key.

            Corrections: `revoke-approval` takes an approved, unpaid claim back to reviewed (its \
            expense and payable reversed); `return-payment` records a payment the bank sent back, \
            leaving the claim approved, to be paid again.
            """,
        subcommands: [File.self, Import.self, Review.self, Approve.self, Reject.self, ApproveBatch.self, Pay.self, PayFile.self, RevokeApproval.self,
                      ReturnPayment.self, List.self, Show.self]
    )

    static func money(_ text: String?, _ field: String) throws -> Money? {
        guard let text else { return nil }
        return try amountOption(text, field, positive: false)
    }

    struct File: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "File one claim and print the rules engine's assessment.",
            discussion: """
                Examples:
                  huzhu claim file --member m0000000004d2 --benefit hospital \\
                      --settlement YB20260312001 \\
                      --service-date 2026-03-10 --total-cost 18,000 --covered 12,000 \\
                      --own-share 6,000 --key clerk.key
                  huzhu claim file --member m0000000004d2 --benefit fire --invoice F-1 \\
                      --hospital 消防证明 \\
                      --service-date 2026-05-02 --loss 40000 --key clerk.key
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions
        @Option(help: "The member id.") var member: String
        @Option(help: "The benefit code in the plan (e.g. hospital).") var benefit: String
        @Option(help: "The medical-insurance settlement id.") var settlement: String?
        @Option(help: "The invoice number (without a settlement id).") var invoice: String?
        @Option(help: "The hospital (with --invoice).") var hospital: String?
        @Option(help: "The date of treatment or loss.") var serviceDate: String
        @Option(help: "The date filed (default: today).") var filedOn: String?
        @Option(help: "Total cost, yuan.") var totalCost: String?
        @Option(help: "The part inside insurance scope paid by insurance, yuan.") var covered: String?
        @Option(help: "The member's own share inside insurance scope, yuan.") var ownShare: String?
        @Option(help: "The loss, yuan (house fire).") var loss: String?
        @Option(help: "The disability grade (1–10).") var grade: Int?
        @Option(help: "Documents received, separated by ';'.") var documents: String = ""
        @Option(help: "The diagnosis (kept outside the log).") var diagnosis: String?

        func run() throws {
            let input = try ClaimInput(
                member: MemberID(member), benefit: benefit, settlementID: settlement, invoiceNumber: invoice, hospital: hospital,
                serviceDate: LedgerDate(serviceDate), filedOn: filedOn.map(LedgerDate.init) ?? LedgerDate.today(),
                totalCost: ClaimCommand.money(totalCost, "--total-cost"), insuranceCovered: ClaimCommand.money(covered, "--covered"),
                ownShare: ClaimCommand.money(ownShare, "--own-share"), loss: ClaimCommand.money(loss, "--loss"), grade: grade,
                documents: documents.split(separator: ";").map(String.init), diagnosis: diagnosis)
            let filed = try MutualAidBook(ledger: ledger.openLedger()).file([input], signer: signer.loadKey())[0]
            if filed.wasAlreadyFiled {
                print("claim \(filed.claim): this claim was already filed; nothing new recorded")
                return
            }
            print("claim \(filed.claim) filed")
            if let computation = filed.computation { print("assessment: \(computation.explanation)") }
            if let rejection = filed.rejection {
                print("REJECTED automatically: \(rejection)")
            } else {
                print("payout \(filed.payout.formatted()); awaiting review")
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "File every claim of a settlement CSV in one transaction.",
            discussion: """
                Columns: member, benefit, settlement_id (or invoice, hospital), service_date, filed_on, \
                total_cost, covered, own_share, loss, grade, documents, diagnosis. A malformed row refuses the \
                whole batch (naming the row); claims the rules refuse are recorded as rejected with a reason. \
                The import has the ledger file to itself if no other process has it open (others wait for it \
                to commit), and writes each page once.

                Example:
                  huzhu claim import settlements-2026-03.csv --key clerk.key
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions
        @Argument(help: "The CSV file.") var file: String
        @Option(help: "Filing date for rows without filed_on (default: today).") var filedOn: String?
        @OptionGroup var progress: ProgressOptions

        func run() throws {
            let file = UncheckedBox(try ClaimFileReader(path: file, defaultFiledOn: try filedOn.map(LedgerDate.init) ?? LedgerDate.today()))
            let book = MutualAidBook(ledger: try ledger.openLedger())
            // Rows are read and parsed on a second thread while the claims are filed.
            let reader = Prefetcher { try file.value.next() }
            defer { reader.cancel() }
            var filed = 0, rejected = 0, repeated = 0
            var payout = Money.zero
            var seqs: ClosedRange<Int64>?
            let key = try signer.loadKey()
            var line = progress.line("filing claims", total: ProgressLine.dataRows(inCSV: self.file))
            defer { line.finish() }
            try namingInputFile(self.file) {
                try book.file(next: { try reader.next() }, signer: key, shape: .bulkWrittenOnce,
                              rebuildingIndexes: { line = line.stage("filing claims, the register's indexes set aside to rebuild") }) { claim in
                    // This claim counted: the rows read so far.
                    if (filed + repeated + 1) % 256 == 0 { line.update(Int64(filed + repeated + 1)) }
                    if claim.wasAlreadyFiled { repeated += 1; return }
                    filed += 1
                    seqs = seqs.map { min($0.lowerBound, claim.claim)...max($0.upperBound, claim.claim) } ?? claim.claim...claim.claim
                    if claim.rejection != nil { rejected += 1 } else { payout = (try? payout.adding(claim.payout)) ?? payout }
                }
            }
            print("filed \(filed) claims (\(rejected) rejected by the rules, \(payout.formatted()) assessed); \(repeated) already on file")
            // The batch's seqs, which `claim review --filed-seqs` and the other decisions take as a filter.
            if let seqs { print("claims at seq \(seqs.lowerBound)–\(seqs.upperBound): decide them with --filed-seqs \(seqs.lowerBound)-\(seqs.upperBound)") }
        }
    }

    /// Where the three decisions' help is the same: how claims are chosen, in one transaction.
    static let decisionDiscussion = """
        Claims are named by id, listed in a decisions file (--file, CSV with a claim column and \
        optionally amount and reason), or selected with --all and the filters; all three may be \
        combined, and every decision is recorded in one transaction. A rule that refuses a claim \
        named by id or file refuses the whole batch, naming the claim (and the file's row); a claim a \
        filter selected that the rules refuse is left out and listed with why. The key that filed a \
        claim never decides it. A decision this key already recorded is answered as a repeat. \
        --dry-run makes every decision and records none: the count, the total and what would be left \
        out.
        """

    struct Review: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Review filed claims (approver; not the filer).",
            discussion: ClaimCommand.decisionDiscussion + """


                Examples:
                  huzhu claim review 1234 --note 材料齐全 --key approver.key
                  huzhu claim review --filed-seqs 1200-5400 --dry-run --key approver.key
                  huzhu claim review --all --year 2026 --benefit hospital --key approver.key
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions
        @OptionGroup var decisions: ClaimDecisionOptions
        @Option(help: "The reviewer's note (for each claim whose file row gives none).") var note: String = ""

        func run() throws {
            let batch = try decisions.batch(.review, reason: note, date: LedgerDate.today())
            try decisions.report(try namingDecisionsFile(decisions.file) {
                try MutualAidBook(ledger: ledger.openLedger()).decide(batch, signer: signer.loadKey(), dryRun: decisions.dryRun)
            })
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve reviewed claims, each for its assessed amount or less (with a reason).",
            discussion: ClaimCommand.decisionDiscussion + """


                A claim at or over the plan's large-amount threshold needs two approvers with different \
                keys, and each must name it (by id or in a file): a filter leaves it out.

                Examples:
                  huzhu claim approve 1234 --key approver.key
                  huzhu claim approve 1234 --amount 800 --reason "发票金额有误" \\
                      --key approver.key
                  huzhu claim approve --all --service-month 2026-03 --assessed-max 5000 \\
                      --dry-run \\
                      --key approver.key
                  huzhu claim approve --file decisions.csv --key approver.key
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions
        @OptionGroup var decisions: ClaimDecisionOptions
        @Option(help: "A lower amount, yuan (one claim named by id).") var amount: String?
        @Option(help: "Why the amount is lower.") var reason: String?
        @Option(help: "The approval date (default: today).") var date: String?

        func run() throws {
            let batch = try decisions.batch(.approve, reason: reason, amount: ClaimCommand.money(amount, "--amount"),
                                            date: date.map(LedgerDate.init) ?? LedgerDate.today())
            try decisions.report(try namingDecisionsFile(decisions.file) {
                try MutualAidBook(ledger: ledger.openLedger()).decide(batch, signer: signer.loadKey(), dryRun: decisions.dryRun)
            })
        }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reject claims with the reason the member will read.",
            discussion: ClaimCommand.decisionDiscussion + """


                Examples:
                  huzhu claim reject 1234 --reason "非医保范围内费用" --key approver.key
                  huzhu claim reject --file rejections.csv --key approver.key
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions
        @OptionGroup var decisions: ClaimDecisionOptions
        @Option(help: "Why (for each claim whose file row gives none).") var reason: String?
        @Option(help: "The date (default: today).") var date: String?

        func run() throws {
            let batch = try decisions.batch(.reject, reason: reason, date: date.map(LedgerDate.init) ?? LedgerDate.today())
            try decisions.report(try namingDecisionsFile(decisions.file) {
                try MutualAidBook(ledger: ledger.openLedger()).decide(batch, signer: signer.loadKey(), dryRun: decisions.dryRun)
            })
        }
    }

    struct ApproveBatch: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "approve-batch",
            abstract: "Approve a payment batch before it is paid (approver): its claims and their total.",
            discussion: """
                Money leaving the fund's bank account at or over the plan's large-amount threshold in one \
                batch needs an approver's word, as a large claim does. The approval lists the claims (all \
                approved, unpaid claims with --all) and their total; `claim pay --batch` with the same name \
                then pays only those, for no more, and by a key other than the approver's.

                Examples:
                  huzhu claim approve-batch PAY-2026-04 --all --key approver.key
                  huzhu claim approve-batch PAY-2026-04b 1234 1240 --key approver.key
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions
        @Argument(help: "The payment batch's name.") var batch: String
        @Argument(help: "Claim ids in the batch.") var claims: [Int64] = []
        @Flag(help: "Every approved, unpaid claim.") var all = false
        @Option(help: "The day of the approval (default: today).") var date: String?

        func validate() throws {
            if all == !claims.isEmpty { throw ValidationError("name the batch's claims, or pass --all") }
        }

        func run() throws {
            let approved = try MutualAidBook(ledger: ledger.openLedger()).approveBatch(
                batch, claims: all ? nil : claims, date: try date.map(LedgerDate.init) ?? LedgerDate.today(), signer: signer.loadKey())
            if case .duplicate = approved.outcome {
                print("batch \(batch) was already approved at seq \(approved.outcome.seq); nothing new recorded")
                return
            }
            print("approved batch \(batch) at seq \(approved.outcome.seq): \(approved.approval.claims.count) claims, \(approved.approval.amount.formatted())")
        }
    }

    struct Pay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pay approved claims (one, several, or all) and write the bank's payment file.",
            discussion: """
                A batch at or over the plan's large-amount threshold is paid only once an approver has \
                approved it (`huzhu claim approve-batch`); --all then pays the claims that approval lists.

                Examples:
                  huzhu claim pay --all --batch PAY-2026-04 --out pay-2026-04.csv \\
                      --key clerk.key
                  huzhu claim pay 1234 1240 --batch PAY-2026-04b --out pay.csv --key clerk.key
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions
        @Argument(help: "Claim ids to pay.") var claims: [Int64] = []
        @Flag(help: "Pay every approved claim (of an approved batch: every claim it lists).") var all = false
        @Option(help: "The payment batch's name.") var batch: String
        @Option(help: "Where to write the payment file (CSV for the bank); it must not exist unless --force.") var out: String
        @Flag(help: "Replace --out if it exists.") var force = false
        @Option(help: "The payment date (default: today).") var date: String?

        func validate() throws {
            if all == !claims.isEmpty { throw ValidationError("name claims to pay, or pass --all") }
        }

        func run() throws {
            // Checked before anything is recorded: a typo in --out refuses the payment, not the file.
            let output = try OutputFile(path: out, overwrite: force)
            let run = try MutualAidBook(ledger: ledger.openLedger()).pay(claims: all ? nil : claims, batch: batch,
                                                                        date: date.map(LedgerDate.init) ?? LedgerDate.today(), signer: signer.loadKey())
            for hold in run.held { note("held, not paid: \(hold)") }
            guard !run.lines.isEmpty else {
                print("paid no claims\(run.held.isEmpty ? "" : "; \(run.held.count) held"); no payment file written")
                return
            }
            do {
                try output.write(Array(PaymentFile.csv(batch: batch, lines: run.lines).utf8))
            } catch {
                throw CheckFailed(message: "the \(run.lines.count) payments of batch \(batch) are recorded, but the payment file was not written: \(error); write it with `huzhu claim pay-file \(batch) --out FILE`")
            }
            print("paid \(run.lines.count) claims, \(run.total.formatted()); payment file \(out)" + (run.held.isEmpty ? "" : "; \(run.held.count) held"))
        }
    }

    struct PayFile: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pay-file",
            abstract: "Write a payment batch's bank file again, from its recorded payments.",
            discussion: """
                For a file lost after its payments were recorded (a full disk, a deleted file): the \
                batch's standing payments in the order paid, to the payees as the register holds them \
                now. Records nothing.

                Example:
                  huzhu claim pay-file PAY-2026-04 --out pay-2026-04.csv
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The payment batch's name.") var batch: String
        @Option(help: "Where to write the payment file; it must not exist unless --force.") var out: String
        @Flag(help: "Replace --out if it exists.") var force = false

        func run() throws {
            let output = try OutputFile(path: out, overwrite: force)
            let lines = try MutualAidBook(ledger: ledger.openLedger()).paymentLines(batch: batch)
            try output.write(Array(PaymentFile.csv(batch: batch, lines: lines).utf8))
            print("wrote batch \(batch)'s payment file \(out): \(lines.count) payments, \(lines.total.formatted())")
        }
    }

    struct RevokeApproval: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-approval",
            abstract: "Revoke an approved, unpaid claim's approval (approver; not the filer): it is reviewed again.",
            discussion: """
                Every approval of the claim's current round is withdrawn, and the final one's postings \
                (the benefit's expense against the claims payable) are reversed, dated --date. The \
                claim is then approved again (by two approvers where the amount needs two) or rejected. \
                The month of the approval keeps it in its figures; the revocation counts in its own month. \
                A paid claim's payment must be returned first (`huzhu claim return-payment`).

                The claim may then be approved for its assessment, but no more than the amount revoked \
                plus what the annual caps still leave: claims approved or filed meanwhile may have used \
                what a lowered approval gave back. The command says so when that is less.

                --approval names the approval revoked (its seq, from `huzhu claim show`); a script should \
                pass it, so that running the command again answers with the revocation already recorded \
                instead of revoking a later approval. Without it the claim's current approval is revoked.

                Example:
                  huzhu claim revoke-approval 1234 --reason "发票重复报销" --key approver.key
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions
        @Argument(help: "The claim id.") var claim: Int64
        @Option(help: "Why the approval is revoked.") var reason: String
        @Option(help: "The revocation's date in the books (default: today).") var date: String?
        @Option(help: "The seq of the approval to revoke (default: the claim's current one).") var approval: Int64?

        func run() throws {
            let book = try MutualAidBook(ledger: ledger.openLedger())
            let outcome = try book.revokeApproval(claim: claim, approval: approval, reason: reason,
                                                  date: date.map(LedgerDate.init) ?? LedgerDate.today(), signer: signer.loadKey())
            guard case .recorded = outcome else {
                print("claim \(claim): the approval was already revoked at seq \(outcome.seq)")
                return
            }
            let record = try book.claim(claim)
            let limit = record.approvable < record.computed
                ? "; it may be approved for at most \(record.approvable.formatted()) (assessed \(record.computed.formatted()); the caps left no more)"
                : ""
            print("claim \(claim): approval revoked at seq \(outcome.seq); the claim is reviewed, awaiting a decision\(limit)")
        }
    }

    struct ReturnPayment: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "return-payment",
            abstract: "Record payments the bank returned (clerk): one claim, or the bank's return file.",
            discussion: """
                Each payment's postings are reversed (the money is back in the bank, owed to the member \
                again), dated --date, and its claim is approved and unpaid again. Correct the member's \
                bank card if it was wrong (`huzhu member update MEMBER --bank-card …`), then pay the \
                claim in a new batch. The month of the payment keeps it in its figures; the return \
                counts in its own.

                --file takes the bank's return file: CSV with a claim column and optionally reason, \
                amount and batch (the payment file's other columns may stay in). The amount and batch, \
                when given, must be the claim's payment's. Every line is recorded in one transaction; \
                a line that is refused refuses the file, naming its row. A file read again records \
                nothing new.

                --payment names the payment returned (its seq); a script should pass it, so that running \
                the command again answers with the return already recorded instead of returning a later \
                payment. Without it the claim's current payment is returned.

                Examples:
                  huzhu claim return-payment 1234 --reason "账户已销户" --date 2026-04-15 \\
                      --key clerk.key
                  huzhu claim return-payment --file returns-P-2026-04.csv --date 2026-04-15 \\
                      --key clerk.key
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions
        @Argument(help: "The claim id.") var claim: Int64?
        @Option(help: ArgumentHelp("The bank's return file (CSV: claim, reason, amount, batch).", valueName: "csv")) var file: String?
        @Option(help: "Why the bank returned it (for each line of --file that gives none).") var reason: String?
        @Option(help: "The return's date in the books (default: today).") var date: String?
        @Option(help: "The seq of the payment returned (default: the claim's current one).") var payment: Int64?

        func validate() throws {
            guard (claim == nil) != (file == nil) else { throw ValidationError("name one claim, or give the bank's return --file") }
            if file != nil, payment != nil { throw ValidationError("--payment names one claim's payment; a return file names claims") }
            if claim != nil, reason == nil { throw ValidationError("--reason is required: say why the bank returned it") }
        }

        func run() throws {
            let book = MutualAidBook(ledger: try ledger.openLedger())
            let day = try date.map(LedgerDate.init) ?? LedgerDate.today()
            if let file {
                let outcomes = try namingInputFile(file) {
                    try book.returnPayments(try PaymentReturnFileReader.read(path: file, reason: reason), date: day, signer: signer.loadKey())
                }
                let repeats = outcomes.filter { if case .duplicate = $0 { true } else { false } }.count
                print("recorded \(outcomes.count - repeats) returned payments; \(repeats) already recorded. "
                      + "The claims are approved, awaiting payment in a new batch")
                return
            }
            guard let claim, let reason else { return }
            let outcome = try book.returnPayment(claim: claim, payment: payment, reason: reason, date: day, signer: signer.loadKey())
            switch outcome {
            case .recorded: print("claim \(claim): returned payment recorded at seq \(outcome.seq); the claim is approved, awaiting payment")
            case .duplicate: print("claim \(claim): the payment's return was already recorded at seq \(outcome.seq)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List claims, in filing order, as they are read: a year of a city's claims in flat memory.",
            discussion: """
                Every filter narrows the list; none lists every claim.

                Examples:
                  huzhu claim list --year 2026 --state approved
                  huzhu claim list --unit U001 --filed-month 2026-03 --format json
                  huzhu claim list --member m0000000004d2
                  huzhu claim list --year 2026 --format csv > claims-2026.csv

                The CSV has a row per claim (amounts in yuan, without grouping), for a year \
                of a city's claims where the register (`report claims`) would be too long.
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup(title: "Selecting claims") var conditions: ClaimFilterOptions
        @Option(help: "text, json or csv.") var format: ListFormat = .text

        static let csvHeader = ["claim", "unit", "member", "year", "benefit", "settlement_key", "service_date", "filed_on", "state",
                                "assessed", "approved", "paid", "reason"]

        func run() throws {
            let filter = try conditions.filter()
            let book = MutualAidBook(ledger: try ledger.openLedger())
            switch format {
            case .json:
                var array = JSONArrayStream()
                try book.forEachClaim(filter) { try array.add(ClaimCommand.json($0)) }
                array.finish()
                return
            case .csv:
                let writer = CSVWriter()
                print(writer.row(List.csvHeader), terminator: "")
                try book.forEachClaim(filter) { claim in
                    print(writer.row(["\(claim.claim)", claim.unit, claim.member, "\(claim.year)", claim.benefit, claim.settlementKey,
                                      claim.serviceDate, claim.filedOn, claim.state.rawValue, claim.computed.formatted(grouping: false),
                                      claim.approved?.formatted(grouping: false) ?? "", claim.paid?.formatted(grouping: false) ?? "",
                                      claim.rejectionReason ?? ""]), terminator: "")
                }
                return
            case .text:
                break
            }
            var table = TextTableStream(headers: ["claim", "member", "benefit", "service", "state", "assessed", "approved", "paid", "reason"],
                                        alignments: [.right, .left, .left, .left, .left, .right, .right, .right, .left])
            try book.forEachClaim(filter) { claim in
                table.add(["\(claim.claim)", claim.member, claim.benefit, claim.serviceDate, claim.state.rawValue, claim.computed.formatted(),
                           claim.approved?.formatted() ?? "", claim.paid?.formatted() ?? "", claim.rejectionReason ?? ""])
            }
            table.finish()
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one claim.",
            discussion: """
                As JSON, with approvableFen (the most it may be approved for), approvalSeqs (its current \
                round's approvals) and paymentSeq (its standing payment), the seqs a correction names.

                Example:
                  huzhu claim show 1234
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The claim id.") var claim: Int64

        func run() throws {
            let book = try MutualAidBook(ledger: ledger.openLedger())
            guard case .object(var fields) = ClaimCommand.json(try book.claim(claim)) else { return }
            // The seqs a correction names (`revoke-approval --approval`, `return-payment --payment`).
            let steps = try book.standingSteps(claim: claim)
            fields["approvalSeqs"] = .array(steps.approvals.map { .integer($0) })
            fields["paymentSeq"] = steps.payment.map { .integer($0) } ?? .null
            try printJSON(.object(fields))
        }
    }

    static func json(_ claim: ClaimRecord) -> JSONValue {
        ["claim": .integer(claim.claim), "member": .string(claim.member), "unit": .string(claim.unit), "year": .integer(Int64(claim.year)),
         "benefit": .string(claim.benefit), "settlementKey": .string(claim.settlementKey), "serviceDate": .string(claim.serviceDate),
         "filedOn": .string(claim.filedOn), "state": .string(claim.state.rawValue), "assessedFen": .integer(claim.computed.fen),
         "approvableFen": .integer(claim.approvable.fen),
         "approvedFen": claim.approved.map { .integer($0.fen) } ?? .null, "paidFen": claim.paid.map { .integer($0.fen) } ?? .null,
         "reason": claim.rejectionReason.map { .string($0) } ?? .null, "filer": .string(claim.filer),
         "approvers": .array(claim.approvers.map { .string($0) })]
    }
}
