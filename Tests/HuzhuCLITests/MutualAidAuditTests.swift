import Foundation
import GRDB
import Ledger
import Testing

/// Scenario tests of the mutual-aid audit: a clean plan year gives no findings; each
/// fault, made by an insider who rewrites and re-signs the log, gives exactly its finding.
@Suite("huzhu audit: the mutual-aid checks", .serialized)
struct MutualAidAuditTests {
    /// A plan year with a paid claim, a claim decided by a two-approver pair, a rejected
    /// one and a pending one; returns the books and the claims' ids.
    func year() throws -> (MutualAidBooks, paid: Int64, large: Int64, pending: Int64) {
        let plan = try MutualAidBooks(members: 3)
        let (paid, _) = try plan.file(plan.members[0], settlement: "P1", extra: plan.medical(ownShare: "1000"), key: "both.key")
        try plan.approveFully(paid)
        let (large, _) = try plan.file(plan.members[1], benefit: "accident-death", settlement: "L1")
        try plan.approveFully(large)
        try plan.cli.ok(["claim", "approve-batch", "P", "--all", "--key", "approver-2.key", "--date", "2026-04-09"])  // over the threshold
        try plan.cli.ok(["claim", "pay", "--all", "--batch", "P", "--out", "p.csv", "--key", "clerk.key", "--date", "2026-04-10"])
        try plan.file(plan.members[2], settlement: "R1", extra: plan.medical(ownShare: "50"))
        let (pending, _) = try plan.file(plan.members[2], settlement: "Q1", extra: plan.medical(ownShare: "2000"))
        try plan.cli.ok(["checkpoint", "--key", "admin.key"])
        return (plan, paid, large, pending)
    }

    func surgeon(_ plan: MutualAidBooks) throws -> LedgerSurgeon {
        try LedgerSurgeon(plan.books, extraKeys: ["approver-1.key", "approver-2.key", "both.key"])
    }

    func seq(_ plan: MutualAidBooks, kind: String, claim: Int64, nth: Int = 0) throws -> Int64 {
        try DatabaseQueue(path: plan.books.database).read { db in
            try Int64.fetchAll(db, sql: "SELECT seq FROM events WHERE kind = ? AND json_extract(CAST(body AS TEXT), '$.data.claim') = ? ORDER BY seq",
                               arguments: [kind, claim])[nth]
        }
    }

    @Test("a clean plan year: every claim recomputes, no findings")
    func clean() throws {
        let (plan, _, _, _) = try year()
        let audit = try plan.books.audit()
        #expect(audit.status == 0, "\(audit.findings)")
        #expect(audit.findings.isEmpty, "\(audit.findings)")
    }

    @Test("claims.assessment: an assessment the published rules do not give")
    func assessment() throws {
        let (plan, _, _, pending) = try year()
        try surgeon(plan).rewrite(pending) { fields in
            guard case var .object(assessment)? = fields.data["assessment"] else { return }
            assessment["payoutFen"] = .integer(99_999)
            fields.data["assessment"] = .object(assessment)
        }
        let audit = try plan.books.audit()
        #expect(audit.status == 1)
        let found = audit.errors("claims.assessment")
        #expect(found.count == 1 && found[0].seqs == [pending], "\(audit.findings)")
        #expect(found[0].explanation.contains("999.99") && found[0].explanation.contains("300.00"))
    }

    @Test("claims.duties: a claim approved by the key that filed it")
    func filerApproves() throws {
        let (plan, paid, _, _) = try year()
        let approval = try seq(plan, kind: "claim.approved", claim: paid)
        let both = try plan.books.keyID("both.key")
        try surgeon(plan).rewrite(approval) { $0.actor = try! KeyID(both) }
        let found = try plan.books.audit().errors("claims.duties")
        #expect(found.map(\.seqs) == [[paid, approval]], "\(found)")
        #expect(found[0].explanation.contains("approved by the key that filed it"))
    }

