import Foundation
import Ledger
import Testing

/// `huzhu claim review`, `approve` and `reject` on many claims at once, through the real
/// binary: ids, a decisions file and filters, a dry run, separation of duties per claim,
/// the large-amount rule, a failed batch that writes nothing, and a repeated batch.
@Suite("huzhu claim review / approve / reject: batch decisions")
struct ClaimBatchDecisionTests {
    /// Five claims: three small in March (one filed by the clerk-and-approver key), one
    /// small in April, and one in March over the 5,000-yuan large-amount threshold.
    struct Claims {
        let plan: MutualAidBooks
        let march1, march2, april, large, filedByBoth: Int64
    }

    func claims() throws -> Claims {
        let plan = try MutualAidBooks(members: 5)
        let small = plan.medical(ownShare: "1000")  // 15%: 150.00
        let march1 = try plan.file(plan.members[0], settlement: "YB-1", service: "2026-03-02", filed: "2026-03-25", extra: small).0
        let march2 = try plan.file(plan.members[1], settlement: "YB-2", service: "2026-03-09", filed: "2026-03-25", extra: small).0
        let april = try plan.file(plan.members[2], settlement: "YB-3", service: "2026-04-03", filed: "2026-04-05", extra: small).0
        let large = try plan.file(plan.members[3], settlement: "YB-4", service: "2026-03-12", filed: "2026-03-25", extra: ["--total-cost", "80000", "--covered", "30000", "--own-share", "40000"]).0  // 6,000.00
        let filedByBoth = try plan.file(plan.members[4], settlement: "YB-5", service: "2026-03-20", filed: "2026-03-25", extra: small, key: "both.key").0
        return Claims(plan: plan, march1: march1, march2: march2, april: april, large: large, filedByBoth: filedByBoth)
    }

    func state(_ plan: MutualAidBooks, _ claim: Int64) throws -> String { try plan.claim(claim)["state"] as! String }

    func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    @Test("a filter, a dry run, per-claim duties, the large-amount rule, a decisions file and a repeat, in a year that audits clean")
    func filtersAndFile() throws {
        let c = try claims()
        let plan = c.plan, cli = c.plan.cli
        let before = try plan.books.lastSeq()

        let dry = try cli.ok(["claim", "review", "--all", "--dry-run", "--key", "approver-1.key"])
        #expect(dry.contains("would record 5 reviews, 6,600.00 assessed") && dry.contains("nothing was recorded (dry run)"), "\(dry)")
        #expect(try plan.books.lastSeq() == before && state(plan, c.march1) == "filed")

        let reviewed = try cli.ok(["claim", "review", "--all", "--year", "2026", "--note", "材料齐全", "--key", "approver-1.key"])
        #expect(reviewed.contains("recorded 5 reviews"), "\(reviewed)")
        #expect(try plan.books.lastSeq() == before + 5)
        let again = try cli.ok(["claim", "review", "\(c.march1)", "\(c.march2)", "--key", "approver-1.key"])
        #expect(again.contains("recorded 0 reviews") && again.contains("2 already recorded by this key"), "\(again)")
        #expect(try plan.books.lastSeq() == before + 5, "a repeated batch records nothing")

        // March by filter, as the key that filed one of them: the small ones approved, the
        // large one and its own claim left out with why; April not taken.
        let approved = try json(try cli.ok(["claim", "approve", "--all", "--service-month", "2026-03", "--date", "2026-04-06",
                                            "--format", "json", "--key", "both.key"]))
        let decided = (approved["decided"] as! [[String: Any]]).map { $0["claim"] as! Int }
        #expect(decided == [Int(c.march1), Int(c.march2)])
        #expect(approved["totalFen"] as? Int == 30_000)
        let leftOut = Dictionary(uniqueKeysWithValues: (approved["leftOut"] as! [[String: Any]]).map { ($0["claim"] as! Int, $0["reason"] as! String) })
        #expect(leftOut[Int(c.large)]?.contains("large-amount threshold") == true, "\(leftOut)")
        #expect(leftOut[Int(c.filedByBoth)]?.contains("filed claim \(c.filedByBoth) and may not approve it") == true, "\(leftOut)")
        #expect(try leftOut.count == 2 && state(plan, c.april) == "reviewed")

        // The large claim needs each approver to name it; a file lowers the April claim's amount.
        let first = try cli.ok(["claim", "approve", "\(c.large)", "--date", "2026-04-06", "--key", "approver-1.key"])
        #expect(first.contains("first approval recorded"), "\(first)")
        let byFilter = try cli.ok(["claim", "approve", "--assessed-min", "5000", "--date", "2026-04-07", "--key", "approver-2.key"])
        #expect(byFilter.contains("claim \(c.large): claim \(c.large) is for 6,000.00, at or over"), "a filter never gives the second approval: \(byFilter)")
        try plan.books.write("decisions.csv", "claim,amount,reason\n\(c.large),,\n\(c.april),100.00,发票金额有误\n")
        let filed = try cli.ok(["claim", "approve", "--file", "decisions.csv", "--date", "2026-04-07", "--key", "approver-2.key"])
        #expect(filed.contains("recorded 2 approvals, 6,100.00 approved"), "\(filed)")
        #expect(try state(plan, c.large) == "approved" && (try plan.claim(c.april)["approvedFen"] as? Int) == 10_000)

        // A rejection by filter needs its reason; with it, the claim left standing is rejected.
        let noReason = try cli.run(["claim", "reject", "--all", "--date", "2026-04-08", "--key", "approver-2.key"])
        #expect(noReason.status != 0 && noReason.stderr.contains("say why"), "\(noReason.stderr)")
        let rejected = try cli.ok(["claim", "reject", "--all", "--reason", "材料不全", "--date", "2026-04-08", "--key", "approver-2.key"])
        #expect(rejected.contains("recorded 1 rejection"), "\(rejected)")
        #expect(try state(plan, c.filedByBoth) == "rejected")

        let audit = try plan.books.audit()
        #expect(audit.errors.isEmpty, "\(audit.errors)")
    }

