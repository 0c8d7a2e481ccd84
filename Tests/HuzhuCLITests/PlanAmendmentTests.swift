import Foundation
import GRDB
import Ledger
import Testing

/// Amending a published plan through the real binary: what it refuses, which claims the
/// new rules assess (by service date, never a claim already filed), and the audit's
/// recomputation by the same rule.
@Suite("huzhu plan publish --amend", .serialized)
struct PlanAmendmentTests {
    /// The own-share plan's file with the medical benefit's 15% ratio replaced.
    static func ownSharePlan(ratio: String = "0.15", edit: (String) -> String = { $0 }) throws -> String {
        let text = try String(contentsOf: MutualAidBooks.plansDirectory.appendingPathComponent("own-share-15pct-2026.toml"), encoding: .utf8)
        return edit(text.replacingOccurrences(of: "ratio = 0.15", with: "ratio = \(ratio)"))
    }

    @Test("a plan published again with other rules is refused without --amend, and the ledger is unchanged")
    func refusedWithoutAmend() throws {
        let plan = try MutualAidBooks()
        try plan.books.write("raised.toml", try Self.ownSharePlan(ratio: "0.2"))
        let before = try plan.books.lastSeq()
        let refused = try plan.cli.run(["plan", "publish", "raised.toml", "--key", "admin.key"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("already published") && refused.stderr.contains("--amend --effective"), "\(refused.stderr)")
        #expect(refused.stderr.contains("benefits[medical].ratio: 3/20 → 1/5"), "\(refused.stderr)")

        try plan.books.write("priced.toml", try Self.ownSharePlan(ratio: "0.2") { $0.replacingOccurrences(of: "rate = 60", with: "rate = 70").replacingOccurrences(of: "unit = 30", with: "unit = 40") })
        let repriced = try plan.cli.run(["plan", "publish", "priced.toml", "--amend", "--effective", "2026-07-01", "--reason", "price",
                                         "--key", "admin.key"])
        #expect(repriced.status != 0)
        #expect(repriced.stderr.contains("may not change contribution.rateFen"), "\(repriced.stderr)")

        let outside = try plan.cli.run(["plan", "publish", "raised.toml", "--amend", "--effective", "2027-01-01", "--reason", "later",
                                        "--key", "admin.key"])
        #expect(outside.status != 0)
        #expect(outside.stderr.contains("a day of the plan's term"), "\(outside.stderr)")

        let unreasoned = try plan.cli.run(["plan", "publish", "raised.toml", "--amend", "--effective", "2026-07-01", "--key", "admin.key"])
        #expect(unreasoned.status != 0 && unreasoned.stderr.contains("--reason"), "\(unreasoned.stderr)")

        try plan.books.write("other.toml", try Self.ownSharePlan().replacingOccurrences(of: "id = \"own-share-15pct-2026\"", with: "id = \"second-2026\""))
        let second = try plan.cli.run(["plan", "publish", "other.toml", "--key", "admin.key"])
        #expect(second.status != 0 && second.stderr.contains("already has plan own-share-15pct-2026"), "\(second.stderr)")
        #expect(try plan.books.lastSeq() == before)
    }

    @Test("an amendment assesses later service dates only, plan show lists it, and the audit agrees")
    func amendmentByServiceDate() throws {
        let plan = try MutualAidBooks()
        // Filed before the amendment, for a service date after its effective day: stays at 15%.
        let (early, _) = try plan.file(plan.members[0], settlement: "A0", service: "2026-08-01", filed: "2026-08-03",
                                       extra: plan.medical(ownShare: "1000"))
        try plan.books.write("raised.toml", try Self.ownSharePlan(ratio: "0.2"))
        let amended = try plan.cli.ok(["plan", "publish", "raised.toml", "--amend", "--effective", "2026-07-01",
                                       "--reason", "理事会决议提高比例", "--key", "admin.key"])
        #expect(amended.contains("amended plan own-share-15pct-2026") && amended.contains("from 2026-07-01"), "\(amended)")
        #expect(amended.contains("benefits[medical].ratio: 3/20 → 1/5"), "\(amended)")
        let again = try plan.cli.ok(["plan", "publish", "raised.toml", "--amend", "--effective", "2026-07-01", "--reason", "again",
                                     "--key", "admin.key"])
        #expect(again.contains("nothing written"), "\(again)")

        let (before, _) = try plan.file(plan.members[1], settlement: "A1", service: "2026-06-30", filed: "2026-08-05",
                                        extra: plan.medical(ownShare: "1000"))
        let (after, _) = try plan.file(plan.members[1], settlement: "A2", service: "2026-07-01", filed: "2026-08-05",
                                       extra: plan.medical(ownShare: "1000"))
        func assessed(_ id: Int64) throws -> Int? { try plan.claim(id)["assessedFen"] as? Int }
        #expect(try assessed(early) == 15_000)
        #expect(try assessed(before) == 15_000)
        #expect(try assessed(after) == 20_000)

        let shown = try plan.cli.ok(["plan", "show", "--year", "2026"])
        #expect(shown.contains("effective 2026-07-01: benefits[medical].ratio: 3/20 → 1/5"), "\(shown)")

        let audit = try plan.books.audit()
        #expect(audit.status == 0 && audit.findings.isEmpty, "\(audit.findings)")
    }

    @Test("claims.assessment: a claim that names rules not in force on its service date")
    func auditNamesTheRulesInForce() throws {
        let plan = try MutualAidBooks()
        let first = try plan.books.scalar("SELECT seq FROM events WHERE kind = 'plan.published'")
        try plan.books.write("raised.toml", try Self.ownSharePlan(ratio: "0.2"))
        try plan.cli.ok(["plan", "publish", "raised.toml", "--amend", "--effective", "2026-07-01", "--reason", "raised", "--key", "admin.key"])
        let amendment = try plan.books.lastSeq()
        let (claim, _) = try plan.file(plan.members[0], settlement: "A1", service: "2026-07-02", filed: "2026-07-05",
                                       extra: plan.medical(ownShare: "1000"))
        // An insider makes the claim name the old rules and recomputes its payout by them.
        try LedgerSurgeon(plan.books).rewrite(claim) { fields in
            fields.data["plan"] = .integer(first)
            guard case var .object(assessment)? = fields.data["assessment"] else { return }
            assessment["payoutFen"] = .integer(15_000)
            fields.data["assessment"] = .object(assessment)
        }
        let found = try plan.books.audit().errors("claims.assessment")
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.seqs == [first, amendment, claim], "\(found)")
        #expect(found.first?.explanation.contains("in force were those published at seq \(amendment)") == true, "\(found)")
    }

