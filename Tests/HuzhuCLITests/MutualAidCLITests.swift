import Foundation
import GRDB
import Testing

@Suite("huzhu CLI: the mutual-aid plan")
struct MutualAidCLITests {
    @Test("plan files are validated with file, line and key; shipped plans publish")
    func plans() throws {
        let books = try CLILedger()
        let good = MutualAidBooks.plansDirectory.appendingPathComponent("unit-paid-2026.toml").path
        #expect(try books.cli.ok(["plan", "publish", good, "--check"]).contains("valid plan unit-paid-2026"))
        try books.write("bad.toml", try String(contentsOfFile: good, encoding: .utf8).replacingOccurrences(of: "ratio = 0.5", with: "ratoi = 0.5"))
        let bad = try books.cli.run(["plan", "publish", "bad.toml", "--key", "admin.key"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("bad.toml:") && bad.stderr.contains("ratoi") && bad.stderr.contains("did you mean ratio"))
        #expect(try books.cli.ok(["plan", "publish", good, "--key", "admin.key"]).contains("published plan unit-paid-2026"))
        let clerk = try books.cli.run(["plan", "publish", good, "--key", "clerk.key"])
        #expect(clerk.status == 2 && clerk.stderr.contains("needs the role admin"))
        #expect(try books.cli.ok(["plan", "show", "--year", "2026"]).contains("womens-special"))
    }

    @Test("rosters: check digits, duplicates, other units; all or nothing unless --skip-invalid; GB18030 (on a file and on PostgreSQL)",
          arguments: CLILedger.Store.allCases)
    func rosters(store: CLILedger.Store) throws {
        let plan = try MutualAidBooks(members: 3, store: store)
        let cli = plan.cli
        try cli.ok(["unit", "add", "U002", "--name", "第一人民医院工会", "--key", "clerk.key"])
        var roster = MutualAidBooks.roster(count: 2, start: 10)
        roster += "坏号码,110105198001010010,,\n"                       // wrong check digit
        roster += MutualAidBooks.roster(count: 1, start: 0).split(separator: "\n")[1] + "\n"  // already enrolled via U001
        try plan.books.write("u2.csv", roster)
        let before = try cli.ok(["log", "--format", "json"])
        let refused = try cli.run(["member", "enroll", "--unit", "U002", "--year", "2026", "--roster", "u2.csv", "--date", "2025-11-02", "--key", "clerk.key"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("row 4") && refused.stderr.contains("check character"))
        #expect(refused.stderr.contains("row 5") && refused.stderr.contains("already enrolled for 2026 through unit U001"))
        #expect(try cli.ok(["log", "--format", "json"]) == before)

        let skipped = try cli.ok(["member", "enroll", "--unit", "U002", "--year", "2026", "--roster", "u2.csv", "--date", "2025-11-02",
                                  "--skip-invalid", "--key", "clerk.key"])
        #expect(skipped.contains("enrolled 2; already enrolled 0; rejected 2"))
        let rejectedFile = try String(contentsOfFile: plan.books.path("u2.csv.rejected.csv"), encoding: .utf8)
        #expect(rejectedFile.contains("4,") && rejectedFile.contains("5,"))
        // A person listed twice in one roster: the second row is refused, naming why.
        let twice = MutualAidBooks.roster(count: 1, start: 30)
        try plan.books.write("u3.csv", twice + twice.split(separator: "\n")[1] + "\n")
        let doubled = try cli.run(["member", "enroll", "--unit", "U002", "--year", "2026", "--roster", "u3.csv", "--date", "2025-11-02",
                                   "--key", "clerk.key"])
        #expect(doubled.status == 2)
        #expect(doubled.stderr.contains("row 3") && doubled.stderr.contains("is listed twice in this roster"), "\(doubled.stderr)")
        // Sending the same roster again enrols nobody twice.
        #expect(try cli.ok(["member", "enroll", "--unit", "U001", "--year", "2026", "--roster", "roster.csv", "--date", "2025-11-01",
                            "--key", "clerk.key"]).contains("enrolled 0; already enrolled 3"))

