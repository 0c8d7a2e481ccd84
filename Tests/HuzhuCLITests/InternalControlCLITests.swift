import Foundation
import GRDB
import Ledger
import Testing

/// Internal control of the fund's money outside claims (财务内控), through the real binary:
/// plain entries refused on the plan's accounts, proposed entries approved (two approvers at
/// the threshold), rejected and lapsed, payment batches and refunds approved before they
/// are paid, the audit's findings for what an insider writes around the rules, and the
/// controls report.
@Suite("internal control: proposed entries, approved batches and refunds, the audit of every fen", .serialized)
struct InternalControlCLITests {
    func surgeon(_ plan: MutualAidBooks) throws -> LedgerSurgeon {
        try LedgerSurgeon(plan.books, extraKeys: ["approver-1.key", "approver-2.key", "both.key"])
    }

    func proposals(_ plan: MutualAidBooks, _ extra: [String] = []) throws -> [[String: Any]] {
        try JSONSerialization.jsonObject(with: Data(try plan.cli.ok(["entry", "list", "--format", "json"] + extra).utf8)) as! [[String: Any]]
    }

    func balance(_ plan: MutualAidBooks, _ account: String) throws -> Int64 {
        try plan.books.scalar("SELECT coalesce(sum(debit_fen - credit_fen), 0) FROM account_day_totals WHERE account = '\(account)'")
    }

