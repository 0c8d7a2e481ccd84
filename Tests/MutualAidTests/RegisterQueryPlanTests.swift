import Foundation
import GRDB
import Ledger
@testable import MutualAid
@testable import MutualAidSQLite
import Testing

/// The mutual-aid reports read claims by date through indexes: SQLite's plan for each of the
/// register's queries (`SQLiteMutualAidRegister`) searches an index (the day tallies' key for
/// the fund report's sums), and scans neither the claims table nor the event log.
@Suite("fund report queries use the claims indexes")
struct RegisterQueryPlanTests {
    /// Each query with the number of parameters it binds and the indexes its plan must use
    /// (`INDEX name`, or a table's `PRIMARY KEY`).
    static let queries: [(name: String, sql: String, parameters: Int, indexes: [String])] = [
        ("approved", SQLiteMutualAidRegister.approvedSQL, 3, ["claim_day_tallies USING PRIMARY KEY"]),
        ("paid", SQLiteMutualAidRegister.paidSQL, 2, ["claim_day_tallies USING PRIMARY KEY"]),
        ("pending", SQLiteMutualAidRegister.pendingSQL, 1, ["claim_day_tallies USING PRIMARY KEY"]),
        ("rejections", SQLiteMutualAidRegister.rejectionsSQL, 2, ["INDEX claims_by_filed_on", "INDEX events_claim_rejected_by_date"]),
        ("register", SQLiteMutualAidRegister.claimsOfSpanQuery, 3,
         ["INDEX claims_by_filed_on", "INDEX claims_by_approved_on", "INDEX claims_by_paid_on", "INDEX events_claim_rejected_by_date",
          "INDEX claim_reversals_by_date"]),
        ("contribution corrections", SQLiteMutualAidRegister.reversalsSQL, 2, ["INDEX events_contribution_reversals_by_date"]),
    ]

    @Test("no query scans claims or events", arguments: RegisterQueryPlanTests.queries.map(\.name))
    func searchesIndexes(name: String) throws {
        let query = try #require(RegisterQueryPlanTests.queries.first { $0.name == name })
        let directory = NSTemporaryDirectory() + "huzhu-plan-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ledger = try HuzhuLedger.create(path: directory + "/huzhu.db", name: "查询计划", admin: SigningKey(), adminHolder: "管理员")
        let plan = try ledger.read { reader in
            try Row.fetchAll(try #require(reader as? SQLiteLedgerStore.Transaction).db, sql: "EXPLAIN QUERY PLAN " + query.sql,
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
            #expect(plan.contains { $0.hasPrefix("SEARCH") && $0.contains(index + " ") }, "\(name) does not use \(index):\n\(plan.joined(separator: "\n"))")
        }
    }
}
