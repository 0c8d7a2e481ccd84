import GRDB
import Ledger
import MutualAid

/// A month may not close while claims approved in it are still unpaid past the plan's
/// payment limit: the books would publish a payable the office has failed to honour.
public struct UnpaidClaimsCloseRule: PeriodCloseRule {
    public let name = "unpaid-claims"
    public init() {}

    public func refusal(closing period: Period, today: LedgerDate, reader: any LedgerStoreReader) throws -> String? {
        guard let transaction = reader as? SQLiteLedgerStore.Transaction else { return nil }
        let rows = try Row.fetchAll(transaction.db, sql: """
            SELECT c.claim_id, c.approved_on, p.rules FROM claims c JOIN plans p ON p.year = c.plan_year
            WHERE c.state = 'approved' AND c.approved_on >= ? AND c.approved_on <= ?
            """, arguments: [period.firstDay.text, period.lastDay.text])
        var overdue: [String] = []
        for row in rows {
            guard let approved = try? LedgerDate(row[1] as String),
                  let rules = try? PlanRules(json: try JSONParser.parse(row[2] as String)) else { continue }
            let due = rules.paymentDue(approvedOn: approved)
            if due < today { overdue.append("claim \(row[0] as String) (approved \(approved), due \(due))") }
        }
        guard !overdue.isEmpty else { return nil }
        return "\(overdue.count) claim(s) approved in \(period) are unpaid past the plan's payment limit: "
            + overdue.prefix(10).joined(separator: ", ") + (overdue.count > 10 ? ", …" : "")
    }
}