    func seqOf(_ output: String) -> Int64 {
        let range = output.range(of: #"seq (\d+)"#, options: .regularExpression)!
        return Int64(output[range].dropFirst(4))!
    }

    func expectClean(_ plan: MutualAidBooks, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let audit = try plan.books.audit()
        #expect(audit.status == 0 && audit.findings.isEmpty, "\(audit.findings)", sourceLocation: sourceLocation)
    }

    @Test("the issue's example: a clerk's plain entry taking money out of the fund's bank account is refused, the ledger unchanged; other accounts and plan-less ledgers keep the single-key entry")
    func plainEntryRefused() throws {
        let plan = try MutualAidBooks(members: 2)
        let before = try plan.books.lastSeq()
        let refused = try plan.cli.run(["post", "--key", "clerk.key", "--date", "2026-12-05", "--ref", "X-1",
                                        "--debit", "50701=50000", "--credit", "10201=50000", "--memo", "测试"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("account 10201 (互助金专户) is one of the plan's controlled accounts") && refused.stderr.contains("huzhu post --propose"),
                "\(refused.stderr)")
        // A sub-account of a controlled account is controlled too; so is the fund.
        try plan.cli.ok(["account", "open", "--code", "1020101", "--name", "专户子账户", "--key", "admin.key"])
        let sub = try plan.cli.run(["post", "--key", "clerk.key", "--date", "2026-12-05", "--debit", "50701=1", "--credit", "1020101=1"])
        #expect(sub.status == 2 && sub.stderr.contains("account 1020101"), "\(sub.stderr)")
        let fund = try plan.cli.run(["post", "--key", "clerk.key", "--date", "2026-12-05", "--debit", "32101=1", "--credit", "10202=1"])
        #expect(fund.status == 2 && fund.stderr.contains("account 32101"), "\(fund.stderr)")
        #expect(try plan.books.lastSeq() == before + 1, "only the account opening was recorded")
        #expect(try balance(plan, "50701") == 0)
        // Bank fees on the basic account take a clerk's entry as before.
        try plan.cli.ok(["post", "--key", "clerk.key", "--date", "2026-12-05", "--debit", "50701=12", "--credit", "10202=12", "--memo", "手续费"])
        #expect(try balance(plan, "50701") == 1200)
        try expectClean(plan)

        let plain = try CLILedger()
        try plain.post(date: "2026-10-08", debit: "10201", credit: "40801", amount: "60.00")
        #expect(try plain.cli.ok(["balance"]).contains("10201"), "a ledger with no plan controls no account")
    }

    @Test("a proposed entry posts nothing until an approver other than the proposer approves it; then it posts, dated its own date, and audits clean")
    func proposeAndApprove() throws {
        let plan = try MutualAidBooks(members: 2)
        let bank = try balance(plan, "10201")
        var clock = plan.cli
        clock.environment["HUZHU_NOW"] = "2026-10-31T02:00:00Z"  // recorded on 2026-10-31 (UTC+8): lapses 30 days on
        let proposed = try clock.ok(["post", "--propose", "--key", "both.key", "--date", "2026-10-31", "--ref", "V-1",
                                        "--debit", "50701=35", "--credit", "10201=35", "--memo", "10 月专户手续费"])
        #expect(proposed.contains("an approver approves it"))
        let seq = seqOf(proposed)
        let again = try clock.ok(["post", "--propose", "--key", "both.key", "--date", "2026-10-31", "--ref", "V-1",
                                     "--debit", "50701=35", "--credit", "10201=35", "--memo", "10 月专户手续费"])
        #expect(again.contains("already proposed at seq \(seq)"))
        let pending = try proposals(plan, ["--pending", "--as-of", "2026-11-01"])
        #expect(pending.count == 1 && pending[0]["seq"] as? Int == Int(seq) && pending[0]["state"] as? String == "pending"
                && pending[0]["amountFen"] as? Int == 3500 && pending[0]["lapsesOn"] as? String == "2026-11-30" && pending[0]["approvalsNeeded"] as? Int == 1)
        #expect(try balance(plan, "10201") == bank, "a proposal moves no money")

        clock.environment["HUZHU_NOW"] = "2026-11-01T02:00:00Z"
        let own = try clock.run(["entry", "approve", "\(seq)", "--key", "both.key"])
        #expect(own.status == 2 && own.stderr.contains("proposed entry \(seq) and may not approve it"), "\(own.stderr)")
        let clerk = try clock.run(["entry", "approve", "\(seq)", "--key", "clerk.key"])
        #expect(clerk.status == 2 && clerk.stderr.contains("needs the role approver"), "\(clerk.stderr)")

        let approved = try clock.ok(["entry", "approve", "\(seq)", "--key", "approver-1.key"])
        #expect(approved.contains("the entry is posted"))
        let retried = try clock.ok(["entry", "approve", "\(seq)", "--key", "approver-1.key"])
        #expect(retried.contains("already approved proposal \(seq) (seq \(seqOf(approved)))"), "a retried approval is answered with the one recorded")
        #expect(try balance(plan, "10201") == bank - 3500 && (try balance(plan, "50701")) == 3500)
        #expect(try plan.books.scalar("SELECT count(*) FROM account_day_totals WHERE account = '50701' AND day = '2026-10-31'") == 1,
                "the entry is dated the day proposed")
        let listed = try proposals(plan)
        #expect(listed[0]["state"] as? String == "approved" && listed[0]["postedSeq"] as? Int == Int(seqOf(approved)))
        #expect(try plan.books.scalar("SELECT count(*) FROM events WHERE kind = 'entry.approved'") == 1)
        let twice = try clock.run(["entry", "approve", "\(seq)", "--key", "approver-2.key"])
        #expect(twice.status == 2 && twice.stderr.contains("already approved and posted"), "\(twice.stderr)")
        // An approved entry is corrected by another approved entry, not by one clerk's reversal.
        let reversal = try clock.run(["reverse", "\(seqOf(approved))", "--reason", "录错", "--date", "2026-11-02", "--key", "clerk.key"])
        #expect(reversal.status == 2 && reversal.stderr.contains("propose its lines on the opposite sides"), "\(reversal.stderr)")
        try expectClean(plan)
    }

