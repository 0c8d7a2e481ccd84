import Foundation
import GRDB
import Ledger
import Testing

/// The plan's corrections through the real binary: a claim's approval revoked, a payment
/// the bank returned, a bill, receipt, refund and subsidy reversed. Each checks the books
/// (balances), the registers (claim state, caps, unit contributions), the idempotency keys
/// a step recorded again takes, the refusals, and that verify and the full audit (which
/// replays every projection) stay clean.
@Suite("huzhu CLI: correcting the plan's money steps")
struct CorrectionsCLITests {
    /// Debits and credits, in fen, of account `code` (zero when nothing is posted to it yet).
    func balance(_ cli: CLI, _ code: String) throws -> (debit: Int, credit: Int) {
        let json = try JSONSerialization.jsonObject(with: Data(try cli.ok(["balance", "--format", "json"]).utf8)) as! [String: Any]
        let accounts = json["accounts"] as! [[String: Any]]
        guard let line = accounts.first(where: { $0["code"] as? String == code }) else { return (0, 0) }
        return (line["debitFen"] as! Int, line["creditFen"] as! Int)
    }

    /// The seq of the `nth` event of `kind` about `claim`.
    func seq(_ plan: MutualAidBooks, kind: String, claim: Int64, nth: Int = 0) throws -> Int64 {
        try DatabaseQueue(path: plan.books.database).read { db in
            try Int64.fetchAll(db, sql: "SELECT seq FROM events WHERE kind = ? AND json_extract(CAST(body AS TEXT), '$.data.claim') = ? ORDER BY seq",
                               arguments: [kind, claim])[nth]
        }
    }

    /// The events of the log from `seq` on, as JSON objects.
    func events(_ cli: CLI, from seq: Int64 = 1) throws -> [[String: Any]] {
        try cli.ok(["log", "--from-seq", "\(seq)", "--format", "json"]).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    func lastSeq(_ plan: MutualAidBooks, kind: String) throws -> Int64 {
        try DatabaseQueue(path: plan.books.database).read { try Int64.fetchOne($0, sql: "SELECT max(seq) FROM events WHERE kind = ?", arguments: [kind])! }
    }

    /// A 150.00 claim of the first member, approved, paid on 2026-04-10 and returned by the
    /// bank on 2026-04-20; its id.
    func paidAndReturned(_ plan: MutualAidBooks, settlement: String) throws -> Int64 {
        let (claim, _) = try plan.file(plan.members[0], settlement: settlement, extra: plan.medical(ownShare: "1000"))
        try plan.approveFully(claim)
        try plan.cli.ok(["claim", "pay", "\(claim)", "--batch", "P-1", "--out", "p.csv", "--date", "2026-04-10", "--key", "clerk.key"])
        try plan.cli.ok(["claim", "return-payment", "\(claim)", "--reason", "账户已销户", "--date", "2026-04-20", "--key", "clerk.key"])
        return claim
    }

    func key(_ event: [String: Any]) -> String? { (event["data"] as? [String: Any])?["idempotencyKey"] as? String }

    func expectClean(_ plan: MutualAidBooks, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try plan.cli.ok(["verify"]).contains("ok:"), sourceLocation: sourceLocation)
        let audit = try plan.books.audit()
        #expect(audit.status == 0 && audit.findings.isEmpty, "\(audit.findings)", sourceLocation: sourceLocation)
    }