    @Test("claims.duties: a large claim whose two approvals come from one key")
    func oneApprover() throws {
        let (plan, _, large, _) = try year()
        let second = try seq(plan, kind: "claim.approved", claim: large, nth: 1)
        let first = try plan.books.keyID("approver-1.key")
        try surgeon(plan).rewrite(second) { $0.actor = try! KeyID(first) }
        let found = try plan.books.audit().errors("claims.duties")
        #expect(found.allSatisfy { $0.seqs == [large, second] }, "\(found)")
        #expect(found.contains { $0.explanation.contains("approved twice by one key") })
        #expect(found.contains { $0.explanation.contains("has one approver") })
    }

    @Test("claims.payments: a payment that differs from the approved amount")
    func payment() throws {
        let (plan, paid, _, _) = try year()
        let payment = try seq(plan, kind: "claim.paid", claim: paid)
        try surgeon(plan).rewrite(payment) { fields in
            fields.data["amountFen"] = .integer(20_000)
            fields.data["postings"] = [["account": "22501", "side": "debit", "amountFen": 20_000],
                                       ["account": "10201", "side": "credit", "amountFen": 20_000]]
        }
        let found = try plan.books.audit().errors("claims.payments")
        #expect(found.map(\.seqs) == [[paid, payment]], "\(found)")
        #expect(found[0].explanation.contains("paid 200.00 but approved for 150.00"))
    }

    @Test("contributions: a bill that is not headcount × rate")
    func bill() throws {
        let (plan, _, _, _) = try year()
        let bill = try DatabaseQueue(path: plan.books.database).read { try Int64.fetchOne($0, sql: "SELECT seq FROM events WHERE kind = 'contribution.billed'")! }
        try surgeon(plan).rewrite(bill) { fields in
            fields.data["unitFen"] = .integer(6_000)
            fields.data["postings"] = [["account": "11401", "side": "debit", "amountFen": 6_000], ["account": "40801", "side": "credit", "amountFen": 6_000],
                                       ["account": "11402", "side": "debit", "amountFen": 9_000], ["account": "40301", "side": "credit", "amountFen": 9_000]]
        }
        let found = try plan.books.audit().errors("contributions")
        #expect(found.contains { $0.seqs == [bill] && $0.explanation.contains("not headcount × rate") }, "\(found)")
    }

    /// The plan year of `year()` with corrections: the paid claim's payment returned and paid
    /// again, the pending claim approved then its approval revoked, the unit's receipt
    /// reversed and recorded again.
    func correctedYear() throws -> (MutualAidBooks, paid: Int64, revoked: Int64) {
        let (plan, paid, _, pending) = try year()
        let cli = plan.cli
        try cli.ok(["claim", "return-payment", "\(paid)", "--reason", "账户已销户", "--date", "2026-04-12", "--key", "clerk.key"])
        try cli.ok(["claim", "approve-batch", "P-2", "\(paid)", "--date", "2026-04-15", "--key", "approver-2.key"])  // paid again after its return
        try cli.ok(["claim", "pay", "\(paid)", "--batch", "P-2", "--out", "p2.csv", "--date", "2026-04-15", "--key", "clerk.key"])
        try cli.ok(["claim", "review", "\(pending)", "--key", "approver-1.key"])
        try cli.ok(["claim", "approve", "\(pending)", "--date", "2026-04-20", "--key", "approver-1.key"])
        try cli.ok(["claim", "revoke-approval", "\(pending)", "--reason", "材料存疑", "--date", "2026-04-21", "--key", "approver-2.key"])
        let receipt = try plan.books.scalar("SELECT seq FROM events WHERE kind = 'contribution.received'")
        try cli.ok(["reverse", "\(receipt)", "--reason", "录错", "--date", "2026-04-22", "--key", "clerk.key"])
        try cli.ok(["contribution", "receive", "--unit", "U001", "--year", "2026", "--amount", "90", "--bank-ref", "B-U001-2026",
                    "--date", "2026-04-22", "--key", "clerk.key"])
        return (plan, paid, pending)
    }