    @Test("at or over the large-amount threshold an entry needs two distinct approvers; just under it, one")
    func twoApproversAtThreshold() throws {
        let plan = try MutualAidBooks(members: 2)
        let large = seqOf(try plan.cli.ok(["post", "--propose", "--key", "clerk.key", "--date", "2026-11-03",
                                           "--debit", "10201=5000.00", "--credit", "40802=5000.00", "--memo", "利息"]))
        let small = seqOf(try plan.cli.ok(["post", "--propose", "--key", "clerk.key", "--date", "2026-11-03",
                                           "--debit", "10201=4999.99", "--credit", "40802=4999.99", "--memo", "利息"]))
        let listed = try proposals(plan, ["--as-of", "2026-11-03"])
        #expect(listed.map { $0["approvalsNeeded"] as? Int } == [2, 1])
        let first = try plan.cli.ok(["entry", "approve", "\(large)", "--key", "approver-1.key"])
        #expect(first.contains("needs a second approver"))
        #expect(try balance(plan, "40802") == 0)
        let same = try plan.cli.ok(["entry", "approve", "\(large)", "--key", "approver-1.key"])
        #expect(same.contains("already approved proposal \(large)") && same.contains("needs a second approver"), "one key's second approval is its first, answered again")
        #expect(try plan.cli.ok(["entry", "approve", "\(large)", "--key", "approver-2.key"]).contains("posted"))
        #expect(try plan.cli.ok(["entry", "approve", "\(small)", "--key", "approver-2.key"]).contains("posted"))
        #expect(try balance(plan, "40802") == -999_999)
        try expectClean(plan)
    }

    @Test("a rejected proposal never posts, nor comes back under its reference; one not approved by its lapse date, by the recording clock, lapses; bad lapse periods and benefit expenses are refused")
    func rejectAndLapse() throws {
        let plan = try MutualAidBooks(members: 2)
        var clock = plan.cli
        clock.environment["HUZHU_NOW"] = "2026-11-03T02:00:00Z"
        let rejected = seqOf(try clock.ok(["post", "--propose", "--key", "clerk.key", "--date", "2026-11-03", "--ref", "R-1",
                                           "--debit", "50701=10", "--credit", "10201=10"]))
        let lapsing = seqOf(try clock.ok(["post", "--propose", "--key", "clerk.key", "--date", "2026-11-03", "--lapses-in", "5",
                                          "--debit", "50701=20", "--credit", "10201=20"]))
        #expect(try clock.run(["entry", "reject", "\(rejected)", "--key", "approver-1.key", "--reason", " "]).status == 2)
        try clock.ok(["entry", "reject", "\(rejected)", "--key", "approver-1.key", "--reason", "无付款依据"])
        #expect(try clock.ok(["entry", "reject", "\(rejected)", "--key", "approver-1.key", "--reason", "无付款依据"]).contains("already rejected"))
        let afterRejection = try clock.run(["entry", "approve", "\(rejected)", "--key", "approver-2.key"])
        #expect(afterRejection.status == 2 && afterRejection.stderr.contains("was rejected (无付款依据)"), "\(afterRejection.stderr)")
        let again = try clock.run(["post", "--propose", "--key", "clerk.key", "--date", "2026-11-03", "--ref", "R-1",
                                   "--debit", "50701=10", "--credit", "10201=10"])
        #expect(again.status == 2 && again.stderr.contains("which was rejected; propose the entry again under a new --ref"), "\(again.stderr)")
        // Six days later by the clock: lapsed, whatever date an approver might have typed.
        clock.environment["HUZHU_NOW"] = "2026-11-09T02:00:00Z"
        let late = try clock.run(["entry", "approve", "\(lapsing)", "--key", "approver-2.key"])
        #expect(late.status == 2 && late.stderr.contains("lapsed on 2026-11-08"), "\(late.stderr)")
        let states = try proposals(plan, ["--as-of", "2026-11-09"]).map { $0["state"] as? String }
        #expect(states == ["rejected", "lapsed"])
        #expect(try proposals(plan, ["--as-of", "2026-11-08"]).map { $0["state"] as? String } == ["rejected", "pending"])
        #expect(try proposals(plan, ["--pending", "--as-of", "2026-11-09"]).isEmpty)
        #expect(try balance(plan, "50701") == 0)
        for days in ["0", "91"] {
            let bad = try plan.cli.run(["post", "--propose", "--key", "clerk.key", "--date", "2026-11-03", "--lapses-in", days,
                                        "--debit", "50701=20", "--credit", "10201=20"])
            #expect(bad.status == 2 && bad.stderr.contains("1 to 90 days"), "\(bad.stderr)")
        }
        let expense = try plan.cli.run(["post", "--propose", "--key", "clerk.key", "--date", "2026-11-03",
                                        "--debit", "50201=50000", "--credit", "10201=50000"])
        #expect(expense.status == 2 && expense.stderr.contains("moves only through claims"), "\(expense.stderr)")
        let file = try plan.cli.run(["post", "--propose", "--key", "clerk.key", "--file", "x.csv"])
        #expect(file.status == 2)
        try expectClean(plan)
        // An approval recorded after the lapse date, written in by an insider, is found.
        var onTime = plan.cli
        onTime.environment["HUZHU_NOW"] = "2026-11-07T02:00:00Z"
        let posted = seqOf(try onTime.ok(["entry", "approve", "\(lapsing)", "--key", "approver-2.key"]))
        try surgeon(plan).rewrite(posted) { $0.time = try! EventTime("2026-11-09T02:00:00Z"); $0.data["approvedOn"] = "2026-11-09" }
        let audit = try plan.books.audit()
        #expect(audit.errors("fund.controls").contains { $0.seqs == [lapsing, posted] && $0.explanation.contains("lapse date 2026-11-08") }, "\(audit.findings)")
    }