    @Test("an approval revoked before payment: claim reviewed again, expense and payable reversed, caps back to the assessment; approved anew under a fresh key")
    func approvalRevoked() throws {
        let plan = try MutualAidBooks(members: 2)
        let cli = plan.cli
        let member = plan.members[0]
        let (claim, _) = try plan.file(member, settlement: "RV-1", extra: plan.medical(ownShare: "20000"))   // 3,000.00 assessed
        try cli.ok(["claim", "review", "\(claim)", "--key", "approver-1.key"])
        try cli.ok(["claim", "approve", "\(claim)", "--amount", "1000", "--reason", "发票金额有误", "--date", "2026-04-01", "--key", "approver-1.key"])
        #expect(try balance(cli, "22501") == (0, 100_000) && balance(cli, "50201") == (100_000, 0))

        // The filer, an auditor, and a date before the approval are refused; nothing changes.
        let byAuditor = try cli.run(["claim", "revoke-approval", "\(claim)", "--reason", "x", "--date", "2026-04-02", "--key", "auditor.key"])
        #expect(byAuditor.status == 2 && byAuditor.stderr.contains("needs the role approver"), "\(byAuditor.stderr)")
        let early = try cli.run(["claim", "revoke-approval", "\(claim)", "--reason", "x", "--date", "2026-03-31", "--key", "approver-2.key"])
        #expect(early.status == 2 && early.stderr.contains("before it was made"), "\(early.stderr)")
        let (own, _) = try plan.file(plan.members[1], settlement: "RV-OWN", extra: plan.medical(ownShare: "1000"), key: "both.key")
        try cli.ok(["claim", "review", "\(own)", "--key", "approver-1.key"])
        try cli.ok(["claim", "approve", "\(own)", "--date", "2026-04-01", "--key", "approver-1.key"])
        let byFiler = try cli.run(["claim", "revoke-approval", "\(own)", "--reason", "x", "--date", "2026-04-02", "--key", "both.key"])
        #expect(byFiler.status == 2 && byFiler.stderr.contains("filed claim \(own) and may not decide it"), "\(byFiler.stderr)")

        let approval = try seq(plan, kind: "claim.approved", claim: claim)
        #expect(try cli.ok(["claim", "revoke-approval", "\(claim)", "--reason", "金额需复核", "--date", "2026-04-02", "--key", "approver-2.key"])
            .contains("approval revoked"))
        let shown = try plan.claim(claim)
        #expect(shown["state"] as? String == "reviewed" && shown["approvedFen"] is NSNull && (shown["approvers"] as? [Any])?.isEmpty == true)
        #expect(try balance(cli, "22501") == (100_000, 100_000 + 15_000) && balance(cli, "50201") == (100_000 + 15_000, 100_000))
        let revocation = try #require(try events(cli).last { $0["kind"] as? String == "claim.approval-revoked" })
        let data = try #require(revocation["data"] as? [String: Any])
        #expect(data["reverses"] as? Int == Int(approval) && data["approvals"] as? [Int] == [Int(approval)] && data["final"] as? Bool == true)
        #expect(key(revocation) == "reversal:\(approval)")
        // Already withdrawn: the plain command says so.
        let again = try cli.run(["reverse", "\(approval)", "--reason", "x", "--date", "2026-04-02", "--key", "clerk.key"])
        #expect(again.status == 2 && again.stderr.contains("already reversed by event \(revocation["seq"] as! Int)"), "\(again.stderr)")

        // The claim counts against the cap at its assessment again: 3,000.00 used, not 1,000.00.
        let (_, next) = try plan.file(member, settlement: "RV-2", service: "2026-04-05", filed: "2026-04-05", extra: plan.medical(ownShare: "20000"))
        #expect(next.contains("used 3,000.00") && next.contains("payout 3,000.00"), "\(next)")

        // A decision dated before the revocation is refused; the same approver may approve anew.
        let backdated = try cli.run(["claim", "approve", "\(claim)", "--date", "2026-04-01", "--key", "approver-1.key"])
        #expect(backdated.status == 2 && backdated.stderr.contains("last corrected on 2026-04-02"), "\(backdated.stderr)")
        try cli.ok(["claim", "approve", "\(claim)", "--date", "2026-04-03", "--key", "approver-1.key"])
        #expect(try plan.claim(claim)["approvedFen"] as? Int == 300_000)
        #expect(try events(cli).filter { $0["kind"] as? String == "claim.approved" }.compactMap(key).contains("approve:\(claim):1#2"))

