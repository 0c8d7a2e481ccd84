import Foundation
import Testing

/// The CLI on a PostgreSQL ledger (`--db postgres://…`, here through `HUZHU_DB`): the same
/// plan year recorded through the same commands into a ledger file and into a database on
/// the cluster `scripts/test` starts gives the same register, the same report figures and
/// a clean audit and verification on both.
@Suite("huzhu on PostgreSQL")
struct PostgresCLITests {
    /// A plan year's work: members enrolled, billed and paid (in `MutualAidBooks`), claims
    /// filed, one rejected, the others reviewed, approved and paid.
    static func planYear(on store: CLILedger.Store) throws -> MutualAidBooks {
        let plan = try MutualAidBooks(members: 6, store: store)
        for (index, ownShare) in ["800", "2500", "12000"].enumerated() {
            let (id, _) = try plan.file(plan.members[index], settlement: "S-\(index)", extra: plan.medical(ownShare: ownShare))
            try plan.approveFully(id)
        }
        let (rejected, _) = try plan.file(plan.members[3], settlement: "S-9", extra: plan.medical(ownShare: "600"))
        try plan.cli.ok(["claim", "reject", "\(rejected)", "--reason", "重复报销", "--date", "2026-04-02", "--key", "approver-1.key"])
        try plan.cli.ok(["claim", "pay", "--all", "--batch", "PAY-2026-04", "--date", "2026-04-10", "--out", "pay.csv", "--key", "clerk.key"])
        return plan
    }

    /// Output with what differs between two ledgers of the same work left out: their ids,
    /// their keys (each ledger has its own) and so their roots.
    static func comparable(_ text: String) -> String {
        text.replacingOccurrences(of: "[0-9a-f]{64}", with: "<hash>", options: .regularExpression)
            .replacingOccurrences(of: "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", with: "<ledger>", options: .regularExpression)
            .replacingOccurrences(of: "\\b[0-9a-f]{16}\\b", with: "<key>", options: .regularExpression)
    }

    @Test("a plan year recorded on PostgreSQL reads back as on a ledger file, and audits and verifies clean")
    func sameBooks() throws {
        let file = try Self.planYear(on: .sqlite)
        let database = try Self.planYear(on: .postgres)
        #expect(database.books.location.hasPrefix("postgres://"))
        for command in [["claim", "list", "--year", "2026", "--format", "json"], ["member", "list", "--year", "2026"],
                        ["report", "fund", "--year", "2026"], ["report", "fund", "--month", "2026-04", "--format", "json"],
                        ["report", "trial-balance", "--year", "2026"], ["unit", "list", "--year", "2026"]] {
            let expected = try file.cli.run(command), found = try database.cli.run(command)
            #expect(found.status == expected.status, "\(command)")
            #expect(Self.comparable(found.stdout) == Self.comparable(expected.stdout), "\(command)")
        }
        let fund = try database.cli.ok(["report", "fund", "--year", "2026"])
        #expect(fund.contains("住院") || fund.contains("medical"))
        let paid = try database.cli.ok(["claim", "list", "--year", "2026", "--state", "paid", "--format", "json"])
        #expect((try JSONSerialization.jsonObject(with: Data(paid.utf8)) as? [Any])?.count == 3)
        try database.cli.ok(["checkpoint", "--key", "admin.key"])
        let audit = try database.cli.run(["audit"])
        #expect(audit.status == 0, "\(audit.stdout)\(audit.stderr)")
        #expect(try database.cli.ok(["verify"]).hasPrefix("ok: "))
    }