    @Test("plans: an amendment that changes what an amendment may not")
    func auditRefusedAmendment() throws {
        let plan = try MutualAidBooks()
        try plan.books.write("raised.toml", try Self.ownSharePlan(ratio: "0.2"))
        try plan.cli.ok(["plan", "publish", "raised.toml", "--amend", "--effective", "2026-07-01", "--reason", "raised", "--key", "admin.key"])
        let amendment = try plan.books.lastSeq()
        try LedgerSurgeon(plan.books).rewrite(amendment) { fields in
            guard case var .object(rules)? = fields.data["rules"], case var .object(term)? = rules["term"] else { return }
            term["end"] = .string("2026-12-30")
            rules["term"] = .object(term)
            fields.data["rules"] = .object(rules)
        }
        let found = try plan.books.audit().errors("plans")
        #expect(found.count == 1 && found.first?.explanation.contains("term.end") == true, "\(found)")
    }

    @Test("a ledger from before plan publications were kept (migration v10) gets every publication back from the log",
          arguments: CLILedger.Store.allCases)
    func publicationsMigrated(store: CLILedger.Store) throws {
        let plan = try MutualAidBooks(store: store)
        try plan.books.write("raised.toml", try Self.ownSharePlan(ratio: "0.2"))
        try plan.cli.ok(["plan", "publish", "raised.toml", "--amend", "--effective", "2026-07-01", "--reason", "raised", "--key", "admin.key"])
        let shown = try plan.cli.ok(["plan", "show", "--year", "2026"])
        let publications = "SELECT seq || ' ' || year || ' ' || plan_id || ' ' || coalesce(effective_on, '-') || ' ' || rules FROM plans ORDER BY seq"
        // The table as migration v1 made it, holding the newest publication of the year.
        let revert = """
            CREATE TABLE old_plans AS SELECT year, plan_id, seq, rules FROM plans WHERE seq = (SELECT max(seq) FROM plans);
            DROP TABLE plans;
            ALTER TABLE old_plans RENAME TO plans;
            """
        let before: String
        switch store {
        case .sqlite:
            before = try DatabaseQueue(path: plan.books.database).read { try String.fetchAll($0, sql: publications).joined(separator: "\n") }
            try DatabaseQueue(path: plan.books.database).write { db in
                try db.execute(sql: revert + "DELETE FROM grdb_migrations WHERE identifier = 'mutual-aid-v10-plan-publications';")
            }
        case .postgres:
            before = try PostgresConcurrencyTests.psql(plan.books.location, publications, in: plan.books.directory)
            _ = try PostgresConcurrencyTests.psql(plan.books.location, revert + "DELETE FROM schema_versions WHERE name = 'mutual-aid-v10-plan-publications';",
                                                  in: plan.books.directory)
        }
        #expect(before.split(separator: "\n").count == 2 && before.contains(" 2026-07-01 {"), "\(before)")
        #expect(try plan.cli.ok(["plan", "show", "--year", "2026"]) == shown)
        let after = switch store {
        case .sqlite: try DatabaseQueue(path: plan.books.database).read { try String.fetchAll($0, sql: publications).joined(separator: "\n") }
        case .postgres: try PostgresConcurrencyTests.psql(plan.books.location, publications, in: plan.books.directory)
        }
        #expect(after == before)
        let audit = try plan.books.audit()
        #expect(audit.status == 0 && audit.findings.isEmpty, "\(audit.findings)")
    }
}