        // Paid, it can no longer be revoked: the payment must be returned first.
        try cli.ok(["claim", "pay", "\(claim)", "--batch", "P-1", "--out", "p.csv", "--date", "2026-04-10", "--key", "clerk.key"])
        let paid = try cli.run(["claim", "revoke-approval", "\(claim)", "--reason", "x", "--date", "2026-04-11", "--key", "approver-2.key"])
        #expect(paid.status == 2 && paid.stderr.contains("return-payment \(claim)"), "\(paid.stderr)")
        try expectClean(plan)
    }

    @Test("a two-approver claim: a first approval withdrawn moves no money; a revoked final approval withdraws both, and two approvers are needed again")
    func twoApproverRound() throws {
        let plan = try MutualAidBooks(members: 2)
        let cli = plan.cli
        let (claim, _) = try plan.file(plan.members[0], benefit: "accident-death", settlement: "D-1")   // 20,000.00 ≥ the 5,000 threshold
        try cli.ok(["claim", "review", "\(claim)", "--key", "approver-1.key"])
        try cli.ok(["claim", "approve", "\(claim)", "--amount", "15000", "--reason", "待核", "--date", "2026-04-01", "--key", "approver-1.key"])
        let payable = try balance(cli, "22501")
        try cli.ok(["claim", "revoke-approval", "\(claim)", "--reason", "金额有误", "--date", "2026-04-01", "--key", "approver-2.key"])
        #expect(try balance(cli, "22501") == payable)
        #expect(try plan.claim(claim)["state"] as? String == "reviewed")
        // The withdrawal is a correction like any: a repeat is answered with it, and the claim's
        // next steps are not dated before it.
        let withdrawal = try lastSeq(plan, kind: "claim.approval-revoked")
        #expect(try cli.ok(["claim", "revoke-approval", "\(claim)", "--reason", "金额有误", "--date", "2026-04-01", "--key", "approver-2.key"])
            .contains("already revoked at seq \(withdrawal)"))
        let early = try cli.run(["claim", "approve", "\(claim)", "--date", "2026-03-31", "--key", "approver-1.key"])
        #expect(early.status == 2 && early.stderr.contains("last corrected on 2026-04-01"), "\(early.stderr)")

        // Round two: the same amount from both, then the final approval revoked.
        try cli.ok(["claim", "approve", "\(claim)", "--date", "2026-04-02", "--key", "approver-1.key"])
        try cli.ok(["claim", "approve", "\(claim)", "--date", "2026-04-02", "--key", "approver-2.key"])
        let round = try events(cli).filter { $0["kind"] as? String == "claim.approved" }.suffix(2)
        #expect(round.compactMap(key) == ["approve:\(claim):1#2", "approve:\(claim):2"])
        try cli.ok(["claim", "revoke-approval", "\(claim)", "--reason", "材料存疑", "--date", "2026-04-03", "--key", "approver-1.key"])
        let revocation = try #require(try events(cli).last { $0["kind"] as? String == "claim.approval-revoked" }?["data"] as? [String: Any])
        #expect(revocation["approvals"] as? [Int] == round.map { $0["seq"] as! Int } && revocation["final"] as? Bool == true)

        // Round three needs two approvers again, under keys of its own.
        #expect(try cli.ok(["claim", "approve", "\(claim)", "--date", "2026-04-04", "--key", "approver-2.key"]).contains("second approver"))
        #expect(try cli.ok(["claim", "approve", "\(claim)", "--date", "2026-04-04", "--key", "approver-1.key"]).contains("approved at seq"))
        #expect(try events(cli).filter { $0["kind"] as? String == "claim.approved" }.suffix(2).compactMap(key)
                == ["approve:\(claim):1#3", "approve:\(claim):2#2"])
        #expect(try plan.claim(claim)["state"] as? String == "approved")
        try expectClean(plan)
    }

    @Test("a payment the bank returned: the money back in the bank, the claim approved and owed again, then paid anew")
    func paymentReturned() throws {
        let plan = try MutualAidBooks(members: 2)
        let cli = plan.cli
        let (claim, _) = try plan.file(plan.members[0], settlement: "PR-1", extra: plan.medical(ownShare: "1000"))   // 150.00
        try plan.approveFully(claim)
        try cli.ok(["claim", "pay", "\(claim)", "--batch", "P-1", "--out", "p1.csv", "--date", "2026-04-10", "--key", "clerk.key"])
        let bank = try balance(cli, "10201")

        let notPaid = try cli.run(["claim", "return-payment", "9999", "--reason", "x", "--key", "clerk.key"])
        #expect(notPaid.status == 2 && notPaid.stderr.contains("no claim 9999"), "\(notPaid.stderr)")
        let byApprover = try cli.run(["claim", "return-payment", "\(claim)", "--reason", "x", "--date", "2026-04-12", "--key", "approver-1.key"])
        #expect(byApprover.status == 2 && byApprover.stderr.contains("needs the role clerk"), "\(byApprover.stderr)")
        try cli.ok(["claim", "return-payment", "\(claim)", "--reason", "账户已销户", "--date", "2026-04-12", "--key", "clerk.key"])
        let shown = try plan.claim(claim)
        #expect(shown["state"] as? String == "approved" && shown["paidFen"] is NSNull && shown["approvedFen"] as? Int == 15_000)
        #expect(try balance(cli, "10201") == (bank.debit + 15_000, bank.credit))
        #expect(try balance(cli, "22501") == (15_000, 30_000))
        let twice = try cli.run(["claim", "return-payment", "\(claim)", "--reason", "x", "--date", "2026-04-12", "--key", "clerk.key"])
        #expect(twice.status == 2 && twice.stderr.contains("only a paid claim"), "\(twice.stderr)")

        // The card is corrected: the log commits to the new details, naming only which field changed.
        let member = plan.members[0]
        let badCard = try cli.run(["member", "update", member, "--bank-card", "6222-0000", "--reason", "x", "--key", "clerk.key"])
        #expect(badCard.status == 2 && badCard.stderr.contains("bank card") && badCard.stderr.contains("digits"), "\(badCard.stderr)")
        #expect(try cli.run(["member", "update", member, "--reason", "x", "--key", "clerk.key"]).status == 2)
        let byApproverUpdate = try cli.run(["member", "update", member, "--bank-card", "6222999900001111", "--reason", "x", "--key", "approver-1.key"])
        #expect(byApproverUpdate.status == 2 && byApproverUpdate.stderr.contains("needs the role clerk"), "\(byApproverUpdate.stderr)")
        #expect(try cli.ok(["member", "update", member, "--bank-card", "6222 9999 0000 1111", "--reason", "原卡已销户", "--key", "clerk.key"])
            .contains("updated the personal details"))
        #expect(try cli.ok(["member", "update", member, "--bank-card", "6222999900001111", "--reason", "again", "--key", "clerk.key"])
            .contains("nothing recorded"))
        let updated = try #require(try events(cli).last { $0["kind"] as? String == "member.details-updated" }?["data"] as? [String: Any])
        #expect(updated["updated"] as? [String] == ["bankCard"] && !"\(updated)".contains("6222999900001111"))
        let (fields, salt, commitment) = try DatabaseQueue(path: plan.books.database).read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT p.fields, p.salt, m.commitment FROM member_personal p JOIN members m ON m.member_id = p.member_id WHERE p.member_id = ?
                """, arguments: [member])!
            return (row[0] as String, Array(row[1] as Data), row[2] as String)
        }
        #expect(commitment == updated["commitment"] as? String && SHA256Hash.of(salt + Array(fields.utf8)).hex == commitment)

        // Paid anew in the next batch, to the new card, under the payment key's next generation,
        // once an approver approved paying it again.
        try cli.ok(["claim", "approve-batch", "P-2", "--all", "--date", "2026-04-20", "--key", "approver-1.key"])
        #expect(try cli.ok(["claim", "pay", "--all", "--batch", "P-2", "--out", "p2.csv", "--date", "2026-04-20", "--key", "clerk.key"])
            .contains("paid 1 claims, 150.00"))
        #expect(try String(contentsOfFile: plan.books.path("p2.csv"), encoding: .utf8).contains("P-2,\(claim),\(member),会员0,6222999900001111,150.00"))
        #expect(try events(cli).filter { $0["kind"] as? String == "claim.paid" }.compactMap(key) == ["pay:\(claim)", "pay:\(claim)#2"])
        #expect(try plan.claim(claim)["state"] as? String == "paid")
        #expect(try balance(cli, "22501") == (30_000, 30_000))
        // The first payment stays reversed; only the standing one may be returned.
        let first = try events(cli).first { $0["kind"] as? String == "claim.paid" }!["seq"] as! Int
        let stale = try cli.run(["reverse", "\(first)", "--reason", "x", "--date", "2026-04-21", "--key", "clerk.key"])
        #expect(stale.status == 2 && stale.stderr.contains("already reversed"), "\(stale.stderr)")
        try expectClean(plan)
    }

    @Test("contributions: a receipt, a refund, a subsidy and a bill reversed; the unit's figures follow; recorded again under fresh keys")
    func contributionsReversed() throws {
        let plan = try MutualAidBooks(members: 4, paid: false)   // billed 4 × 30.00 to the unit, 4 × 30.00 subsidy
        let cli = plan.cli
        try cli.ok(["contribution", "receive", "--unit", "U001", "--year", "2026", "--amount", "120", "--bank-ref", "B-1",
                    "--date", "2025-12-28", "--key", "clerk.key"])
        let receipt = try lastSeq(plan, kind: "contribution.received")
        // A bill cannot be reversed while the unit has paid it.
        let bill = try lastSeq(plan, kind: "contribution.billed")
        let paidBill = try cli.run(["reverse", "\(bill)", "--reason", "x", "--date", "2026-01-05", "--key", "clerk.key"])
        #expect(paidBill.status == 2 && paidBill.stderr.contains("refund or reverse its receipts first"), "\(paidBill.stderr)")

        // The receipt was the wrong unit's: reversed, the unit owes again and its members' new claims wait.
        #expect(try cli.ok(["reverse", "\(receipt)", "--reason", "到账单位录错", "--date", "2026-01-05", "--key", "clerk.key"])
            .contains("(contribution.received) by seq"))
        #expect(try balance(cli, "11401") == (12_000 + 12_000, 12_000))
        let status = try cli.ok(["contribution", "status", "--year", "2026"])
        #expect(status.contains("120.00") && status.contains("no"), "\(status)")
        #expect(try plan.file(plan.members[0], settlement: "C-1", service: "2026-01-06", filed: "2026-01-06",
                              extra: plan.medical(ownShare: "1000")).1.contains("unpaid"))
        // Its reversal is not reversed; the receipt is recorded again under its own reference, once.
        let reversal = try lastSeq(plan, kind: "contribution.reversed")
        let undo = try cli.run(["reverse", "\(reversal)", "--reason", "x", "--date", "2026-01-06", "--key", "clerk.key"])
        #expect(undo.status == 2 && undo.stderr.contains("itself a reversal"), "\(undo.stderr)")
        // A statement imported again does not bring the reversed receipt back; recording it on purpose does.
        try plan.books.write("statement.csv", "date,amount,reference,unit\n2026-01-07,120.00,B-1,U001\n")
        let reimported = try cli.ok(["contribution", "import-bank", "statement.csv", "--year", "2026", "--key", "clerk.key"])
        #expect(reimported.contains("recorded 0 receipts; 0 already recorded") && reimported.contains("skipped 1 reversed and not recorded again: B-1"),
                "\(reimported)")
        #expect(try cli.ok(["contribution", "receive", "--unit", "U001", "--year", "2026", "--amount", "120", "--bank-ref", "B-1",
                            "--date", "2026-01-07", "--key", "clerk.key"]).contains("recorded 120.00 from U001"))
        #expect(try cli.ok(["contribution", "import-bank", "statement.csv", "--year", "2026", "--key", "clerk.key"]).contains("recorded 0 receipts; 1 already"))
        #expect(try events(cli).filter { $0["kind"] as? String == "contribution.received" }.compactMap(key) == ["receipt:B-1", "receipt:B-1#2"])
        #expect(try cli.ok(["contribution", "status", "--year", "2026"]).contains("yes"))

        // A refund reversed: the unit's net payment back to what it was billed.
        try cli.ok(["contribution", "approve-refund", "--unit", "U001", "--year", "2026", "--amount", "30", "--ref", "RF-1",
                    "--date", "2026-01-08", "--key", "approver-1.key"])
        try cli.ok(["contribution", "refund", "--unit", "U001", "--year", "2026", "--amount", "30", "--reason", "1 人调出", "--ref", "RF-1",
                    "--date", "2026-01-08", "--key", "clerk.key"])
        let receiptAgain = try lastSeq(plan, kind: "contribution.received")
        let refunded = try cli.run(["reverse", "\(receiptAgain)", "--reason", "x", "--date", "2026-01-09", "--key", "clerk.key"])
        #expect(refunded.status == 2 && refunded.stderr.contains("reverse the refund first"), "\(refunded.stderr)")
        try cli.ok(["reverse", "\(try lastSeq(plan, kind: "contribution.refunded"))", "--reason", "退款未发出", "--date", "2026-01-09", "--key", "clerk.key"])
        #expect(try cli.ok(["contribution", "status", "--year", "2026"]).contains("yes"))
        #expect(try balance(cli, "40801") == (3_000, 12_000 + 3_000))

        // The subsidy: reversed, then recorded again under its reference.
        try cli.ok(["contribution", "subsidy", "--year", "2026", "--amount", "100", "--ref", "SUB-1", "--date", "2026-01-10", "--key", "clerk.key"])
        try cli.ok(["reverse", "\(try lastSeq(plan, kind: "subsidy.received"))", "--reason", "金额有误", "--date", "2026-01-10", "--key", "clerk.key"])
        #expect(try balance(cli, "11402") == (12_000 + 10_000, 10_000))
        try cli.ok(["contribution", "subsidy", "--year", "2026", "--amount", "120", "--ref", "SUB-1", "--date", "2026-01-11", "--key", "clerk.key"])
        #expect(try events(cli).filter { $0["kind"] as? String == "subsidy.received" }.compactMap(key) == ["subsidy:SUB-1", "subsidy:SUB-1#2"])
        #expect(try balance(cli, "11402") == (22_000, 22_000))

        // The bill, once the receipt is reversed too: billed again for the same headcount, under a fresh key.
        try cli.ok(["reverse", "\(receiptAgain)", "--reason", "重新开单", "--date", "2026-01-12", "--key", "clerk.key"])
        try cli.ok(["reverse", "\(bill)", "--reason", "按新标准重新开单", "--date", "2026-01-12", "--key", "clerk.key"])
        #expect(try cli.ok(["contribution", "status", "--year", "2026"]).contains("0.00"))
        #expect(try balance(cli, "11401") == (12_000 * 3, 12_000 * 3))
        #expect(try cli.ok(["contribution", "bill", "--year", "2026", "--date", "2026-01-12", "--key", "clerk.key"]).contains("billed U001: 4 members, 240.00"))
        #expect(try events(cli).filter { $0["kind"] as? String == "contribution.billed" }.compactMap(key) == ["bill:U001:2026:0-4", "bill:U001:2026:0-4#2"])
        try expectClean(plan)
    }

    @Test("an older bill reversed after a later one: the unit is billed again for what it had billed")
    func olderBillReversed() throws {
        let plan = try MutualAidBooks(members: 4, paid: false)   // billed 4 members
        let cli = plan.cli
        // Four more enrolled and billed: the later bill spans 4 to 8.
        try plan.books.write("more.csv", MutualAidBooks.roster(count: 4, start: 4))
        try cli.ok(["member", "enroll", "--unit", "U001", "--year", "2026", "--roster", "more.csv", "--date", "2025-11-15", "--key", "clerk.key"])
        #expect(try cli.ok(["contribution", "bill", "--year", "2026", "--date", "2025-12-22", "--key", "clerk.key"]).contains("billed U001: 4 members"))
        let first = try DatabaseQueue(path: plan.books.database).read { try Int64.fetchOne($0, sql: "SELECT min(seq) FROM events WHERE kind = 'contribution.billed'")! }
        try cli.ok(["reverse", "\(first)", "--reason", "首期开单有误", "--date", "2026-01-05", "--key", "clerk.key"])
        // The bill making up for the first spans 4 to 8 too, beside the later one that stands.
        #expect(try cli.ok(["contribution", "bill", "--year", "2026", "--date", "2026-01-05", "--key", "clerk.key"]).contains("billed U001: 4 members, 240.00"))
        #expect(try events(cli).filter { $0["kind"] as? String == "contribution.billed" }.compactMap(key)
                == ["bill:U001:2026:0-4", "bill:U001:2026:4-8", "bill:U001:2026:4-8#2"])
        #expect(try cli.ok(["contribution", "bill", "--year", "2026", "--date", "2026-01-05", "--key", "clerk.key"]).contains("nothing to bill"))
        // Eight members billed, to the unit and the subsidy: 8 × 30.00 each.
        #expect(try balance(cli, "11401") == (12_000 * 3, 12_000) && balance(cli, "11402") == (12_000 * 3, 12_000))
        try expectClean(plan)
    }

    @Test("a lowered approval revoked: the claim may be approved again only for what the caps still leave it")
    func capsAfterRevocation() throws {
        let plan = try MutualAidBooks(members: 2)
        let cli = plan.cli
        let member = plan.members[0]
        let full = ["--total-cost", "100000", "--covered", "50000", "--own-share", "40000"]   // 15% = 6,000.00, the annual cap
        let (first, _) = try plan.file(member, settlement: "CAP-1", extra: full)
        try cli.ok(["claim", "review", "\(first)", "--key", "approver-1.key"])
        try cli.ok(["claim", "approve", "\(first)", "--amount", "4000", "--reason", "部分票据不符", "--date", "2026-04-01", "--key", "approver-1.key"])
        // The 2,000.00 the lowered approval gave back is assessed to the next claim and approved.
        let (second, filed) = try plan.file(member, settlement: "CAP-2", service: "2026-04-02", filed: "2026-04-02", extra: plan.medical(ownShare: "20000"))
        #expect(filed.contains("payout 2,000.00"), "\(filed)")
        try cli.ok(["claim", "review", "\(second)", "--key", "approver-1.key"])
        try cli.ok(["claim", "approve", "\(second)", "--date", "2026-04-03", "--key", "approver-1.key"])

        let revoked = try cli.ok(["claim", "revoke-approval", "\(first)", "--reason", "复核", "--date", "2026-04-04", "--key", "approver-2.key"])
        #expect(revoked.contains("may be approved for at most 4,000.00 (assessed 6,000.00"), "\(revoked)")
        #expect(try plan.claim(first)["approvableFen"] as? Int == 400_000 && plan.claim(first)["assessedFen"] as? Int == 600_000)
        let over = try cli.run(["claim", "approve", "\(first)", "--amount", "6000", "--date", "2026-04-05", "--key", "approver-1.key"])
        #expect(over.status == 2 && over.stderr.contains("more than the 4,000.00"), "\(over.stderr)")
        try cli.ok(["claim", "approve", "\(first)", "--date", "2026-04-05", "--key", "approver-1.key"])
        #expect(try plan.claim(first)["approvedFen"] as? Int == 400_000)
        // The year's 6,000.00 is spent: a third claim finds the cap used up.
        #expect(try plan.file(member, settlement: "CAP-3", service: "2026-04-06", filed: "2026-04-06", extra: plan.medical(ownShare: "1000")).1
            .contains("used up"))
        #expect(try balance(cli, "50201") == (400_000 + 200_000 + 400_000, 400_000))
        try expectClean(plan)

        // An insider who rewrites the revocation to free the whole assessment is found.

        let revocation = try lastSeq(plan, kind: "claim.approval-revoked")
        try LedgerSurgeon(plan.books, extraKeys: ["approver-1.key", "approver-2.key", "both.key"])
            .rewrite(revocation) { $0.data["approvableFen"] = .integer(600_000) }
        let audit = try plan.books.audit()
        #expect(audit.errors("claims.assessment").contains { $0.seqs == [first, revocation] && $0.explanation.contains("allow 4,000.00") },
                "\(audit.findings)")
    }

    @Test("the plan amended before a revocation: what the claim may be approved for follows the caps of the plan then in force")
    func capsAfterAmendment() throws {
        let plan = try MutualAidBooks(members: 2)
        let cli = plan.cli
        let member = plan.members[0]
        let (first, _) = try plan.file(member, settlement: "AM-1", extra: ["--total-cost", "100000", "--covered", "50000", "--own-share", "40000"])
        try cli.ok(["claim", "review", "\(first)", "--key", "approver-1.key"])
        try cli.ok(["claim", "approve", "\(first)", "--amount", "4000", "--reason", "部分票据不符", "--date", "2026-04-01", "--key", "approver-1.key"])
        let (second, _) = try plan.file(member, settlement: "AM-2", service: "2026-04-02", filed: "2026-04-02", extra: plan.medical(ownShare: "20000"))
        try cli.ok(["claim", "review", "\(second)", "--key", "approver-1.key"])
        try cli.ok(["claim", "approve", "\(second)", "--date", "2026-04-03", "--key", "approver-1.key"])
        // The medical cap raised to 8,000: the 6,000 used leaves 2,000, so the whole assessment again.
        let text = try String(contentsOf: MutualAidBooks.plansDirectory.appendingPathComponent("own-share-15pct-2026.toml"), encoding: .utf8)
            .replacingOccurrences(of: "annualCap = \"6,000.00\"", with: "annualCap = \"8,000.00\"")
        try plan.books.write("amended.toml", text)
        try cli.ok(["plan", "publish", "amended.toml", "--amend", "--effective", "2026-01-01", "--reason", "年度封顶提高", "--key", "admin.key"])
        let revoked = try cli.ok(["claim", "revoke-approval", "\(first)", "--reason", "复核", "--date", "2026-04-04", "--key", "approver-2.key"])
        #expect(!revoked.contains("at most"), "\(revoked)")
        #expect(try plan.claim(first)["approvableFen"] as? Int == 600_000)
        #expect(try cli.ok(["claim", "approve", "\(first)", "--date", "2026-04-05", "--key", "approver-1.key"]).contains("second approver"))
        try cli.ok(["claim", "approve", "\(first)", "--date", "2026-04-05", "--key", "approver-2.key"])
        #expect(try plan.claim(first)["approvedFen"] as? Int == 600_000)
        try expectClean(plan)
    }

    @Test("a ledger from before the claims' correction columns: the migration fills them from the log, and the audit's replay agrees")
    func correctionColumnsMigrated() throws {
        let plan = try MutualAidBooks(members: 2)
        let cli = plan.cli
        let paid = try paidAndReturned(plan, settlement: "MG-1")
        let (large, _) = try plan.file(plan.members[1], benefit: "accident-death", settlement: "MG-2")
        try cli.ok(["claim", "review", "\(large)", "--key", "approver-1.key"])
        try cli.ok(["claim", "approve", "\(large)", "--date", "2026-04-01", "--key", "approver-1.key"])
        try cli.ok(["claim", "revoke-approval", "\(large)", "--reason", "待核", "--date", "2026-04-15", "--key", "approver-2.key"])
        // The ledger as a Huzhu before migration v5 left it.
        try DatabaseQueue(path: plan.books.database).write { db in
            try db.execute(sql: """
                ALTER TABLE claims DROP COLUMN approvable_fen;
                ALTER TABLE claims DROP COLUMN corrected_seq;
                ALTER TABLE claims DROP COLUMN corrected_on;
                CREATE INDEX claim_reversals_by_claim ON claim_reversals(claim_id);
                DELETE FROM grdb_migrations WHERE identifier = 'mutual-aid-v5-claim-corrections';
                """)
        }
        let early = try cli.run(["claim", "approve", "\(large)", "--date", "2026-04-14", "--key", "approver-1.key"])
        #expect(early.status == 2 && early.stderr.contains("last corrected on 2026-04-15"), "\(early.stderr)")
        try cli.ok(["claim", "approve-batch", "P-2", "\(paid)", "--date", "2026-04-19", "--key", "approver-1.key"])  // paid again after its return
        let earlyPay = try cli.run(["claim", "pay", "\(paid)", "--batch", "P-2", "--out", "p2.csv", "--date", "2026-04-19", "--key", "clerk.key"])
        #expect(earlyPay.status == 2 && earlyPay.stderr.contains("last corrected on 2026-04-20"), "\(earlyPay.stderr)")
        try expectClean(plan)
    }

    @Test("corrections come in date order: a revocation is not dated before the claim's returned payment")
    func correctionsInDateOrder() throws {
        let plan = try MutualAidBooks(members: 2)
        let cli = plan.cli
        let claim = try paidAndReturned(plan, settlement: "DO-1")
        let approval = try seq(plan, kind: "claim.approved", claim: claim)
        let early = try cli.run(["claim", "revoke-approval", "\(claim)", "--reason", "x", "--date", "2026-04-15", "--key", "approver-2.key"])
        #expect(early.status == 2 && early.stderr.contains("last corrected on 2026-04-20"), "\(early.stderr)")
        let plain = try cli.run(["reverse", "\(approval)", "--reason", "x", "--date", "2026-04-15", "--key", "approver-2.key"])
        #expect(plain.status == 2 && plain.stderr.contains("last corrected on 2026-04-20"), "\(plain.stderr)")
        #expect(try plan.claim(claim)["state"] as? String == "approved")
        try cli.ok(["claim", "revoke-approval", "\(claim)", "--reason", "金额需复核", "--date", "2026-04-20", "--key", "approver-2.key"])
        #expect(try plan.claim(claim)["state"] as? String == "reviewed")
        try expectClean(plan)
    }

    @Test("a correction run again is answered with the one recorded; naming the step keeps a repeat from reversing a later one")
    func correctionsRepeated() throws {
        let plan = try MutualAidBooks(members: 2)
        let cli = plan.cli
        let (claim, _) = try plan.file(plan.members[0], settlement: "RP-1", extra: plan.medical(ownShare: "1000"))
        try plan.approveFully(claim)
        let approval = try #require(try plan.claim(claim)["approvalSeqs"] as? [Int]).first!
        #expect(approval == Int(try seq(plan, kind: "claim.approved", claim: claim)))
        let revoke = ["claim", "revoke-approval", "\(claim)", "--reason", "复核", "--date", "2026-04-02", "--key", "approver-2.key"]
        try cli.ok(revoke)
        let revocation = try lastSeq(plan, kind: "claim.approval-revoked")
        #expect(try cli.ok(revoke).contains("already revoked at seq \(revocation)"))
        let other = try cli.run(["claim", "revoke-approval", "\(claim)", "--reason", "另一理由", "--date", "2026-04-02", "--key", "approver-2.key"])
        #expect(other.status == 2 && other.stderr.contains("no approval to revoke"), "\(other.stderr)")
        #expect(try cli.ok(["reverse", "\(approval)", "--reason", "复核", "--date", "2026-04-02", "--key", "approver-2.key"])
            .contains("was already reversed by seq \(revocation)"))
        let otherReason = try cli.run(["reverse", "\(approval)", "--reason", "另一理由", "--date", "2026-04-02", "--key", "approver-2.key"])
        #expect(otherReason.status == 2 && otherReason.stderr.contains("already reversed by event \(revocation)"), "\(otherReason.stderr)")

        // Approved again: a repeat naming the first approval leaves the new one standing.
        try cli.ok(["claim", "approve", "\(claim)", "--date", "2026-04-03", "--key", "approver-1.key"])
        #expect(try cli.ok(revoke + ["--approval", "\(approval)"]).contains("already revoked at seq \(revocation)"))
        #expect(try plan.claim(claim)["state"] as? String == "approved")
        let notAnApproval = try cli.run(["claim", "revoke-approval", "\(claim)", "--approval", "\(claim)", "--reason", "x", "--date", "2026-04-04",
                                         "--key", "approver-2.key"])
        #expect(notAnApproval.status == 2 && notAnApproval.stderr.contains("is not a claim.approved event of claim \(claim)"), "\(notAnApproval.stderr)")

        // Likewise a returned payment, by the seq of the payment.
        try cli.ok(["claim", "pay", "\(claim)", "--batch", "P-1", "--out", "p1.csv", "--date", "2026-04-10", "--key", "clerk.key"])
        let payment = try #require(try plan.claim(claim)["paymentSeq"] as? Int)
        let returnIt = ["claim", "return-payment", "\(claim)", "--payment", "\(payment)", "--reason", "账户已销户", "--date", "2026-04-12", "--key", "clerk.key"]
        try cli.ok(returnIt)
        let returned = try lastSeq(plan, kind: "claim.payment-returned")
        try cli.ok(["claim", "approve-batch", "P-2", "\(claim)", "--date", "2026-04-13", "--key", "approver-1.key"])
        try cli.ok(["claim", "pay", "\(claim)", "--batch", "P-2", "--out", "p2.csv", "--date", "2026-04-13", "--key", "clerk.key"])
        #expect(try cli.ok(returnIt).contains("already recorded at seq \(returned)"))
        #expect(try plan.claim(claim)["state"] as? String == "paid" && plan.claim(claim)["paymentSeq"] as? Int != payment)
        #expect(try balance(cli, "22501") == (45_000, 45_000))
        try expectClean(plan)
    }

    @Test("steps that are not reversed, and the refusals name the way")
    func refusals() throws {
        let plan = try MutualAidBooks(members: 2)
        let cli = plan.cli
        let (claim, _) = try plan.file(plan.members[0], settlement: "NR-1", extra: plan.medical(ownShare: "1000"))
        let filed = try cli.run(["reverse", "\(claim)", "--reason", "x", "--key", "clerk.key"])
        #expect(filed.status == 2 && filed.stderr.contains("an approver rejects it"), "\(filed.stderr)")
        let none = try cli.run(["claim", "revoke-approval", "\(claim)", "--reason", "x", "--key", "approver-1.key"])
        #expect(none.status == 2 && none.stderr.contains("has no approval to revoke"), "\(none.stderr)")
        let enrolled = try lastSeq(plan, kind: "member.enrolled")
        let member = try cli.run(["reverse", "\(enrolled)", "--reason", "x", "--key", "clerk.key"])
        #expect(member.status == 2 && member.stderr.contains("moves no money"), "\(member.stderr)")
        let blank = try cli.run(["reverse", "\(try lastSeq(plan, kind: "contribution.received"))", "--reason", " ", "--key", "clerk.key"])
        #expect(blank.status == 2 && blank.stderr.contains("say why"), "\(blank.stderr)")
        try expectClean(plan)
    }
}
