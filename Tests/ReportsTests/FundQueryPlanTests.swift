import GRDB
import Ledger
import MutualAid
import Testing
@testable import Reports

/// The mutual-aid reports read claims by date through indexes: SQLite's plan for each
/// query searches an index, and scans neither the claims table nor the event log.
@Suite("fund report queries use the claims indexes")
struct FundQueryPlanTests {
    /// Each query with the number of parameters it binds and the indexes its plan must use.
    static let queries: [(name: String, sql: String, parameters: Int, indexes: [String])] = [
        ("approved", ClaimActivity.approvedSQL, 3, ["claims_by_approved_on", "claim_reversals_by_reversed_on", "claim_reversals_by_date"]),
        ("paid", ClaimActivity.paidSQL, 2, ["claims_by_paid_on", "claim_reversals_by_reversed_on", "claim_reversals_by_date"]),
        ("pending", ClaimActivity.pendingSQL, 1,
         ["claims_by_state", "claims_by_approved_on", "events_claim_rejected_by_date", "claim_reversals_by_reversed_on"]),
        ("rejections", ClaimActivity.rejectionsSQL, 2, ["claims_by_filed_on", "events_claim_rejected_by_date"]),
        ("register", ClaimsRegisterReport.linesSQL, 3,
         ["claims_by_filed_on", "claims_by_approved_on", "claims_by_paid_on", "events_claim_rejected_by_date", "claim_reversals_by_date"]),
        ("contribution corrections", ContributionCorrections.sql, 2, ["events_contribution_reversals_by_date"]),
    ]

    @Test("no query scans claims or events", arguments: FundQueryPlanTests.queries.map(\.name))
    func searchesIndexes(name: String) throws {
        let query = try #require(FundQueryPlanTests.queries.first { $0.name == name })
        let directory = ReportTestDirectory()
        let ledger = try HuzhuLedger.create(path: directory.file("huzhu.db"), name: "查询计划", admin: SigningKey(), adminHolder: "管理员")
        let plan = try MutualAidBook(ledger: ledger).read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + query.sql,
                             arguments: StatementArguments(Array(repeating: "2026-03-31", count: query.parameters)))
                .map { $0["detail"] as String }
        }
        #expect(!plan.isEmpty)
        for step in plan where step.hasPrefix("SCAN ") {
            // A scan of a subquery's rows or a compound's result is fine; of a table it is not.
            #expect(!step.contains("claims") && !step.contains("events") && !step.hasPrefix("SCAN c") && !step.hasPrefix("SCAN e "),
                    "\(name) scans: \(step)\n\(plan.joined(separator: "\n"))")
        }
        for index in query.indexes {
            #expect(plan.contains { $0.hasPrefix("SEARCH") && $0.contains("INDEX \(index) ") }, "\(name) does not use \(index):\n\(plan.joined(separator: "\n"))")
        }
    }
}
