import Foundation
import GRDB
import Ledger
import Testing

/// The faults a hostile but realistic user's probe found (issue 21), each through the real
/// binary, each failing on the code before the fix: money paid with no file to show for it,
/// payments to cards nobody recorded, totals past what a close can state, an erased person
/// enrolled twice, one bank reference as two receipts, a ledger locked by its own admin,
/// decisions dated before what they decide, overlapping plan years, spreadsheet formulas in
/// the bank's file, and files others can read.
@Suite("faults: money and members' data under bad input", .serialized)
struct FaultProbeCLITests {
    func mode(_ path: String) -> mode_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o777 : 0
    }

    /// The first member's claim of 150.00, approved: its id.
    func approvedClaim(_ plan: MutualAidBooks, member: Int = 0, settlement: String = "S-1") throws -> Int64 {
        let (claim, _) = try plan.file(plan.members[member], settlement: settlement, extra: plan.medical(ownShare: "1000"))
        try plan.approveFully(claim)
        return claim
    }

    func state(_ plan: MutualAidBooks, _ claim: Int64) throws -> String? { try plan.claim(claim)["state"] as? String }

    @Test("claim pay --out: a missing folder, a folder or an existing file refuses the payment before anything is recorded; the file is 0600, written whole, and claim pay-file writes it again")
    func paymentFile() throws {
        let plan = try MutualAidBooks(members: 2)
        let claim = try approvedClaim(plan)
        let pay = { (out: String, extra: [String]) in
            try plan.cli.run(["claim", "pay", "\(claim)", "--batch", "P-1", "--out", out, "--date", "2026-04-10", "--key", "clerk.key"] + extra)
        }
        let missing = try pay("no-such-dir/pay.csv", [])
        #expect(missing.status == 2 && missing.stderr.contains("the folder no-such-dir does not exist") && !missing.stderr.contains("NSCocoaErrorDomain"),
                "\(missing.stderr)")
        try FileManager.default.createDirectory(atPath: plan.books.path("folder"), withIntermediateDirectories: false)
        let folder = try pay("folder", [])
        #expect(folder.status == 2 && folder.stderr.contains("is a folder"), "\(folder.stderr)")
        let roster = try String(contentsOfFile: plan.books.path("roster.csv"), encoding: .utf8)
        let existing = try pay("roster.csv", [])
        #expect(existing.status == 2 && existing.stderr.contains("exists; pass --force"), "\(existing.stderr)")
        #expect(try String(contentsOfFile: plan.books.path("roster.csv"), encoding: .utf8) == roster, "the roster is untouched")
        #expect(try state(plan, claim) == "approved", "nothing was paid")

        let paid = try pay("pay.csv", [])
        #expect(paid.status == 0 && paid.stdout.contains("paid 1 claims, 150.00"), "\(paid.stderr)")
        #expect(mode(plan.books.path("pay.csv")) == 0o600 && mode(plan.books.database) == 0o600, "the payment file and the ledger are the owner's only")
        let file = try String(contentsOfFile: plan.books.path("pay.csv"), encoding: .utf8)
        #expect(try FileManager.default.contentsOfDirectory(atPath: plan.books.directory).allSatisfy { !$0.contains(".tmp-") })
        // The file lost: written again from the recorded payments, the same bytes.
        try FileManager.default.removeItem(atPath: plan.books.path("pay.csv"))
        #expect(try plan.cli.ok(["claim", "pay-file", "P-1", "--out", "again.csv"]).contains("1 payments, 150.00"))
        #expect(try String(contentsOfFile: plan.books.path("again.csv"), encoding: .utf8) == file)
        #expect(try plan.cli.run(["claim", "pay-file", "P-1", "--out", "again.csv"]).status == 2, "not over an existing file")
        #expect(try plan.cli.run(["claim", "pay-file", "P-1", "--out", "again.csv", "--force"]).status == 0)
        #expect(try plan.cli.run(["claim", "pay-file", "NO-SUCH", "--out", "x.csv"]).stderr.contains("no standing payments"))
    }

    @Test("bank cards and phones are checked at enrolment; a member with no valid card, or erased, is held from a payment, not paid an empty line")
    func cardsAndHeldPayments() throws {
        let plan = try MutualAidBooks(members: 3)
        // A roster with a malformed card, a malformed phone and a name holding a newline.
        try plan.books.write("bad.csv", """
            姓名,身份证号,手机号,银行卡号
            好人,\(MutualAidBooks.residentID("11010519800101201")),13800000001,6222000000888888
            卡错,\(MutualAidBooks.residentID("11010519800101221")),13800000002,NOT-A-CARD
            号错,\(MutualAidBooks.residentID("11010519800101241")),call-me,6222000000777777
            "换
            行",\(MutualAidBooks.residentID("11010519800101261")),13800000004,6222000000666666

            """)
        let refused = try plan.cli.run(["member", "enroll", "--unit", "U001", "--year", "2026", "--roster", "bad.csv", "--date", "2025-11-01", "--key", "clerk.key"])
        #expect(refused.status == 2 && refused.stderr.contains("3 row(s) rejected"), "\(refused.stderr)")
        #expect(refused.stderr.contains("row 3: bank card NOT-******CARD: 8 to 30 digits") || refused.stderr.contains("row 3: bank card"), "\(refused.stderr)")
        #expect(refused.stderr.contains("row 4: phone") && refused.stderr.contains("control character U+A"), "\(refused.stderr)")
        // A member on file with no card (a roster row without one): approved, then held.
        try plan.books.write("nocard.csv", "姓名,身份证号\n无卡,\(MutualAidBooks.residentID("11010519800101281"))\n")
        try plan.cli.ok(["member", "enroll", "--unit", "U001", "--year", "2026", "--roster", "nocard.csv", "--date", "2025-11-01", "--key", "clerk.key"])
        plan.members = try plan.memberIDs(year: 2026)
        let noCard = plan.members.last!
        try plan.cli.ok(["contribution", "bill", "--year", "2026", "--date", "2025-12-22", "--key", "clerk.key"])
        try plan.cli.ok(["contribution", "receive", "--unit", "U001", "--year", "2026", "--amount", "30", "--bank-ref", "B-EXTRA",
                         "--date", "2025-12-29", "--key", "clerk.key"])
        let (claim, _) = try plan.file(noCard, settlement: "NC-1", extra: plan.medical(ownShare: "1000"))
        try plan.approveFully(claim)
        let other = try approvedClaim(plan)
        try plan.cli.ok(["member", "erase", plan.members[0], "--reason", "本人申请删除", "--key", "admin.key"])
        let run = try plan.cli.run(["claim", "pay", "--all", "--batch", "P-1", "--out", "pay.csv", "--date", "2026-04-10", "--key", "clerk.key"])
        #expect(run.status == 0 && run.stdout.contains("paid no claims; 2 held"), "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains("claim \(claim) (member \(noCard)): no valid bank card on file"), "\(run.stderr)")
        #expect(run.stderr.contains("claim \(other) (member \(plan.members[0])): the member's personal data was erased"), "\(run.stderr)")
        #expect(try state(plan, claim) == "approved" && state(plan, other) == "approved")
        // The card recorded, the claim is paid.
        try plan.cli.ok(["member", "update", noCard, "--bank-card", "6222 0202 0011 2233", "--reason", "补录银行卡", "--key", "clerk.key"])
        #expect(try plan.cli.ok(["claim", "pay", "\(claim)", "--batch", "P-1", "--out", "pay.csv", "--date", "2026-04-10", "--key", "clerk.key"])
            .contains("paid 1 claims, 150.00"))
        #expect(try String(contentsOfFile: plan.books.path("pay.csv"), encoding: .utf8).contains("6222020200112233"))
    }

    @Test("a bank card changed in the file behind Huzhu's back is not paid, and the audit names the member")
    func forgedCard() throws {
        let plan = try MutualAidBooks(members: 2)
        let claim = try approvedClaim(plan)
        try plan.books.cli.ok(["checkpoint", "--key", "admin.key"])
        try LedgerSurgeon(plan.books).execute("""
            UPDATE member_personal SET fields = json_set(fields, '$.bankCard', '6217000000000000001') WHERE member_id = '\(plan.members[0])'
            """)
        let run = try plan.cli.run(["claim", "pay", "\(claim)", "--batch", "P-1", "--out", "pay.csv", "--date", "2026-04-10", "--key", "clerk.key"])
        #expect(run.stdout.contains("paid no claims; 1 held") && run.stderr.contains("not those the log committed to"), "\(run.stdout)\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: plan.books.path("pay.csv")))
        let audit = try plan.books.audit()
        #expect(audit.status == 1)
        #expect(audit.errors("members.personal-data").count == 1 && audit.errors("members.personal-data")[0].explanation.contains(plan.members[0]),
                "\(audit.findings)")
        // A claim's diagnosis edited likewise.
        let (diagnosed, _) = try plan.file(plan.members[1], settlement: "DX-1", extra: plan.medical(ownShare: "1000") + ["--diagnosis", "阑尾炎"])
        #expect(try plan.books.audit().errors("members.personal-data").count == 1)
        try LedgerSurgeon(plan.books).execute("UPDATE claim_personal SET fields = json_set(fields, '$.diagnosis', '无') WHERE claim_id = '\(diagnosed)'")
        let edited = try plan.books.audit().errors("members.personal-data")
        #expect(edited.count == 2 && edited.contains { $0.seqs == [diagnosed] && $0.explanation.contains("diagnosis") }, "\(edited)")
    }

    @Test("a claim marked approved in the file behind Huzhu's back, its amount raised, or its approval's signature replaced, is refused at payment, before the bank's file")
    func forgedApproval() throws {
        let plan = try MutualAidBooks(members: 2)
        let genuine = try approvedClaim(plan)
        let (forged, _) = try plan.file(plan.members[1], settlement: "S-2", extra: plan.medical(ownShare: "1000"))
        try plan.cli.ok(["claim", "review", "\(forged)", "--key", "approver-1.key"])
        let surgeon = try LedgerSurgeon(plan.books)
        let pay = { (claim: Int64) in
            try plan.cli.run(["claim", "pay", "\(claim)", "--batch", "P-\(claim)", "--out", "pay-\(claim).csv", "--date", "2026-04-10", "--key", "clerk.key"])
        }
        // Marked approved in the register, with a real approver's id, and no approval in the log.
        try surgeon.execute("""
            UPDATE claims SET state = 'approved', approved_fen = 15000, approved_on = '2026-04-01',
                approvers = (SELECT approvers FROM claims WHERE claim_id = '\(genuine)') WHERE claim_id = '\(forged)'
            """)
        let unapproved = try pay(forged)
        #expect(unapproved.status != 0 && unapproved.stderr.contains("claim \(forged) is approved in the claims register but the log holds no approval of it"),
                "\(unapproved.stdout)\(unapproved.stderr)")
        #expect(!FileManager.default.fileExists(atPath: plan.books.path("pay-\(forged).csv")))
        // A genuine approval for 150.00, raised to 1,500.00 in the register.
        try surgeon.execute("UPDATE claims SET approved_fen = 150000 WHERE claim_id = '\(genuine)'")
        let raised = try pay(genuine)
        #expect(raised.status != 0 && raised.stderr.contains("approved 150.00, not 1,500.00"), "\(raised.stderr)")
        // The amount put back, and the approval event's signature replaced by one its key did not make.
        try surgeon.execute("UPDATE claims SET approved_fen = 15000 WHERE claim_id = '\(genuine)'")
        try surgeon.execute("""
            UPDATE events SET signature = zeroblob(64) WHERE seq = (SELECT max(seq) FROM events WHERE kind = 'claim.approved')
            """)
        let unsigned = try pay(genuine)
        #expect(unsigned.status != 0 && unsigned.stderr.contains("has a signature that key") && unsigned.stderr.contains("nothing was recorded"),
                "\(unsigned.stderr)")
        #expect(try state(plan, genuine) == "approved" && !FileManager.default.fileExists(atPath: plan.books.path("pay-\(genuine).csv")), "nothing was paid")
    }

    @Test("a month's payments check every filing's and approval's signature together, on every core: one forged among forty refuses the batch, naming it, and pays nothing")
    func forgedAmongMany() throws {
        let plan = try MutualAidBooks(members: 40)
        let rows = plan.members.enumerated().map { "\($1),medical,M-\($0),2026-03-01,2026-03-05,500" }  // 75.00 each, 3,000.00 in all
        try plan.books.write("month.csv", "member,benefit,settlement_id,service_date,filed_on,own_share\n" + rows.joined(separator: "\n") + "\n")
        try plan.cli.ok(["claim", "import", "month.csv", "--key", "clerk.key"])
        try plan.cli.ok(["claim", "review", "--all", "--key", "approver-1.key"])
        #expect(try plan.cli.ok(["claim", "approve", "--all", "--date", "2026-04-01", "--key", "approver-2.key"]).contains("recorded 40 approvals"))
        let approvals = try DatabaseQueue(path: plan.books.database).read {
            try Int64.fetchAll($0, sql: "SELECT seq FROM events WHERE kind = 'claim.approved' ORDER BY seq")
        }
        let forged = approvals[29]
        let signature = try DatabaseQueue(path: plan.books.database).read { try Data.fetchOne($0, sql: "SELECT signature FROM events WHERE seq = ?", arguments: [forged])! }
        let surgeon = try LedgerSurgeon(plan.books)
        try surgeon.execute("UPDATE events SET signature = zeroblob(64) WHERE seq = \(forged)")
        let before = try plan.books.lastSeq()
        let refused = try plan.cli.run(["claim", "pay", "--all", "--batch", "P-4", "--out", "pay.csv", "--date", "2026-04-10", "--key", "clerk.key"])
        #expect(refused.status != 0 && refused.stderr.contains("event \(forged) has a signature that key"), "\(refused.stderr)")
        #expect(try plan.books.lastSeq() == before && !FileManager.default.fileExists(atPath: plan.books.path("pay.csv")), "nothing was paid")
        // The signature put back: the forty are paid.
        try surgeon.execute("UPDATE events SET signature = x'\(signature.map { String(format: "%02x", $0) }.joined())' WHERE seq = \(forged)")
        let paid = try plan.cli.ok(["claim", "pay", "--all", "--batch", "P-4", "--out", "pay.csv", "--date", "2026-04-10", "--key", "clerk.key"])
        #expect(paid.contains("paid 40 claims, 3,000.00") && FileManager.default.fileExists(atPath: plan.books.path("pay.csv")), "\(paid)")
    }

    @Test("debits that would take the books past ±(2^53 − 1) fen are refused when posted, so every later month still closes")
    func totalsInRange() throws {
        let books = try CLILedger()
        try books.post(date: "2026-10-08", debit: "10201", credit: "40801", amount: "60,000,000,000,000.00")
        let second = try books.cli.run(["post", "--key", "clerk.key", "--date", "2026-10-09", "--debit", "10201=60000000000000", "--credit", "40801=60000000000000"])
        #expect(second.status == 2 && second.stderr.contains("the most a month's closing totals can state exactly"), "\(second.stderr)")
        try books.cli.ok(["period", "close", "2026-10", "--key", "admin.key"])
        #expect(try books.audit().status == 0)
    }

    @Test("an erased person is not enrolled again as someone new in a year they were enrolled for; the erased name is gone from the file and its log")
    func erasureTombstone() throws {
        let plan = try MutualAidBooks(members: 2)
        try plan.cli.ok(["member", "erase", plan.members[0], "--reason", "本人申请删除", "--key", "admin.key"])
        for file in ["huzhu.db", "huzhu.db-wal"] {
            let bytes = FileManager.default.contents(atPath: plan.books.path(file)) ?? Data()
            #expect(bytes.range(of: Data("会员0".utf8)) == nil, "\(file) still holds the erased name")
        }
        let again = try plan.cli.run(["member", "enroll", "--unit", "U001", "--year", "2026", "--roster", "roster.csv", "--date", "2025-11-01", "--key", "clerk.key"])
        #expect(again.status == 2 && again.stderr.contains("whose personal data was erased at seq"), "\(again.stderr)")
        #expect(try plan.memberIDs(year: 2026).count == 2)
        // A later year takes them as a new member.
        try plan.publishOwnSharePlan2027()
        let next = try plan.cli.ok(["member", "enroll", "--unit", "U001", "--year", "2027", "--roster", "roster.csv", "--date", "2026-11-01", "--key", "clerk.key"])
        #expect(next.contains("enrolled 2"), "\(next)")
    }

    @Test("one bank reference is one receipt: a row that repeats it with another amount or date is refused, naming both")
    func bankReference() throws {
        let plan = try MutualAidBooks(members: 4, paid: false)
        try plan.books.write("statement.csv", "date,amount,reference,unit\n2025-12-28,60.00,B-9,U001\n2025-12-29,30.00,B-9,U001\n")
        let refused = try plan.cli.run(["contribution", "import-bank", "statement.csv", "--year", "2026", "--key", "clerk.key"])
        #expect(refused.status == 2 && refused.stderr.contains("row 3") && refused.stderr.contains("bank reference B-9 is already recorded")
                && refused.stderr.contains("one reference is one receipt"), "\(refused.stderr)")
        #expect(try plan.books.scalar("SELECT count(*) FROM events WHERE kind = 'contribution.received'") == 0, "nothing recorded")
        try plan.books.write("statement.csv", "date,amount,reference,unit\n2025-12-28,60.00,B-9,U001\n2025-12-28,60.00,B-9,U001\n")
        #expect(try plan.cli.ok(["contribution", "import-bank", "statement.csv", "--year", "2026", "--key", "clerk.key"]).contains("recorded 1 receipts; 1 already"))
    }

    @Test("the last administrator key cannot be revoked; decisions are not dated before what they decide; plan years may not overlap")
    func datesAndKeys() throws {
        let plan = try MutualAidBooks(members: 2)
        let admin = try plan.books.keyID("admin.key")
        let revoke = try plan.cli.run(["key", "revoke", admin, "--reason", "调岗", "--key", "admin.key"])
        #expect(revoke.status == 2 && revoke.stderr.contains("last administrator key"), "\(revoke.stderr)")
        let (claim, _) = try plan.file(plan.members[0], settlement: "D-1", filed: "2026-03-05", extra: plan.medical(ownShare: "1000"))
        try plan.cli.ok(["claim", "review", "\(claim)", "--key", "approver-1.key"])
        let early = try plan.cli.run(["claim", "approve", "\(claim)", "--date", "2026-03-04", "--key", "approver-1.key"])
        #expect(early.status == 2 && early.stderr.contains("was filed on 2026-03-05; an approval dated 2026-03-04 would come before it"), "\(early.stderr)")
        try plan.cli.ok(["claim", "approve", "\(claim)", "--date", "2026-03-06", "--key", "approver-1.key"])
        let payEarly = try plan.cli.run(["claim", "pay", "\(claim)", "--batch", "P", "--out", "p.csv", "--date", "2026-03-05", "--key", "clerk.key"])
        #expect(payEarly.status == 2 && payEarly.stderr.contains("was approved on 2026-03-06"), "\(payEarly.stderr)")
        // A 2027 plan whose term starts inside 2026's.
        let text = try String(contentsOf: MutualAidBooks.plansDirectory.appendingPathComponent("own-share-15pct-2026.toml"), encoding: .utf8)
            .replacingOccurrences(of: "2027", with: "2028").replacingOccurrences(of: "2026", with: "2027").replacingOccurrences(of: "2025", with: "2026")
            .replacingOccurrences(of: "[enrolment]", with: "[term]\nstart = 2026-07-01\nend = 2027-06-30\n\n[enrolment]")
        try plan.books.write("overlap.toml", text)
        let overlap = try plan.cli.run(["plan", "publish", "overlap.toml", "--key", "admin.key"])
        #expect(overlap.status == 2 && overlap.stderr.contains("overlaps the 2026 plan's"), "\(overlap.stderr)")
        // The audit finds a plan year an insider made overlap another, and an approval dated before the filing.
        try plan.publishOwnSharePlan2027()
        let published = try plan.books.scalar("SELECT max(seq) FROM events WHERE kind = 'plan.published'")
        try LedgerSurgeon(plan.books).rewrite(published) { fields in
            guard case var .object(rules)? = fields.data["rules"], case var .object(term)? = rules["term"] else { return }
            term["start"] = "2026-07-01"
            term["end"] = "2027-06-30"  // a term is at most a year
            rules["term"] = .object(term)
            fields.data["rules"] = .object(rules)
        }
        let overlapping = try plan.books.audit()
        #expect(overlapping.errors("plans").contains { $0.seqs.last == published && $0.explanation.contains("overlaps the 2026 plan's") },
                "\(overlapping.findings)")
        let approval = try plan.books.scalar("SELECT max(seq) FROM events WHERE kind = 'claim.approved'")
        try LedgerSurgeon(plan.books, extraKeys: ["approver-1.key", "approver-2.key", "both.key"]).rewrite(approval) { $0.data["date"] = "2026-03-01" }
        #expect(try plan.books.audit().errors("claims.duties").contains { $0.explanation.contains("before it was filed on 2026-03-05") })
    }

    @Test("settlement ids compare in one spelling: another case or full-width forms are the same claim, rejected as a duplicate")
    func settlementSpelling() throws {
        let plan = try MutualAidBooks(members: 2)
        let (first, _) = try plan.file(plan.members[0], settlement: "yb-case-1", extra: plan.medical(ownShare: "1000"))
        let (second, out) = try plan.file(plan.members[0], settlement: "YB-CASE-1", extra: plan.medical(ownShare: "2000"))
        #expect(second != first && out.contains("REJECTED"), "\(out)")
        let (wide, wideOut) = try plan.file(plan.members[1], settlement: "ＹＢ-ＣＡＳＥ-１", extra: plan.medical(ownShare: "3000"))
        #expect(wide != first && wideOut.contains("REJECTED"), "\(wideOut)")
        // The very same claim again is answered with the first.
        #expect(try plan.file(plan.members[0], settlement: "yb-case-1", extra: plan.medical(ownShare: "1000")).1.contains("already filed"))
        #expect(try plan.books.audit().status == 0)
    }

    @Test("a plan file nesting arrays or inline tables 10,000 deep, or with a 30,000-part dotted key, is refused with a message, not a crash or a hang")
    func parserBounds() throws {
        let books = try CLILedger()
        try books.write("deep.toml", "x = " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\n")
        try books.write("tables.toml", "x = " + String(repeating: "{a = ", count: 10_000) + "1" + String(repeating: "}", count: 10_000) + "\n")
        try books.write("dotted.toml", (0..<30_000).map { "k\($0)" }.joined(separator: ".") + " = 1\n")
        for (file, message) in [("deep.toml", "nested more than 32 deep"), ("tables.toml", "nested more than 32 deep"), ("dotted.toml", "more than 32 parts")] {
            let result = try books.cli.run(["plan", "publish", "--check", file, "--key", "admin.key"])
            #expect(result.status == 2 && result.stderr.contains(message), "\(file): \(result.status) \(result.stderr.prefix(300))")
        }
    }

    @Test("bad input refused with its row and reason: a memo of invalid UTF-8 or with a control character, a plan whose minimum payout no claim can reach, a plan --check that publishing would refuse, another program's database")
    func acceptedBadInput() throws {
        let books = try CLILedger()
        var bytes = Array(#"{"ref":"J-1","date":"2026-10-08","memo":"坏"#.utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array(#"","postings":[{"account":"10201","side":"debit","amount":"1.00"},{"account":"40801","side":"credit","amount":"1.00"}]}"#.utf8) + [0x0A]
        try Data(bytes).write(to: URL(fileURLWithPath: books.path("bad.jsonl")))
        let utf8 = try books.cli.run(["post", "--key", "clerk.key", "--file", "bad.jsonl"])
        #expect(utf8.status == 2 && utf8.stderr.contains("bad.jsonl: row 1") && utf8.stderr.contains("not valid UTF-8"), "\(utf8.stderr)")
        let control = try books.cli.run(["post", "--key", "clerk.key", "--date", "2026-10-08", "--debit", "10201=1", "--credit", "40801=1",
                                         "--memo", "付款\u{1B}[31m"])
        #expect(control.status == 2 && control.stderr.contains("memo") && control.stderr.contains("U+1B"), "\(control.stderr)")
        #expect(try books.scalar("SELECT count(*) FROM events WHERE kind = 'entry.posted'") == 0, "nothing recorded")

        let text = try String(contentsOf: MutualAidBooks.plansDirectory.appendingPathComponent("own-share-15pct-2026.toml"), encoding: .utf8)
        try books.write("minimum.toml", text.replacingOccurrences(of: #"minimumPayout = "20.00""#, with: #"minimumPayout = "7000.00""#))
        let minimum = try books.cli.run(["plan", "publish", "--check", "minimum.toml"])
        #expect(minimum.status == 2 && minimum.stderr.contains("more than the annual cap"), "\(minimum.stderr)")
        try books.write("account.toml", text.replacingOccurrences(of: #"expenseAccount = "50201""#, with: #"expenseAccount = "50299""#))
        let account = try books.cli.run(["plan", "publish", "--check", "account.toml"])
        #expect(account.status == 2 && account.stderr.contains("account 50299 does not exist"), "--check fails where publishing would: \(account.stderr)")

        // A posting with a bad side is quoted as the JSON it was; a claim file's bad date by its file and column.
        try books.write("side.jsonl", #"{"ref":"J-2","date":"2026-10-08","postings":[{"account":"10201","side":"left","amount":"1.00"},{"account":"40801","side":"credit","amount":"1.00"}]}"# + "\n")
        let side = try books.cli.run(["post", "--key", "clerk.key", "--file", "side.jsonl"])
        #expect(side.status == 2 && side.stderr.contains(#"{"account":"10201","amount":"1.00","side":"left"}"#) && !side.stderr.contains("object("), "\(side.stderr)")
        let plan = try MutualAidBooks(members: 1)
        try plan.books.write("settlements.csv", "member,benefit,settlement_id,service_date,own_share\n\(plan.members[0]),medical,S-9,2026-02-30,100\n")
        let dated = try plan.cli.run(["claim", "import", "settlements.csv", "--key", "clerk.key"])
        #expect(dated.status == 2 && dated.stderr.contains("settlements.csv: row 2, service_date \"2026-02-30\""), "\(dated.stderr)")
        try plan.books.write("late.csv", "姓名,身份证号,入会日期\n迟到,\(MutualAidBooks.residentID("11010519800101341")),2025-13-01\n")
        let roster = try plan.cli.run(["member", "enroll", "--unit", "U001", "--year", "2026", "--roster", "late.csv", "--date", "2025-11-01", "--key", "clerk.key"])
        #expect(roster.status == 2 && roster.stderr.contains("late.csv: row 2, 入会日期 \"2025-13-01\""), "\(roster.stderr)")

        // Another program's database: looked at, not changed.
        let other = books.path("other.sqlite")
        try DatabaseQueue(path: other).write { try $0.execute(sql: "CREATE TABLE notes (text TEXT)") }
        let before = try Data(contentsOf: URL(fileURLWithPath: other))
        let verify = try books.cli.run(["verify", "--db", other])
        #expect(verify.status == 2 && verify.stderr.contains("is not a Huzhu ledger"), "\(verify.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: other)) == before)
        #expect(try DatabaseQueue(path: other).read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") } == ["notes"])
    }

    @Test("a roster with a GB18030 row and a UTF-8 row is refused naming the row, not enrolled as mojibake")
    func mixedEncodings() throws {
        let plan = try MutualAidBooks(members: 1)
        var bytes = TextEncoding.gb18030.encode("姓名,身份证号\n")!
        bytes += TextEncoding.gb18030.encode("王五,\(MutualAidBooks.residentID("11010519800101301"))\n")!
        bytes += Array("李四,\(MutualAidBooks.residentID("11010519800101321"))\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: plan.books.path("mixed.csv")))
        let refused = try plan.cli.run(["member", "enroll", "--unit", "U001", "--year", "2026", "--roster", "mixed.csv", "--date", "2025-11-01", "--key", "clerk.key"])
        #expect(refused.status == 2 && refused.stderr.contains("row 3") && refused.stderr.contains("UTF-8 text, but earlier rows are GB18030"), "\(refused.stderr)")
        #expect(try plan.memberIDs(year: 2026).count == 1, "nothing enrolled")

        // A UTF-8 roster with bytes that are not UTF-8 in its third row: that row is blamed, not the header.
        var broken = Array("姓名,身份证号\n王五,\(MutualAidBooks.residentID("11010519800101301"))\n".utf8)
        broken += [0xFF, 0xFE] + Array("坏,\(MutualAidBooks.residentID("11010519800101321"))\n".utf8)
        try Data(broken).write(to: URL(fileURLWithPath: plan.books.path("broken.csv")))
        let badBytes = try plan.cli.run(["member", "enroll", "--unit", "U001", "--year", "2026", "--roster", "broken.csv", "--date", "2025-11-01", "--key", "clerk.key"])
        #expect(badBytes.status == 2 && badBytes.stderr.contains("broken.csv: row 3 (line 3): field 1 is not valid UTF-8 text"), "\(badBytes.stderr)")
    }

    @Test("a batch refused by its rules names the file as well as the row: a roster's rejected rows, a claim file's rule error")
    func batchErrorsNameTheFile() throws {
        let plan = try MutualAidBooks(members: 1)
        try plan.books.write("again.csv", "姓名,身份证号\n\(MutualAidBooks.roster(count: 1).split(separator: "\n")[1].split(separator: ",").prefix(2).joined(separator: ","))\n短号,123\n")
        let roster = try plan.cli.run(["member", "enroll", "--unit", "U001", "--year", "2026", "--roster", "again.csv", "--date", "2025-11-01", "--key", "clerk.key"])
        #expect(roster.status == 2 && roster.stderr.contains("again.csv: 1 row(s) rejected, nothing enrolled") && roster.stderr.contains("row 3: resident ID"),
                "\(roster.stderr)")
        try plan.books.write("claims.csv", "member,benefit,settlement_id,service_date,own_share\n\(plan.members[0]),medical,S-1,2026-03-01,100\nm-nobody,medical,S-2,2026-03-01,100\n")
        let claims = try plan.cli.run(["claim", "import", "claims.csv", "--key", "clerk.key"])
        #expect(claims.status == 2 && claims.stderr.contains("claims.csv: row 3"), "\(claims.stderr)")
    }

    @Test("a name a spreadsheet would run as a formula reaches the bank's file neutralised; bundles are the owner's only")
    func formulasAndModes() throws {
        let plan = try MutualAidBooks(members: 2)
        try plan.cli.ok(["member", "update", plan.members[0], "--name", "=1+2+cmd|A0", "--reason", "测试", "--key", "clerk.key"])
        let claim = try approvedClaim(plan)
        try plan.cli.ok(["claim", "pay", "\(claim)", "--batch", "P-1", "--out", "pay.csv", "--date", "2026-04-10", "--key", "clerk.key"])
        let file = try String(contentsOfFile: plan.books.path("pay.csv"), encoding: .utf8)
        #expect(file.contains(",'=1+2+cmd|A0,") && !file.contains(",=1+2"), "\(file)")
        try plan.cli.ok(["audit", "export", "--out", "bundle"])
        #expect(mode(plan.books.path("bundle")) == 0o700 && mode(plan.books.path("bundle/events.jsonl")) == 0o600)
    }

    @Test("a ledger this user may only read, in a folder it may not write, verifies, audits, reports and lists; a write is refused by name; nothing is created beside it")
    func readOnlyLedger() throws {
        let plan = try MutualAidBooks(members: 2)
        _ = try approvedClaim(plan)
        try plan.cli.ok(["checkpoint", "--key", "admin.key"])  // a clean audit saves the checkpoint it rests on
        // A copy an auditor may only read: the file 0444 in a folder 0555. Root passes every
        // permission check, so as root the commands run as nobody (setpriv).
        let asRoot = getuid() == 0
        let folder = NSTemporaryDirectory() + "huzhu-read-only-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        defer {
            chmod(folder, 0o755)
            try? FileManager.default.removeItem(atPath: folder)
        }
        #expect(!FileManager.default.fileExists(atPath: plan.books.database + "-wal"), "the ledger was closed cleanly")
        let ledger = folder + "/huzhu.db"
        try FileManager.default.copyItem(atPath: plan.books.database, toPath: ledger)
        let key = folder + "/clerk.key"
        try FileManager.default.copyItem(atPath: plan.books.path("clerk.key"), toPath: key)
        if asRoot { #expect(chown(key, 65534, 65534) == 0) }
        #expect(chmod(ledger, 0o444) == 0 && chmod(folder, 0o555) == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: ledger))
        var reader = CLI(directory: folder)
        if asRoot { reader.launcher = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] }

        let verify = try reader.run(["verify", "--db", ledger])
        #expect(verify.status == 0 && verify.stdout.contains("ok: "), "\(verify.stderr)")
        let audit = try reader.run(["audit", "--db", ledger])
        #expect(audit.status == 0 && audit.stdout.contains("no findings"), "\(audit.stdout)\(audit.stderr)")
        #expect(audit.stderr.contains("the audit state was not saved: cannot write \(ledger).audit-state.json: Permission denied"), "\(audit.stderr)")
        for command in [["report", "fund", "--year", "2026"], ["claim", "list", "--year", "2026"], ["member", "list", "--year", "2026"]] {
            let result = try reader.run(command + ["--db", ledger])
            #expect(result.status == 0 && !result.stdout.isEmpty, "\(command): \(result.stderr)")
        }
        let write = try reader.run(["unit", "add", "U009", "--name", "新单位", "--db", ledger, "--key", key])
        #expect(write.status == 2 && write.stderr.contains("\(ledger) is read-only for this user: commands that only read it (verify, audit, reports, lists) work, this one writes"),
                "\(write.stderr)")
        let unreadable = try reader.run(["unit", "add", "U009", "--name", "新单位", "--db", ledger, "--key", plan.books.path("clerk.key")])
        if asRoot {
            #expect(unreadable.status == 2 && unreadable.stderr.contains("cannot read ") && !unreadable.stderr.contains("NSCocoaErrorDomain"), "\(unreadable.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["clerk.key", "huzhu.db"], "no journal, index or state beside it")
        #expect(try Data(contentsOf: URL(fileURLWithPath: ledger)) == bytes)
    }
}