    @Test("the audit finds a plain entry on the plan's accounts written into the file by an insider, naming its seq, accounts and amount, and the benefit expense off the claims register; so does the bundle verifier")
    func auditFindsUnapprovedEntry() throws {
        let plan = try MutualAidBooks(members: 2)
        try plan.cli.ok(["post", "--key", "clerk.key", "--date", "2026-12-05", "--ref", "FEE-1", "--debit", "50701=12", "--credit", "10202=12"])
        let seq = try plan.books.lastSeq()
        try plan.cli.ok(["checkpoint", "--key", "admin.key"])
        try surgeon(plan).rewrite(seq) { fields in
            fields.data["postings"] = .array([
                ["account": "50201", "amountFen": .integer(5_000_000), "side": "debit"],
                ["account": "10201", "amountFen": .integer(5_000_000), "side": "credit"],
            ])
        }
        let audit = try plan.books.audit()
        #expect(audit.status == 1)
        let controls = audit.errors("fund.controls")
        #expect(controls.count == 1 && controls[0].seqs == [seq], "\(audit.findings)")
        #expect(controls[0].explanation.contains("50,000.00") && controls[0].explanation.contains("10201, 50201"), "\(controls)")
        let tieOut = audit.errors("fund.tie-out")
        #expect(tieOut.count == 1 && tieOut[0].explanation.contains("50201") && tieOut[0].explanation.contains("50,000.00 unexplained"), "\(tieOut)")

        try plan.cli.ok(["audit", "export", "--out", "bundle"])
        let bundle = try plan.cli.run(["verify", "--bundle", "bundle", "--format", "json"])
        #expect(bundle.status == 1)
        #expect(bundle.stdout.contains("fund.controls") && bundle.stdout.contains("fund.tie-out"), "\(bundle.stdout)")
    }

    @Test("the audit finds a plan step posted between other accounts than the plan states: a receipt credited to revenue, a bill to the bank")
    func auditFindsMisdirectedPlanSteps() throws {
        let plan = try MutualAidBooks(members: 2)
        let receipt = try plan.books.scalar("SELECT seq FROM events WHERE kind = 'contribution.received'")
        let bill = try plan.books.scalar("SELECT seq FROM events WHERE kind = 'contribution.billed'")
        try surgeon(plan).rewrite(receipt) { fields in
            fields.data["postings"] = .array([
                ["account": "10201", "amountFen": .integer(6_000), "side": "debit"],
                ["account": "40801", "amountFen": .integer(6_000), "side": "credit"],
            ])
        }
        try surgeon(plan).rewrite(bill) { fields in
            guard case var .array(lines)? = fields.data["postings"], case var .object(first) = lines[0] else { return }
            first["account"] = "10201"
            lines[0] = .object(first)
            fields.data["postings"] = .array(lines)
        }
        let audit = try plan.books.audit()
        let found = audit.errors("fund.controls")
        #expect(found.map(\.seqs).sorted { $0[0] < $1[0] } == [[bill], [receipt]], "\(audit.findings)")
        #expect(found.allSatisfy { $0.explanation.contains("between the plan's accounts as the plan states") }, "\(found)")
    }