    @Test("a batch one of whose named claims the rules refuse writes nothing, naming the file's row and why")
    func failedBatchWritesNothing() throws {
        let c = try claims()
        let plan = c.plan, cli = c.plan.cli
        try cli.ok(["claim", "review", "\(c.march1)", "\(c.march2)", "--key", "approver-1.key"])
        let before = try plan.books.lastSeq()
        // Row 3 names a claim still filed, not reviewed.
        try plan.books.write("decisions.csv", "claim,amount,reason\n\(c.march1),,\n\(c.april),,\n\(c.march2),,\n")
        let refused = try cli.run(["claim", "approve", "--file", "decisions.csv", "--date", "2026-04-06", "--key", "approver-1.key"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("decisions.csv") && refused.stderr.contains("row 3")
                && refused.stderr.contains("claim \(c.april) is filed; only a reviewed claim can be approved"), "\(refused.stderr)")
        #expect(try plan.books.lastSeq() == before && state(plan, c.march1) == "reviewed", "the batch's first approval is not kept")

        for (text, reason) in [("claim\nabc\n", "a claim id is the seq"), ("claim\n\(c.march1)\n\(c.march1)\n", "row 2 already names this claim"),
                               ("claim,amount\n\(c.march1),12.345\n", "amount"), ("id\n\(c.march1)\n", "needs a claim column"),
                               ("claim\n999999\n", "there is no claim 999999")] {
            try plan.books.write("bad.csv", text)
            let bad = try cli.run(["claim", "approve", "--file", "bad.csv", "--date", "2026-04-06", "--key", "approver-1.key"])
            #expect(bad.status != 0 && bad.stderr.contains(reason), "\(text): \(bad.stderr)")
        }
        let amountOnReview = try cli.run(["claim", "review", "--file", "bad.csv", "--key", "approver-1.key"])
        #expect(amountOnReview.status != 0)
        try plan.books.write("review.csv", "claim,amount\n\(c.april),10\n")
        let reviewAmount = try cli.run(["claim", "review", "--file", "review.csv", "--key", "approver-1.key"])
        #expect(reviewAmount.stderr.contains("only an approval takes an amount"), "\(reviewAmount.stderr)")
        let nothing = try cli.run(["claim", "approve", "--key", "approver-1.key"])
        #expect(nothing.status != 0 && nothing.stderr.contains("name claims by id"), "\(nothing.stderr)")
        #expect(try plan.books.lastSeq() == before)
    }

    @Test("filters by benefit, unit, member, filing month, assessed amount, the seqs an import printed, state and limit")
    func filterConditions() throws {
        let c = try claims()
        let cli = c.plan.cli
        func taken(_ arguments: [String]) throws -> [Int] {
            let out = try json(try cli.ok(["claim", "review", "--dry-run", "--format", "json", "--key", "approver-1.key"] + arguments))
            return ((out["decided"] as! [[String: Any]]).map { $0["claim"] as! Int }
                + (out["leftOut"] as! [[String: Any]]).map { $0["claim"] as! Int }).sorted()
        }
        let all = [c.march1, c.march2, c.april, c.large, c.filedByBoth].map { Int($0) }.sorted()
        #expect(try taken(["--all"]) == all)
        #expect(try taken(["--benefit", "medical", "--unit", "U001"]) == all)
        #expect(try taken(["--benefit", "house-fire"]).isEmpty)
        #expect(try taken(["--assessed-min", "5000"]) == [Int(c.large)])
        #expect(try taken(["--assessed-max", "150"]) == all.filter { $0 != Int(c.large) })
        #expect(try taken(["--filed-seqs", "\(c.march2)-\(c.april)"]) == [Int(c.march2), Int(c.april)])
        #expect(try taken(["--member", c.plan.members[2]]) == [Int(c.april)])
        #expect(try taken(["--filed-month", "2026-04"]) == [Int(c.april)])
        #expect(try taken(["--all", "--limit", "2"]) == [Int(c.march1), Int(c.march2)])
        #expect(try taken(["--year", "2027"]).isEmpty)
        let wrongState = try cli.run(["claim", "review", "--state", "paid", "--key", "approver-1.key"])
        #expect(wrongState.status != 0 && wrongState.stderr.contains("a claim to be reviewed is filed"), "\(wrongState.stderr)")
        let badSeqs = try cli.run(["claim", "review", "--filed-seqs", "9-3", "--key", "approver-1.key"])
        #expect(badSeqs.status != 0 && badSeqs.stderr.contains("expected FROM-TO"), "\(badSeqs.stderr)")
    }

    @Test("the bank's return file: its lines recorded as returned payments in one transaction, a wrong amount refusing the file, a second reading recording nothing")
    func bankReturnFile() throws {
        let c = try claims()
        let plan = c.plan, cli = c.plan.cli
        try cli.ok(["claim", "review", "\(c.march1)", "\(c.march2)", "\(c.april)", "--key", "approver-1.key"])
        try cli.ok(["claim", "approve", "\(c.march1)", "\(c.march2)", "\(c.april)", "--date", "2026-04-06", "--key", "approver-1.key"])
        try cli.ok(["claim", "pay", "--all", "--batch", "P-2026-04", "--out", "p.csv", "--date", "2026-04-10", "--key", "clerk.key"])
        let paid = try String(contentsOfFile: plan.books.path("p.csv"), encoding: .utf8).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(paid.count == 4 && paid[0] == "batch,claim,member,name,bank_card,amount", "\(paid)")
        let line = { (claim: Int64) in paid.first { $0.split(separator: ",")[1] == "\(claim)" }! }

        // The payment file's lines as the bank sends them back, with its reason.
        let before = try plan.books.lastSeq()
        try plan.books.write("wrong.csv", "batch,claim,member,name,bank_card,amount,reason\n\(line(c.march1)),账户已销户\n"
                             + line(c.march2).replacingOccurrences(of: ",150.00", with: ",15.00") + ",户名不符\n")
        let wrong = try cli.run(["claim", "return-payment", "--file", "wrong.csv", "--date", "2026-04-15", "--key", "clerk.key"])
        #expect(wrong.status != 0 && wrong.stderr.contains("wrong.csv") && wrong.stderr.contains("row 3")
                && wrong.stderr.contains("paid 150.00, not 15.00"), "\(wrong.stderr)")
        #expect(try plan.books.lastSeq() == before && state(plan, c.march1) == "paid")

        try plan.books.write("returns.csv", "batch,claim,member,name,bank_card,amount,reason\n\(line(c.march1)),账户已销户\n\(line(c.march2)),\n")
        let returned = try cli.ok(["claim", "return-payment", "--file", "returns.csv", "--reason", "户名不符", "--date", "2026-04-15",
                                   "--key", "clerk.key"])
        #expect(returned.contains("recorded 2 returned payments; 0 already recorded"), "\(returned)")
        #expect(try state(plan, c.march1) == "approved" && state(plan, c.march2) == "approved" && state(plan, c.april) == "paid")
        let again = try cli.ok(["claim", "return-payment", "--file", "returns.csv", "--reason", "户名不符", "--date", "2026-04-15",
                                "--key", "clerk.key"])
        #expect(again.contains("recorded 0 returned payments; 2 already recorded"), "\(again)")
        try plan.books.write("batch.csv", "claim,batch,reason\n\(c.april),P-OTHER,退票\n")
        let otherBatch = try cli.run(["claim", "return-payment", "--file", "batch.csv", "--date", "2026-04-15", "--key", "clerk.key"])
        #expect(otherBatch.status != 0 && otherBatch.stderr.contains("is of batch P-2026-04, not P-OTHER"), "\(otherBatch.stderr)")
        let audit = try plan.books.audit()
        #expect(audit.errors.isEmpty, "\(audit.errors)")
    }

