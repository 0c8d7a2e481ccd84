import Ledger
import MutualAid

/// A month may not close while claims approved in it are still unpaid past the plan's
/// payment limit: the books would publish a payable the office has failed to honour.
public struct UnpaidClaimsCloseRule: PeriodCloseRule {
    public let name = "unpaid-claims"
    public init() {}

    public func refusal(closing period: Period, today: LedgerDate, reader: any LedgerStoreReader) throws -> String? {
        let records = try mutualAidRecords(reader)
        var rules: [Int: PlanRules] = [:]
        for text in try records.publishedPlanRules(limit: Int.max) {
            if let plan = try? PlanRules(json: try JSONParser.parse(text)) { rules[plan.year] = plan }
        }
        var overdue: [String] = []
        for claim in try records.unpaidApprovedClaims(from: period.firstDay, through: period.lastDay) {
            guard let plan = rules[claim.planYear] else { continue }
            let due = plan.paymentDue(approvedOn: claim.approvedOn)
            if due < today { overdue.append("claim \(claim.claim) (approved \(claim.approvedOn), due \(due))") }
        }
        guard !overdue.isEmpty else { return nil }
        return "\(overdue.count) claim(s) approved in \(period) are unpaid past the plan's payment limit: "
            + overdue.prefix(10).joined(separator: ", ") + (overdue.count > 10 ? ", …" : "")
    }
}