        // A GB18030 roster, as Excel in China saves it.
        let gbRoster = MutualAidBooks.roster(count: 2, start: 20)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        process.arguments = ["-f", "UTF-8", "-t", "GB18030"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(gbRoster.utf8))
        try input.fileHandleForWriting.close()
        let gbBytes = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(String(data: gbBytes, encoding: .utf8) == nil)
        try gbBytes.write(to: URL(fileURLWithPath: plan.books.path("gb.csv")))
        #expect(try cli.ok(["member", "enroll", "--unit", "U002", "--year", "2026", "--roster", "gb.csv", "--date", "2025-11-03",
                            "--key", "clerk.key"]).contains("enrolled 2"))
        let listed = try cli.ok(["member", "list", "--year", "2026", "--unit", "U002"])
        #expect(listed.contains("会*") && listed.contains("110***********"))
        #expect(!listed.contains("会员20"))
    }

    @Test("personal data stays out of the log, is masked, and can be erased with the chain still valid")
    func personalData() throws {
        let plan = try MutualAidBooks(members: 2)
        let cli = plan.cli
        let log = try cli.ok(["log", "--format", "json"])
        #expect(!log.contains("会员0") && !log.contains("110105198001") && !log.contains("13800000000") && !log.contains("6222000000"))
        #expect(log.contains("\"commitment\":\""))
        let member = plan.members[0]
        let erased = try cli.run(["member", "erase", member, "--reason", "本人申请", "--key", "clerk.key"])
        #expect(erased.status == 2)
        try cli.ok(["member", "erase", member, "--reason", "本人申请", "--key", "admin.key"])
        #expect(try cli.ok(["member", "list", "--year", "2026"]).contains("(erased)"))
        let db = try DatabaseQueue(path: plan.books.database)
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM member_personal WHERE member_id = ?", arguments: [member]) } == 0)
        #expect(try cli.ok(["verify"]).contains("ok:"))
    }

    @Test("contributions: headcount × rate, idempotent receipts, no overpayment, bank statements; coverage needs payment")
    func contributions() throws {
        let plan = try MutualAidBooks(members: 4, paid: false)
        let cli = plan.cli
        let status = try cli.ok(["contribution", "status", "--year", "2026"])
        #expect(status.contains("120.00") && status.contains("no"))   // 4 × 30 to the unit, 4 × 30 subsidy
        let (unpaid, out) = try plan.file(plan.members[0], settlement: "S-UNPAID", extra: plan.medical(ownShare: "1000"))
        #expect(out.contains("REJECTED") && out.contains("unpaid"))
        #expect(try plan.claim(unpaid)["state"] as? String == "rejected")
        try plan.books.write("statement.csv", "date,amount,reference,unit\n2025-12-28,100.00,BK-1,U001\n2025-12-29,20,BK-2,U001\n")
        #expect(try cli.ok(["contribution", "import-bank", "statement.csv", "--year", "2026", "--key", "clerk.key"]).contains("recorded 2 receipts"))
        #expect(try cli.ok(["contribution", "import-bank", "statement.csv", "--year", "2026", "--key", "clerk.key"]).contains("recorded 0 receipts; 2 already"))
        let over = try cli.run(["contribution", "receive", "--unit", "U001", "--year", "2026", "--amount", "0.01", "--bank-ref", "BK-3",
                                "--date", "2025-12-30", "--key", "clerk.key"])
        #expect(over.status == 2 && over.stderr.contains("overpay"))
        #expect(try cli.ok(["contribution", "status", "--year", "2026"]).contains("yes"))
        let (_, paidOut) = try plan.file(plan.members[0], settlement: "S-PAID", extra: plan.medical(ownShare: "1000"))
        #expect(paidOut.contains("payout 150.00"))
        try cli.ok(["contribution", "subsidy", "--year", "2026", "--amount", "120", "--ref", "SUB-1", "--date", "2026-01-10", "--key", "clerk.key"])
        let balance = try cli.ok(["balance", "--format", "json"])
        #expect(balance.contains("\"code\":\"11401\",\"creditFen\":12000,\"debitFen\":12000"))
        #expect(balance.contains("\"code\":\"11402\",\"creditFen\":12000,\"debitFen\":12000"))
    }

    @Test("the rules engine: ratio, minimum, annual cap carried across claims, deadline, duplicates, grades, fire")
    func rules() throws {
        let plan = try MutualAidBooks(members: 2)
        let member = plan.members[0]
        let (first, out1) = try plan.file(member, settlement: "S1", extra: plan.medical(ownShare: "12,345.00"))
        #expect(out1.contains("× 15% = 1,851.75") && out1.contains("payout 1,851.75"))
        let (_, out2) = try plan.file(member, settlement: "S2", extra: plan.medical(ownShare: "20000"))
        #expect(out2.contains("payout 3,000.00"))
        // Facts that contradict each other are refused naming the field and the value given.
        let contradictory = try plan.cli.run(["claim", "file", "--member", member, "--benefit", "medical", "--settlement", "S-BAD",
                                              "--service-date", "2026-03-01", "--filed-on", "2026-03-05", "--key", "clerk.key",
                                              "--total-cost", "50000", "--covered", "30000", "--own-share", "40000"])
        #expect(contradictory.status == 2 && contradictory.stderr.contains("ownShareInScope \"40000.00\""), "\(contradictory.stderr)")
        // 6,000 cap: 1,851.75 + 3,000.00 used, 1,148.25 left.
        let (_, out3) = try plan.file(member, settlement: "S3", service: "2026-06-01", filed: "2026-06-02", extra: plan.medical(ownShare: "20000"))
        #expect(out3.contains("left 1,148.25") && out3.contains("payout 1,148.25"))
        let (capped, out4) = try plan.file(member, settlement: "S4", service: "2026-07-01", filed: "2026-07-02", extra: plan.medical(ownShare: "5000"))
        #expect(out4.contains("REJECTED") && out4.contains("cap"))
        #expect(try plan.claim(capped)["state"] as? String == "rejected")
        let (_, below) = try plan.file(plan.members[1], settlement: "S5", extra: plan.medical(ownShare: "100"))
        #expect(below.contains("REJECTED") && below.contains("minimum"))
        let (_, late) = try plan.file(plan.members[1], settlement: "S6", service: "2026-12-20", filed: "2027-04-01",
                                      extra: plan.medical(ownShare: "1000"))
        #expect(late.contains("REJECTED") && late.contains("deadline"))
        let onTime = try plan.file(plan.members[1], settlement: "S7", service: "2026-12-20", filed: "2027-03-31",
                                   extra: plan.medical(ownShare: "1000")).1
        #expect(onTime.contains("payout 150.00"))
        let again = try plan.file(member, settlement: "S1", extra: plan.medical(ownShare: "12,345.00")).1
        #expect(again.contains("already filed"))
        #expect(try plan.file(member, settlement: "S1", extra: plan.medical(ownShare: "12,000.00")).1.contains("already in the ledger"))
        let grade = try plan.file(plan.members[1], benefit: "accident-disability", settlement: "A1", extra: ["--grade", "3"]).1
        #expect(grade.contains("payout 4,000.00"))
        let fire = try plan.file(plan.members[1], benefit: "house-fire", settlement: "F1", extra: ["--loss", "50000"]).1
        #expect(fire.contains("payout 3,000.00"))
        let smallFire = try plan.file(member, benefit: "house-fire", settlement: "F2", extra: ["--loss", "12,345.60"]).1
        #expect(smallFire.contains("payout 1,234.56"))
        let notEnrolled = try plan.cli.run(["claim", "file", "--member", "m000000000000", "--benefit", "medical", "--settlement", "X",
                                            "--service-date", "2026-03-01", "--key", "clerk.key"] + plan.medical(ownShare: "10"))
        #expect(notEnrolled.status == 2 && notEnrolled.stderr.contains("no such member"))
        #expect(first > 0)
    }

    @Test("waiting periods, coverage dates and women's benefits on the unit-paid plan")
    func coverage() throws {
        let plan = try MutualAidBooks(plan: "unit-paid-2026", members: 2, paid: false)
        try plan.cli.ok(["contribution", "receive", "--unit", "U001", "--year", "2026", "--amount", "120", "--bank-ref", "B1",
                         "--date", "2025-12-28", "--key", "clerk.key"])
        // A man (member 0) cannot claim the women's benefit; a woman (member 1) can.
        let man = try plan.file(plan.members[0], benefit: "womens-special", settlement: "W1").1
        #expect(man.contains("REJECTED") && man.contains("not-eligible") == false && man.lowercased().contains("women") || man.contains("female"))
        let woman = try plan.file(plan.members[1], benefit: "womens-special", settlement: "W2").1
        #expect(woman.contains("payout 20,000.00"))
        // Critical illness has a 90-day waiting period from coverage start (2026-01-01): day 90 is inside it.
        let waiting = try plan.file(plan.members[0], benefit: "critical-illness", settlement: "C1", service: "2026-03-31", filed: "2026-04-02").1
        #expect(waiting.contains("REJECTED") && waiting.contains("waiting"))
        let after = try plan.file(plan.members[0], benefit: "critical-illness", settlement: "C2", service: "2026-04-01", filed: "2026-04-02").1
        #expect(after.contains("payout 15,000.00"))
        // A member who left is not covered after leaving.
        try plan.cli.ok(["member", "leave", plan.members[1], "--year", "2026", "--date", "2026-05-31", "--reason", "调离", "--key", "clerk.key"])
        let gone = try plan.file(plan.members[1], benefit: "hospital", settlement: "H1", service: "2026-06-02", filed: "2026-06-03",
                                 extra: plan.medical(ownShare: "1000")).1
        #expect(gone.contains("REJECTED"))
    }

    @Test("separation of duties: clerks file, approvers decide, never the filer; two approvers at the threshold")
    func duties() throws {
        let plan = try MutualAidBooks(members: 2)
        let cli = plan.cli
        let member = plan.members[0]
        #expect(try cli.run(["claim", "file", "--member", member, "--benefit", "medical", "--settlement", "Z", "--service-date", "2026-03-01",
                             "--key", "approver-1.key"] + plan.medical(ownShare: "100")).stderr.contains("needs the role clerk"))
        #expect(try cli.run(["claim", "file", "--member", member, "--benefit", "medical", "--settlement", "Z", "--service-date", "2026-03-01",
                             "--key", "auditor.key"] + plan.medical(ownShare: "100")).status == 2)
        let (own, _) = try plan.file(member, settlement: "D1", extra: plan.medical(ownShare: "1000"), key: "both.key")
        let selfReview = try cli.run(["claim", "review", "\(own)", "--key", "both.key"])
        #expect(selfReview.status == 2 && selfReview.stderr.contains("may not review"))
        #expect(try cli.run(["claim", "review", "\(own)", "--key", "clerk.key"]).stderr.contains("needs the role approver"))
        let early = try cli.run(["claim", "approve", "\(own)", "--key", "approver-1.key"])
        #expect(early.status == 2 && early.stderr.contains("review it first"))
        try cli.ok(["claim", "review", "\(own)", "--key", "approver-1.key"])
        let raise = try cli.run(["claim", "approve", "\(own)", "--amount", "200", "--key", "approver-1.key"])
        #expect(raise.status == 2)
        let noReason = try cli.run(["claim", "approve", "\(own)", "--amount", "100", "--key", "approver-1.key"])
        #expect(noReason.status == 2 && noReason.stderr.contains("reason"))
        #expect(try cli.ok(["claim", "approve", "\(own)", "--amount", "100", "--reason", "部分发票不合规", "--key", "approver-1.key",
                            "--date", "2026-04-01"]).contains("approved"))
        #expect(try plan.claim(own)["approvedFen"] as? Int == 10000)

        // Accident death pays 20,000, over the 5,000 threshold: two distinct approvers.
        let (large, _) = try plan.file(plan.members[1], benefit: "accident-death", settlement: "L1")
        try cli.ok(["claim", "review", "\(large)", "--key", "approver-1.key"])
        #expect(try cli.ok(["claim", "approve", "\(large)", "--key", "approver-1.key", "--date", "2026-04-01"]).contains("second approver"))
        // The same approver again is answered with the approval recorded: it is not the second.
        let sameAgain = try cli.ok(["claim", "approve", "\(large)", "--key", "approver-1.key"])
        #expect(sameAgain.contains("already recorded") && sameAgain.contains("different approver"), "\(sameAgain)")
        #expect(try plan.claim(large)["state"] as? String == "partly-approved")
        let payEarly = try cli.run(["claim", "pay", "\(large)", "--batch", "P0", "--out", "p0.csv", "--key", "clerk.key"])
        #expect(payEarly.status == 2 && payEarly.stderr.contains("only approved claims are paid"))
        try cli.ok(["claim", "approve", "\(large)", "--key", "approver-2.key", "--date", "2026-04-02"])
        #expect(try plan.claim(large)["state"] as? String == "approved")
        #expect((try plan.claim(large)["approvers"] as? [String])?.count == 2)

        let unapproved = try cli.run(["claim", "pay", "--all", "--batch", "P1", "--out", "p1.csv", "--key", "clerk.key", "--date", "2026-04-10"])
        #expect(unapproved.status == 2 && unapproved.stderr.contains("an approver approves the batch first"), "\(unapproved.stderr)")
        try cli.ok(["claim", "approve-batch", "P1", "--all", "--key", "approver-1.key", "--date", "2026-04-09"])
        let paid = try cli.ok(["claim", "pay", "--all", "--batch", "P1", "--out", "p1.csv", "--key", "clerk.key", "--date", "2026-04-10"])
        #expect(paid.contains("paid 2 claims, 20,100.00"))
        let file = try String(contentsOfFile: plan.books.path("p1.csv"), encoding: .utf8)
        #expect(file.contains("20000.00") && file.contains("会员1") && file.contains("6222000000000001"))
        let balance = try cli.ok(["balance", "--format", "json"])
        #expect(balance.contains("\"code\":\"22501\",\"creditFen\":2010000,\"debitFen\":2010000"))
        #expect(balance.contains("\"code\":\"50206\",\"creditFen\":0,\"debitFen\":2000000"))
        #expect(try cli.run(["claim", "reject", "\(large)", "--reason", "x", "--key", "approver-1.key"]).status == 2)
        #expect(try cli.ok(["verify"]).contains("ok:"))
    }

    @Test("caps are carried across a year and reset the next; continuing members serve no new waiting period (on a file and on PostgreSQL)",
          arguments: CLILedger.Store.allCases)
    func yearEnd(store: CLILedger.Store) throws {
        let plan = try MutualAidBooks(members: 1, store: store)
        let member = plan.members[0]
        for (index, share) in ["20000", "20000"].enumerated() {
            try plan.file(member, settlement: "Y\(index)", service: "2026-0\(3 + index)-01", filed: "2026-0\(3 + index)-05", extra: plan.medical(ownShare: share))
        }
        #expect(try plan.file(member, settlement: "Y3", service: "2026-11-01", filed: "2026-11-05", extra: plan.medical(ownShare: "1000")).1
            .contains("REJECTED"))
        try plan.publishOwnSharePlan2027()
        try plan.cli.ok(["member", "enroll", "--unit", "U001", "--year", "2027", "--roster", "roster.csv", "--date", "2026-11-01", "--key", "clerk.key"])
        try plan.cli.ok(["contribution", "bill", "--year", "2027", "--date", "2026-12-21", "--key", "clerk.key"])
        try plan.cli.ok(["contribution", "receive", "--unit", "U001", "--year", "2027", "--amount", "30", "--bank-ref", "B-2027",
                         "--date", "2026-12-28", "--key", "clerk.key"])
        #expect(try plan.cli.ok(["member", "list", "--year", "2027", "--format", "json"]).contains("\"coverageStart\":\"2026-01-01\""))
        let next = try plan.file(member, settlement: "Y2027", service: "2027-01-10", filed: "2027-01-12", extra: plan.medical(ownShare: "20000")).1
        #expect(next.contains("used 0.00") && next.contains("payout 3,000.00"))
    }

    @Test("a member enrolling again takes the roster's new bank card and phone; empty cells keep what is on file")
    func reEnrolmentUpdatesDetails() throws {
        let plan = try MutualAidBooks(members: 3)
        try plan.publishOwnSharePlan2027()
        // Member 0 brings a new bank card, member 1 a roster row without phone or card, member 2 the same row as before.
        let rows = MutualAidBooks.roster(count: 3).split(separator: "\n").map(String.init)
        let newCard = "6228480000000099"
        var first = rows[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        first[3] = newCard
        var second = rows[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        second[2] = ""
        second[3] = ""
        try plan.books.write("roster-2027.csv", [rows[0], first.joined(separator: ","), second.joined(separator: ","), rows[3]].joined(separator: "\n") + "\n")
        let commitment = { (member: String) in
            try DatabaseQueue(path: plan.books.database).read { try String.fetchOne($0, sql: "SELECT commitment FROM members WHERE member_id = ?", arguments: [member])! }
        }
        let before = try plan.members.map(commitment)
        #expect(try plan.cli.ok(["member", "enroll", "--unit", "U001", "--year", "2027", "--roster", "roster-2027.csv", "--date", "2026-11-01",
                                 "--key", "clerk.key"]).contains("enrolled 3; already enrolled 0; rejected 0; personal details updated for 1"))
        let after = try plan.members.map(commitment)
        #expect(after[0] != before[0] && after[1] == before[1] && after[2] == before[2])
        // The new card is the one the 2027 enrolment event commits to, and the one a payment file uses.
        let committed = try DatabaseQueue(path: plan.books.database).read { db in
            try String.fetchOne(db, sql: """
                SELECT json_extract(CAST(body AS TEXT), '$.data.commitment') FROM events
                WHERE kind = 'member.enrolled' AND json_extract(CAST(body AS TEXT), '$.data.member') = ? ORDER BY seq DESC LIMIT 1
                """, arguments: [plan.members[0]])
        }
        #expect(committed == after[0])
        try plan.cli.ok(["contribution", "bill", "--year", "2027", "--date", "2026-12-21", "--key", "clerk.key"])
        try plan.cli.ok(["contribution", "receive", "--unit", "U001", "--year", "2027", "--amount", "90", "--bank-ref", "B-2027",
                         "--date", "2026-12-28", "--key", "clerk.key"])
        var paid: [String] = []
        for (index, member) in plan.members.prefix(2).enumerated() {
            let (claim, _) = try plan.file(member, settlement: "RE-\(index)", service: "2027-02-01", filed: "2027-02-03", extra: plan.medical(ownShare: "1000"))
            try plan.approveFully(claim, on: "2027-02-05")
            paid.append("\(claim)")
        }
        try plan.cli.ok(["claim", "pay"] + paid + ["--batch", "P-2027", "--out", "pay-2027.csv", "--date", "2027-02-10", "--key", "clerk.key"])
        let payments = try String(contentsOfFile: plan.books.directory + "/pay-2027.csv", encoding: .utf8)
        #expect(payments.contains(newCard) && payments.contains("6222000000000001"))  // member 1 kept the card on file
        #expect(try plan.cli.ok(["verify"]).contains("ok:"))
        #expect(try plan.cli.ok(["audit"]).contains("no findings"))
    }
}