    @Test("a plan that keeps review and approval apart: the reviewer's approval is refused by id, left out by a filter, and found by the audit when re-signed")
    func reviewerMayNotApprove() throws {
        let plan = try MutualAidBooks(editingPlan: {
            $0.replacingOccurrences(of: "largeAmountThreshold = 5000", with: "largeAmountThreshold = 5000\nreviewerMayApprove = false")
        }, members: 2)
        let cli = plan.cli
        #expect(try cli.ok(["plan", "show", "--year", "2026"]).contains("the key that reviews a claim may not approve it"))
        let small = plan.medical(ownShare: "1000")
        let first = try plan.file(plan.members[0], settlement: "S-1", service: "2026-03-02", filed: "2026-03-25", extra: small).0
        let second = try plan.file(plan.members[1], settlement: "S-2", service: "2026-03-02", filed: "2026-03-25", extra: small).0
        try cli.ok(["claim", "review", "--all", "--key", "approver-1.key"])
        let byID = try cli.run(["claim", "approve", "\(first)", "--date", "2026-04-01", "--key", "approver-1.key"])
        #expect(byID.status != 0 && byID.stderr.contains("reviewed claim \(first), and the 2026 plan keeps review and approval apart"), "\(byID.stderr)")
        let byFilter = try cli.ok(["claim", "approve", "--all", "--date", "2026-04-01", "--key", "approver-1.key"])
        #expect(byFilter.contains("recorded 0 approvals") && byFilter.contains("left out 2"), "\(byFilter)")
        let other = try cli.ok(["claim", "approve", "--all", "--date", "2026-04-01", "--key", "approver-2.key"])
        #expect(other.contains("recorded 2 approvals"), "\(other)")
        #expect(try plan.books.audit().errors.isEmpty)

        // The approval re-signed by the reviewer's key: the audit holds it to the plan.
        let approval = try plan.books.lastSeq()
        let reviewer = try KeyID(try plan.books.keyID("approver-1.key"))
        try LedgerSurgeon(plan.books, extraKeys: ["approver-1.key"]).rewrite(approval) { $0.actor = reviewer }
        let duties = try plan.books.audit().errors("claims.duties").map(\.explanation)
        #expect(duties.contains { $0.contains("claim \(second) was approved by the key that reviewed it") }, "\(duties)")
    }