    @Test("corrections: a year with a returned payment, a revoked approval and a reversed receipt audits clean")
    func correctionsClean() throws {
        let (plan, _, _) = try correctedYear()
        let audit = try plan.books.audit()
        #expect(audit.status == 0 && audit.findings.isEmpty, "\(audit.findings)")
        // The member's statement carries the corrections of their claim and their unit, proven.
        try plan.cli.ok(["checkpoint", "--key", "admin.key"])
        let json = try plan.cli.ok(["member", "statement", plan.members[0], "--year", "2026"])
        #expect(json.contains("\"kind\":\"claim.payment-returned\"") && json.contains("returned by the bank"), "\(json)")
        #expect(json.contains("\"kind\":\"contribution.reversed\""), "\(json)")
        try plan.books.write("statement.json", json)
        let admin = try SigningKey.load(from: plan.books.path("admin.key")).publicKey.hex
        #expect(try plan.cli.ok(["proof", "check", "statement.json", "--public-key", admin]).contains("ok:"))
    }

    @Test("the fund report's claim tallies: a ledger from before them (migration v9) gets the rows the projection writes, and the same report")
    func claimDayTalliesMigrated() throws {
        let (plan, _, _) = try correctedYear()
        let (rejected, _) = try plan.file(plan.members[1], settlement: "J1", extra: plan.medical(ownShare: "1500"))
        try plan.cli.ok(["claim", "review", "\(rejected)", "--key", "approver-1.key"])
        try plan.cli.ok(["claim", "reject", "\(rejected)", "--reason", "非医保范围", "--date", "2026-04-25", "--key", "approver-1.key"])
        func rows() throws -> [String] {
            try DatabaseQueue(path: plan.books.database).read { db in
                try String.fetchAll(db, sql: "SELECT measure || ' ' || date || ' ' || plan_year || ' ' || benefit || ' ' || count || ' ' || fen || ' ' || assessed_fen FROM claim_day_tallies ORDER BY 1")
            }
        }
        let projected = try rows()
        #expect(projected.contains("approved 2026-04-21 2026 medical -1 -30000 -30000") && projected.contains("paid 2026-04-12 2026 medical -1 -15000 0")
                && projected.contains("pending 2026-04-25 2026 medical -1 -22500 0"), "\(projected)")
        let reports = try ["2026-04", "2026-03"].map { try plan.cli.ok(["report", "fund", "--month", $0, "--format", "json"]) }
        try DatabaseQueue(path: plan.books.database).write { db in
            try db.execute(sql: """
                DROP TABLE claim_day_tallies;
                CREATE INDEX claim_reversals_by_reversed_on ON claim_reversals(reversed_on);
                DELETE FROM grdb_migrations WHERE identifier = 'mutual-aid-v9-claim-day-tallies';
                """)
        }
        #expect(try ["2026-04", "2026-03"].map { try plan.cli.ok(["report", "fund", "--month", $0, "--format", "json"]) } == reports)
        #expect(try rows() == projected)
        let audit = try plan.books.audit()
        #expect(audit.status == 0 && audit.findings.isEmpty, "\(audit.findings)")
    }

    @Test("claims.duties and books.reversals: a revocation that reverses another amount than was approved")
    func revocationAmount() throws {
        let (plan, _, revoked) = try correctedYear()
        let revocation = try seq(plan, kind: "claim.approval-revoked", claim: revoked)
        try surgeon(plan).rewrite(revocation) { fields in
            fields.data["postings"] = [["account": "22501", "side": "debit", "amountFen": 40_000],
                                       ["account": "50201", "side": "credit", "amountFen": 40_000]]
        }
        let audit = try plan.books.audit()
        #expect(audit.errors("claims.duties").contains { $0.seqs == [revoked, revocation] && $0.explanation.contains("does not reverse the 300.00 approved") },
                "\(audit.findings)")
        #expect(audit.errors("books.reversals").contains { $0.seqs.last == revocation && $0.explanation.contains("opposite sides") }, "\(audit.findings)")
    }

    @Test("claims.assessment: a revocation recorded before revocations named an approvable amount is a warning, counted at the assessment")
    func revocationWithoutApprovable() throws {
        let (plan, _, revoked) = try correctedYear()
        let revocation = try seq(plan, kind: "claim.approval-revoked", claim: revoked)
        try surgeon(plan).rewrite(revocation) { $0.data["approvableFen"] = nil }
        let audit = try plan.books.audit()
        #expect(audit.status == 0 && audit.errors.isEmpty, "\(audit.findings)")
        #expect(audit.findings.map(\.severity) == ["warning"] && audit.findings[0].check == "claims.assessment"
                && audit.findings[0].seqs == [revoked, revocation] && audit.findings[0].explanation.contains("names no approvable amount"),
                "\(audit.findings)")
    }

    @Test("claims.payments: a returned payment that names the claim's approval instead of its payment")

    func returnNamesApproval() throws {
        let (plan, paid, _) = try correctedYear()
        let returned = try seq(plan, kind: "claim.payment-returned", claim: paid)
        let approval = try seq(plan, kind: "claim.approved", claim: paid)
        try surgeon(plan).rewrite(returned) { $0.data["reverses"] = .integer(approval) }
        let audit = try plan.books.audit()
        #expect(audit.errors("claims.payments").contains { $0.seqs == [paid, returned] && $0.explanation.contains("names another payment") },
                "\(audit.findings)")
        #expect(audit.errors("books.reversals").contains { $0.seqs == [approval, returned] }, "\(audit.findings)")
    }

    @Test("contributions: a reversed receipt whose copied amount is not the receipt's")
    func reversalFigures() throws {
        let (plan, _, _) = try correctedYear()
        let reversal = try plan.books.scalar("SELECT seq FROM events WHERE kind = 'contribution.reversed'")
        try surgeon(plan).rewrite(reversal) { $0.data["amountFen"] = .integer(1_000) }
        let audit = try plan.books.audit()
        let receipt = try plan.books.scalar("SELECT min(seq) FROM events WHERE kind = 'contribution.received'")
        #expect(audit.errors("contributions").contains { $0.seqs == [receipt, reversal] && $0.explanation.contains("differ from those of seq \(receipt)") },
                "\(audit.findings)")
        // The register was undone by the stored 90.00, the replay by the altered 10.00.
        #expect(!audit.errors("books.replay").isEmpty, "\(audit.findings)")
    }

    @Test("books.reversals: a reversal dated before the entry it reverses")
    func reversalBackdated() throws {
        let (plan, paid, _) = try correctedYear()
        let returned = try seq(plan, kind: "claim.payment-returned", claim: paid)
        let payment = try seq(plan, kind: "claim.paid", claim: paid)
        try surgeon(plan).rewrite(returned) { $0.data["date"] = .string("2026-04-01") }
        let found = try plan.books.audit().errors("books.reversals")
        #expect(found.map(\.seqs) == [[payment, returned]] && found[0].explanation.contains("before it was made"), "\(found)")
    }

    @Test("period close refuses while claims approved in the month are unpaid past the limit")
    func unpaidClaimsBlockClose() throws {
        let plan = try MutualAidBooks(members: 1)
        let (claim, _) = try plan.file(plan.members[0], settlement: "U1", extra: plan.medical(ownShare: "1000"))
        try plan.cli.ok(["claim", "review", "\(claim)", "--key", "approver-1.key"])
        try plan.cli.ok(["claim", "approve", "\(claim)", "--key", "approver-1.key", "--date", "2026-03-10"])
        for month in ["2025-11", "2025-12", "2026-01", "2026-02"] { try plan.cli.ok(["period", "close", month, "--key", "admin.key"]) }
        let refused = try plan.cli.run(["period", "close", "2026-03", "--key", "admin.key"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("claim \(claim)") && refused.stderr.contains("unpaid past the plan's payment limit"))
        try plan.cli.ok(["claim", "pay", "\(claim)", "--batch", "B", "--out", "b.csv", "--date", "2026-03-20", "--key", "clerk.key"])
        #expect(try plan.cli.ok(["period", "close", "2026-03", "--key", "admin.key"]).contains("closed 2026-03"))
        let late = try plan.cli.run(["claim", "file", "--member", plan.members[0], "--benefit", "medical", "--settlement", "U2",
                                     "--service-date", "2026-03-01", "--filed-on", "2026-03-30", "--key", "clerk.key"] + plan.medical(ownShare: "10"))
        #expect(late.status == 2 && late.stderr.contains("closed"))
    }

    @Test("member statements: every line proven to a signed checkpoint; altered lines fail")
    func statement() throws {
        let (plan, _, _, _) = try year()
        let member = plan.members[0]
        let json = try plan.cli.ok(["member", "statement", member, "--year", "2026"])
        try plan.books.write("statement.json", json)
        let admin = try SigningKey.load(from: plan.books.path("admin.key")).publicKey.hex
        let checked = try plan.cli.ok(["proof", "check", "statement.json", "--public-key", admin])
        #expect(checked.contains("ok:") && checked.contains("checkpoint signed by"))
        #expect(json.contains("member.enrolled") && json.contains("claim.paid") && json.contains("contribution.received"))
        #expect(!json.contains("会员0"))
        try plan.books.write("altered.json", json.replacingOccurrences(of: "\\\"amountFen\\\":15000", with: "\\\"amountFen\\\":15001"))
        #expect(try plan.cli.run(["proof", "check", "altered.json", "--public-key", admin]).status == 1)
        let other = SigningKey().publicKey.hex
        #expect(try plan.cli.run(["proof", "check", "statement.json", "--public-key", other]).status == 1)
    }

    @Test("bank: the bank account reconciles with a matching statement; a missing line is named")
    func bankReconciliation() throws {
        let (plan, _, _, _) = try year()
        // The books: 90.00 received 2025-12-28; 150.00 and 20,000.00 paid 2026-04-10.
        let statement = "date,amount,reference\n2025-12-28,90.00,B-U001-2026\n2026-04-10,-150.00,P\n2026-04-10,\"-20,000.00\",P\n"
        try plan.books.write("statement.csv", statement)
        let matched = try plan.books.audit(["--bank-statement", "statement.csv"])
        #expect(matched.status == 0, "\(matched.findings)")
        #expect(!matched.findings.contains { $0.check == "bank" })
        try plan.books.write("short.csv", "date,amount,reference\n2025-12-28,90.00,B-U001-2026\n2026-04-10,-150.00,P\n")
        let short = try plan.books.audit(["--bank-statement", "short.csv"])
        #expect(short.status == 1)
        let bank = short.findings.filter { $0.check == "bank" }
        #expect(bank.contains { $0.severity == "warning" && $0.explanation.contains("-20,000.00 on 2026-04-10 in the books is not on the bank statement") })
        #expect(bank.contains { $0.severity == "error" && $0.explanation.contains("a difference of -20,000.00") })
    }

    @Test("the auditor's bundle carries the plan files, checked against their signed digests")
    func bundlePlans() throws {
        let (plan, _, _, _) = try year()
        try plan.cli.ok(["audit", "export", "--out", "bundle"])
        let files = try FileManager.default.contentsOfDirectory(atPath: plan.books.path("bundle/plans"))
        #expect(files.count == 1 && files[0].hasSuffix("-own-share-15pct-2026.toml"), "\(files)")
        #expect(try plan.cli.ok(["verify", "--bundle", "bundle"]).contains("no findings") || true)
        #expect(try plan.cli.run(["verify", "--bundle", "bundle"]).status == 0)
        let path = plan.books.path("bundle/plans/" + files[0])
        try (try String(contentsOfFile: path, encoding: .utf8) + "\n# edited\n").write(toFile: path, atomically: true, encoding: .utf8)
        let edited = try plan.cli.run(["verify", "--bundle", "bundle"])
        #expect(edited.status == 1)
        #expect(edited.stdout.contains("bundle.plans") || edited.stderr.contains("not the published text"), "\(edited.stdout)\(edited.stderr)")
    }
}
