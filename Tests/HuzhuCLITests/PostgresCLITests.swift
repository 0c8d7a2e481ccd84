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
}