    @Test("claim list filters by state, unit, member, benefit, service and filing month, assessed amount and filed seqs, with a limit; its JSON is one array, also when empty")
    func listFilters() throws {
        let c = try claims()
        let plan = c.plan, cli = c.plan.cli
        try cli.ok(["claim", "review", "\(c.march1)", "--key", "approver-1.key"])
        func listed(_ arguments: [String]) throws -> [Int] {
            let text = try cli.ok(["claim", "list", "--format", "json"] + arguments)
            return (try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [[String: Any]]).map { $0["claim"] as! Int }
        }
        let all = [c.march1, c.march2, c.april, c.large, c.filedByBoth].map { Int($0) }
        #expect(try listed([]) == all)
        #expect(try listed(["--year", "2026", "--state", "reviewed"]) == [Int(c.march1)])
        #expect(try listed(["--unit", "U001", "--benefit", "medical"]) == all)
        #expect(try listed(["--member", plan.members[2]]) == [Int(c.april)])
        #expect(try listed(["--service-month", "2026-04"]) == [Int(c.april)])
        #expect(try listed(["--filed-month", "2026-03"]) == all.filter { $0 != Int(c.april) })
        #expect(try listed(["--limit", "2"]) == [Int(c.march1), Int(c.march2)])
        #expect(try listed(["--assessed-min", "5000"]) == [Int(c.large)])
        #expect(try listed(["--filed-seqs", "\(c.march2)-\(c.april)"]) == [Int(c.march2), Int(c.april)])
        #expect(try cli.ok(["claim", "list", "--year", "2027", "--format", "json"]) == "[]\n")
        let text = try cli.ok(["claim", "list", "--state", "reviewed"])
        #expect(text.split(separator: "\n").count == 3 && text.contains("\(c.march1)"), "\(text)")
        // CSV, row by row, for a spreadsheet: the header, then one row per claim, amounts plain.
        let csv = try cli.ok(["claim", "list", "--format", "csv", "--filed-month", "2026-03"])
        let rows = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.first == "claim,unit,member,year,benefit,settlement_key,service_date,filed_on,state,assessed,approved,paid,reason", "\(csv)")
        #expect(rows.count == 5 && rows.contains("\(c.large),U001,\(plan.members[3]),2026,medical,S:YB-4,2026-03-12,2026-03-25,filed,6000.00,,,"),
                "\(csv)")
        let bad = try cli.run(["claim", "list", "--state", "done"])
        #expect(bad.status != 0 && bad.stderr.contains("a state is one of"), "\(bad.stderr)")
    }
}