    @Test("a register row changed in the database behind the log's back is found by the audit's replay, naming the claim")
    func replayFindsEditedRow() throws {
        let database = try Self.planYear(on: .postgres)
        #expect(try database.cli.run(["audit"]).stdout.contains("books.replay                0         0     0"))
        let claim = try #require((try JSONSerialization.jsonObject(with: Data(try database.cli.ok(
            ["claim", "list", "--year", "2026", "--state", "paid", "--format", "json"]).utf8)) as? [[String: Any]])?.first?["claim"] as? Int)
        let edit = try ExternalTool.run(["psql"], ["-X", "-q", database.books.location, "-c",
                                                   "UPDATE claims SET paid_fen = paid_fen + 100000 WHERE claim_id = '\(claim)'"],
                                        in: database.books.directory)
        #expect(edit.status == 0, "\(edit.stderr)")
        let audit = try database.cli.run(["audit"])
        #expect(audit.status == 1, "\(audit.stdout)")
        #expect(audit.stdout.contains("ERROR books.replay") && audit.stdout.contains("claims: the ledger has a row a replay of the log does not produce")
                && audit.stdout.contains("claim_id=\(claim)"), "\(audit.stdout)")
    }

    @Test("db grant: a clerk role records and pays claims but cannot update or delete the log; an auditor role audits and cannot post")
    func roles() throws {
        let plan = try MutualAidBooks(members: 3, store: .postgres)
        let owner = plan.books.location, folder = plan.books.directory
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let clerk = "clerk_\(suffix)", auditor = "auditor_\(suffix)"
        _ = try PostgresConcurrencyTests.psql(owner, "CREATE ROLE \(clerk) LOGIN; CREATE ROLE \(auditor) LOGIN", in: folder)
        let granted = try plan.cli.ok(["db", "grant", "--clerk", clerk, "--auditor", auditor])
        #expect(granted.contains("\(clerk): clerk") && granted.contains("\(auditor): auditor"), "\(granted)")
        let url = { (role: String) in owner.replacingOccurrences(of: "//huzhu@", with: "//\(role)@") }
        let asClerk = CLI(directory: folder, environment: ["HUZHU_DB": url(clerk)])
        let asAuditor = CLI(directory: folder, environment: ["HUZHU_DB": url(auditor)])

        let filed = try asClerk.ok(["claim", "file", "--member", plan.members[0], "--benefit", "medical", "--settlement", "R-1",
                                    "--service-date", "2026-03-01", "--filed-on", "2026-03-05", "--key", "clerk.key"] + plan.medical(ownShare: "1000"))
        let claim = try #require(Int64(filed.split(separator: " ")[1]))
        try asClerk.ok(["claim", "review", "\(claim)", "--key", "approver-1.key"])
        try asClerk.ok(["claim", "approve", "\(claim)", "--date", "2026-03-07", "--key", "approver-1.key"])
        try asClerk.ok(["claim", "pay", "--all", "--batch", "PAY-R", "--date", "2026-03-10", "--out", "pay-r.csv", "--key", "clerk.key"])
        for sql in ["UPDATE events SET kind = kind WHERE seq = 1", "DELETE FROM checkpoints", "DELETE FROM merkle_nodes", "TRUNCATE events"] {
            let refused = try ExternalTool.run(["psql"], ["-X", "-q", url(clerk), "-c", sql], in: folder)
            #expect(refused.status != 0 && refused.stderr.contains("permission denied"), "\(sql): \(refused.stderr)")
        }

        let audit = try asAuditor.run(["audit", "--state", "auditor-state.json"])
        #expect(audit.status == 0 && audit.stdout.contains("books.replay                0         0     0"), "\(audit.stdout)\(audit.stderr)")
        #expect(try asAuditor.ok(["verify"]).hasPrefix("ok: "))
        let post = try asAuditor.run(["post", "--key", "clerk.key", "--date", "2026-10-08", "--debit", "10201=1.00", "--credit", "40801=1.00"])
        #expect(post.status != 0 && post.stderr.contains("permission denied"), "\(post.stderr)")

        let file = try CLILedger()
        let onFile = try file.cli.run(["db", "grant", "--clerk", clerk])
        #expect(onFile.status == 2 && onFile.stderr.contains("roles are PostgreSQL's"), "\(onFile.stderr)")
    }

    @Test("a settlement file of 1,205 claims, read ahead a chunk at a time on PostgreSQL, is filed as on a file: caps bind across chunks, a repeated settlement is a duplicate, a second import files nothing")
    func importReadAhead() throws {
        var outputs: [[String]] = []
        for store in CLILedger.Store.allCases {
            let plan = try MutualAidBooks(members: 4, store: store)
            var csv = "member,benefit,settlement_id,service_date,filed_on,total_cost,covered,own_share\n"
            for index in 0..<1_205 {
                csv += "\(plan.members[index % 4]),medical,RA\(index),2026-03-01,2026-03-05,600.00,300.00,150.00\n"
            }
            // The same settlement again with another amount: recorded, rejected as a duplicate.
            csv += "\(plan.members[1]),medical,RA7,2026-03-01,2026-03-05,900.00,450.00,225.00\n"
            try plan.books.write("settlements.csv", csv)
            let first = try plan.cli.ok(["claim", "import", "settlements.csv", "--key", "clerk.key"])
            let again = try plan.cli.ok(["claim", "import", "settlements.csv", "--key", "clerk.key"])
            #expect(again.contains("1206 already on file"), "\(again)")
            let list = try plan.cli.ok(["claim", "list", "--year", "2026", "--format", "json"])
            let claims = try #require(try JSONSerialization.jsonObject(with: Data(list.utf8)) as? [[String: Any]])
            let paidTo = { (member: String) in claims.filter { $0["member"] as? String == member }.compactMap { $0["assessedFen"] as? Int }.reduce(0, +) }
            // 302 claims of 22.50 each would be 6,795.00: the 6,000.00 cap binds in the second chunk.
            #expect(paidTo(plan.members[0]) == 600_000, "\(paidTo(plan.members[0]))")
            #expect(claims.contains { ($0["reason"] as? String ?? "").contains("RA7") }, "\(claims.suffix(2))")
            // Decided in batches of more than one read-ahead chunk: three rejected from a file, the rest reviewed and approved by filter.
            let ids = claims.compactMap { $0["claim"] as? Int }.sorted()
            try plan.books.write("reject.csv", "claim,reason\n" + ids.prefix(3).map { "\($0),发票不符" }.joined(separator: "\n") + "\n")
            let rejected = try plan.cli.ok(["claim", "reject", "--file", "reject.csv", "--date", "2026-03-20", "--key", "approver-1.key"])
            let reviewed = try plan.cli.ok(["claim", "review", "--all", "--key", "approver-1.key"])
            let approved = try plan.cli.ok(["claim", "approve", "--all", "--date", "2026-03-21", "--key", "approver-2.key"])
            #expect(reviewed.contains("recorded 1065 reviews") && approved.contains("recorded 1065 approvals"), "\(reviewed)\(approved)")
            outputs.append([first, again, list, rejected, reviewed, approved, try plan.cli.ok(["claim", "list", "--year", "2026", "--format", "json"]),
                            try plan.cli.ok(["report", "fund", "--year", "2026"])].map(Self.comparable))
        }
        #expect(outputs[0] == outputs[1])
    }
}