    @Test("the audit holds proposals to their rules: a proposer approving, one approval where two are needed, lines changed at approval")
    func auditFindsBentProposals() throws {
        let plan = try MutualAidBooks(members: 2)
        let proposal = seqOf(try plan.cli.ok(["post", "--propose", "--key", "clerk.key", "--date", "2026-11-03",
                                              "--debit", "10201=6000", "--credit", "40802=6000"]))
        try plan.cli.ok(["entry", "approve", "\(proposal)", "--key", "approver-1.key"])
        let final = seqOf(try plan.cli.ok(["entry", "approve", "\(proposal)", "--key", "approver-2.key"]))
        try expectClean(plan)
        // Said to need one approval, the first approval posting it.
        try surgeon(plan).rewrite(proposal) { $0.data["approvalsNeeded"] = 1 }
        var audit = try plan.books.audit()
        #expect(audit.errors("fund.controls").contains { $0.seqs == [proposal] && $0.explanation.contains("needs 2") }, "\(audit.findings)")
        // The final approval posting other lines than proposed.
        try surgeon(plan).rewrite(proposal) { $0.data["approvalsNeeded"] = 2 }
        try surgeon(plan).rewrite(final) { fields in
            fields.data["postings"] = .array([
                ["account": "10201", "amountFen": .integer(60_000), "side": "debit"],
                ["account": "40802", "amountFen": .integer(60_000), "side": "credit"],
            ])
        }
        audit = try plan.books.audit()
        #expect(audit.errors("fund.controls").contains { $0.seqs == [proposal, final] && $0.explanation.contains("exactly the lines proposed") },
                "\(audit.findings)")
        // The proposer approving its own entry.
        try surgeon(plan).rewrite(final) { $0.actor = try! KeyID(try! plan.books.keyID("clerk.key")) }
        audit = try plan.books.audit()
        #expect(audit.errors("fund.controls").contains { $0.explanation.contains("approved by the key that proposed it") }, "\(audit.findings)")
    }

    /// Two members' claims of 3,000.00 each, approved: 6,000.00 in all, over the plan's 5,000.00 threshold.
    func twoApprovedClaims(_ plan: MutualAidBooks) throws -> [Int64] {
        try (0..<2).map { index in
            let (claim, _) = try plan.file(plan.members[index], settlement: "B\(index)", extra: plan.medical(ownShare: "20000"))
            try plan.approveFully(claim)
            return claim
        }
    }

    @Test("a payment batch at or over the threshold is paid only once an approver approved it, only its claims, by another key; under it, as before")
    func paymentBatchApproval() throws {
        let plan = try MutualAidBooks(members: 3)
        let claims = try twoApprovedClaims(plan)
        let bank = try balance(plan, "10201")
        let refused = try plan.cli.run(["claim", "pay", "--all", "--batch", "P-1", "--out", "p.csv", "--date", "2026-04-10", "--key", "clerk.key"])
        #expect(refused.status == 2 && refused.stderr.contains("batch P-1 pays 6,000.00 in 2 claims, at or over the large-amount threshold 5,000.00")
                && refused.stderr.contains("huzhu claim approve-batch P-1 \(claims[0]) \(claims[1])"), "\(refused.stderr)")
        #expect(try balance(plan, "10201") == bank && !FileManager.default.fileExists(atPath: plan.books.path("p.csv")))

        let approved = try plan.cli.ok(["claim", "approve-batch", "P-1", "\(claims[0])", "--key", "both.key", "--date", "2026-04-09"])
        #expect(approved.contains("1 claims, 3,000.00"))
        let outside = try plan.cli.run(["claim", "pay", "\(claims[1])", "--batch", "P-1", "--out", "p.csv", "--date", "2026-04-10", "--key", "clerk.key"])
        #expect(outside.status == 2 && outside.stderr.contains("claim \(claims[1]) is not in batch P-1"), "\(outside.stderr)")
        let byApprover = try plan.cli.run(["claim", "pay", "--all", "--batch", "P-1", "--out", "p.csv", "--date", "2026-04-10", "--key", "both.key"])
        #expect(byApprover.status == 2 && byApprover.stderr.contains("approved batch P-1 and may not also pay it"), "\(byApprover.stderr)")
        #expect(try plan.cli.ok(["claim", "pay", "--all", "--batch", "P-1", "--out", "p.csv", "--date", "2026-04-10", "--key", "clerk.key"])
            .contains("paid 1 claims, 3,000.00"))
        // The other claim alone is under the threshold: it is paid without a batch approval.
        try plan.cli.ok(["claim", "pay", "\(claims[1])", "--batch", "P-2", "--out", "p2.csv", "--date", "2026-04-10", "--key", "clerk.key"])
        #expect(try balance(plan, "10201") == bank - 600_000)
        // A payment the bank returned goes out again only in an approved batch, whatever its size.
        try plan.cli.ok(["claim", "return-payment", "\(claims[1])", "--reason", "账户已销户", "--date", "2026-04-12", "--key", "clerk.key"])
        let repay = try plan.cli.run(["claim", "pay", "\(claims[1])", "--batch", "P-3", "--out", "p3.csv", "--date", "2026-04-13", "--key", "clerk.key"])
        #expect(repay.status == 2 && repay.stderr.contains("earlier payment was returned; paying it again needs an approver's approval"), "\(repay.stderr)")
        try plan.cli.ok(["claim", "approve-batch", "P-3", "\(claims[1])", "--key", "approver-1.key", "--date", "2026-04-13"])
        try plan.cli.ok(["claim", "pay", "\(claims[1])", "--batch", "P-3", "--out", "p3.csv", "--date", "2026-04-13", "--key", "clerk.key"])
        #expect(try balance(plan, "10201") == bank - 600_000)

        let all = try MutualAidBooks(members: 3)
        let allClaims = try twoApprovedClaims(all)
        #expect(try all.cli.ok(["claim", "approve-batch", "P-ALL", "--all", "--key", "approver-2.key", "--date", "2026-04-09"]).contains("2 claims, 6,000.00"))
        #expect(try all.cli.ok(["claim", "pay", "--all", "--batch", "P-ALL", "--out", "p.csv", "--date", "2026-04-10", "--key", "clerk.key"])
            .contains("paid 2 claims, 6,000.00"))
        let empty = try all.cli.run(["claim", "approve-batch", "P-LATE", "--all", "--key", "approver-2.key", "--date", "2026-04-11"])
        #expect(empty.status == 2 && empty.stderr.contains("no approved, unpaid claims"), "\(empty.stderr)")
        let paidOne = try all.cli.run(["claim", "approve-batch", "P-LATE", "\(allClaims[0])", "--key", "approver-2.key", "--date", "2026-04-11"])
        #expect(paidOne.status == 2 && paidOne.stderr.contains("is paid; only approved claims are paid"), "\(paidOne.stderr)")
        try expectClean(plan)
        try expectClean(all)
    }

    @Test("the audit finds a large batch paid with no approval, as an insider rewrites the approval away")
    func auditFindsUnapprovedBatch() throws {
        let plan = try MutualAidBooks(members: 3)
        _ = try twoApprovedClaims(plan)
        let approval = seqOf(try plan.cli.ok(["claim", "approve-batch", "P-1", "--all", "--key", "approver-2.key", "--date", "2026-04-09"]))
        try plan.cli.ok(["claim", "pay", "--all", "--batch", "P-1", "--out", "p.csv", "--date", "2026-04-10", "--key", "clerk.key"])
        try expectClean(plan)
        // An approval for less than its claims' amounts: the batch pays more than approved.
        try surgeon(plan).rewrite(approval) { $0.data["amountFen"] = .integer(500_000) }
        var audit = try plan.books.audit()
        var found = audit.errors("fund.controls").map(\.explanation)
        #expect(found.contains { $0.contains("is not the approved amounts") } && found.contains { $0.contains("more than the 5,000.00 approved") },
                "\(audit.findings)")
        try surgeon(plan).rewrite(approval) { $0.data["amountFen"] = .integer(600_000) }
        try expectClean(plan)
        // The approval moved to another batch's name: the large batch was paid unapproved.
        try surgeon(plan).rewrite(approval) { $0.data["batch"] = "P-OTHER" }
        audit = try plan.books.audit()
        found = audit.errors("fund.controls").map(\.explanation)
        #expect(found.count == 1 && found[0].contains("batch P-1 has paid 6,000.00") && found[0].contains("no approver's approval"),
                "\(audit.findings)")
    }

    @Test("a refund to a unit needs an approver's approval of the same unit, year and amount, by another key")
    func refundApproval() throws {
        let plan = try MutualAidBooks(members: 4)
        let refund = ["contribution", "refund", "--unit", "U001", "--year", "2026", "--amount", "30", "--reason", "1 人调出", "--ref", "RF-01",
                      "--date", "2026-01-20", "--key", "clerk.key"]
        let unapproved = try plan.cli.run(refund)
        #expect(unapproved.status == 2 && unapproved.stderr.contains("huzhu contribution approve-refund --unit U001 --year 2026 --amount 30.00 --ref RF-01"),
                "\(unapproved.stderr)")
        try plan.cli.ok(["contribution", "approve-refund", "--unit", "U001", "--year", "2026", "--amount", "30", "--ref", "RF-01",
                         "--date", "2026-01-19", "--key", "both.key"])
        var other = refund
        other[7] = "40"
        let different = try plan.cli.run(other)
        #expect(different.status == 2 && different.stderr.contains("was approved at seq"), "\(different.stderr)")
        var byApprover = refund
        byApprover[byApprover.count - 1] = "both.key"
        let own = try plan.cli.run(byApprover)
        #expect(own.status == 2 && own.stderr.contains("approved refund RF-01 and may not also record it"), "\(own.stderr)")
        #expect(try plan.cli.ok(refund).contains("refunded 30.00 to U001"))
        try expectClean(plan)
        // Reversed and recorded again, the refund needs an approval of its own: one approval, one refund.
        let refunded = try plan.books.scalar("SELECT seq FROM events WHERE kind = 'contribution.refunded'")
        try plan.cli.ok(["reverse", "\(refunded)", "--reason", "退款未发出", "--date", "2026-01-21", "--key", "clerk.key"])
        var again = refund
        again[again.firstIndex(of: "2026-01-20")!] = "2026-01-22"
        let reused = try plan.cli.run(again)
        #expect(reused.status == 2 && reused.stderr.contains("has no approval"), "\(reused.stderr)")
        try plan.cli.ok(["contribution", "approve-refund", "--unit", "U001", "--year", "2026", "--amount", "30", "--ref", "RF-01",
                         "--date", "2026-01-22", "--key", "approver-1.key"])
        try plan.cli.ok(again)
        try expectClean(plan)
        // An insider's refund with its approval rewritten away is found.
        let approval = try plan.books.scalar("SELECT max(seq) FROM events WHERE kind = 'contribution.refund-approved'")
        try surgeon(plan).rewrite(approval) { $0.data["idempotencyKey"] = "refund-approval:RF-XX" }
        let audit = try plan.books.audit()
        #expect(audit.errors("fund.controls").contains { $0.explanation.contains("the refund RF-01 of 30.00 to unit U001 has no approver's approval") }
                && audit.errors("fund.controls").count == 1,
                "\(audit.findings)")
    }

    @Test("a refund at or over the large-amount threshold needs two distinct approvers")
    func largeRefund() throws {
        let plan = try MutualAidBooks(members: 200)  // 6,000.00 received from U001
        let approve = { (key: String) in
            try plan.cli.run(["contribution", "approve-refund", "--unit", "U001", "--year", "2026", "--amount", "5000", "--ref", "RF-BIG",
                              "--date", "2026-01-19", "--key", key])
        }
        let refund = ["contribution", "refund", "--unit", "U001", "--year", "2026", "--amount", "5000", "--reason", "单位撤销", "--ref", "RF-BIG",
                      "--date", "2026-01-20", "--key", "clerk.key"]
        #expect(try approve("approver-1.key").status == 0)
        let one = try plan.cli.run(refund)
        #expect(one.status == 2 && one.stderr.contains("has 1 of the 2 approvals it needs"), "\(one.stderr)")
        #expect(try approve("approver-1.key").stdout.contains("already approved"), "one key's second word is its first")
        #expect(try approve("approver-2.key").status == 0)
        #expect(try approve("both.key").stderr.contains("already has the 2 approval(s) it needs"))
        #expect(try plan.cli.ok(refund).contains("refunded 5,000.00 to U001"))
        try expectClean(plan)
        // The second approval written away by an insider: one approver for a large refund.
        let second = try plan.books.scalar("SELECT max(seq) FROM events WHERE kind = 'contribution.refund-approved'")
        try surgeon(plan).rewrite(second) { $0.data["idempotencyKey"] = "refund-approval-2:RF-OTHER" }
        #expect(try plan.books.audit().errors("fund.controls").contains { $0.explanation.contains("at or over the large-amount threshold but has 1 approver") })
    }

    @Test("huzhu report controls on the demo: every key holder's duties, each large amount with its approvers, each exception")
    func controlsReportOnDemo() throws {
        let books = try CLILedger()
        try books.cli.ok(["demo", "--dir", "year"])
        var cli = books.cli
        cli.environment["HUZHU_DB"] = books.path("year/huzhu.db")
        let report = try JSONParser.parse(try cli.ok(["report", "controls", "--year", "2026", "--format", "json"]))
        let tables = report["tables"]?.arrayValue ?? []
        func rows(_ key: String) -> [JSONValue] { tables.first { $0["key"]?.stringValue == key }?["rows"]?.arrayValue ?? [] }
        let holders = rows("byHolder")
        #expect(holders.count == 4)
        let clerk = holders.first { $0["roles"]?.stringValue == "clerk" }
        #expect(clerk?["filed"]?.integerValue ?? 0 > 200 && clerk?["approved"]?.integerValue == 0 && clerk?["proposed"]?.integerValue == 2)
        #expect(holders.allSatisfy { $0["roles"]?.stringValue == "clerk" || $0["filed"]?.integerValue == 0 }, "only the clerk files")
        let large = rows("largeAmounts").compactMap { $0["item"]?.stringValue }
        #expect(large.filter { $0.hasPrefix("理赔") }.count == 4 && large.contains { $0.hasPrefix("凭证") } && large.contains { $0.hasPrefix("支付批次") },
                "\(large)")
        let batches = rows("largeAmounts").filter { ($0["item"]?.stringValue ?? "").hasPrefix("支付批次") }
        #expect(batches.allSatisfy { ($0["amountFen"]?.integerValue ?? 0) >= 1_000_000 }, "only batches at or over the plan's 10,000.00 threshold")
        let twoApprovers = rows("largeAmounts").filter { ($0["item"]?.stringValue ?? "").hasPrefix("凭证") }
        #expect(twoApprovers.allSatisfy { ($0["approvers"]?.stringValue ?? "").contains("、") })
        let exceptions = rows("exceptions").compactMap { $0["item"]?.stringValue }
        #expect(exceptions.contains { $0.contains("撤销审批") } && exceptions.contains { $0.contains("支付退回") } && exceptions.contains { $0.contains("核减审批") },
                "\(exceptions)")
        #expect(try cli.ok(["report", "controls", "--year", "2026"]).contains("内部控制执行情况表（2026年度）"))
    }
}
