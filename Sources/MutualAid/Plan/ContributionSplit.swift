import Ledger

/// The contribution per participant per plan year (互助金缴费标准) and who pays it.
///
/// A plan's rate is split among the member's work unit (单位), the union's subsidy
/// (工会补助, e.g. from the higher-level union) and the member (个人). The parts must
/// add up to the rate exactly: the audit checks contributions received equal headcount
/// × each part, so a split that does not sum would make every unit look short or over.
///
/// Example: the 60-yuan unit-paid plan is `rate 60 = unit 60 + unionSubsidy 0 + member 0`.
public struct ContributionSplit: Sendable, Hashable {
    public let rate: Money
    public let unit: Money
    public let unionSubsidy: Money
    public let member: Money

    public init(rate: Money, unit: Money, unionSubsidy: Money, member: Money) {
        self.rate = rate
        self.unit = unit
        self.unionSubsidy = unionSubsidy
        self.member = member
    }

    /// Problems with the split, located in table `contribution`.
    func problems(table: String) -> [PlanRulesProblem] {
        var problems: [PlanRulesProblem] = []
        func add(_ key: String, _ message: String) {
            problems.append(PlanRulesProblem(table: table, key: key, message: message))
        }
        if rate.fen <= 0 { add("rate", "the contribution rate must be greater than zero, found \(rate.formatted())") }
        for (key, part) in [("unit", unit), ("unionSubsidy", unionSubsidy), ("member", member)] where part.fen < 0 {
            add(key, "a payer's part cannot be negative, found \(part.formatted())")
        }
        for (key, amount) in [("rate", rate), ("unit", unit), ("unionSubsidy", unionSubsidy), ("member", member)]
        where amount.fen > Money.parseableMaxFen {
            add(key, "\(amount.formatted()) is larger than any amount the ledger records")
        }
        if problems.isEmpty, unit.fen + unionSubsidy.fen + member.fen != rate.fen {
            let sum = Money(fen: unit.fen + unionSubsidy.fen + member.fen)
            add("rate", "the payers' parts add up to \(sum.formatted()) (unit \(unit.formatted()) + union subsidy "
                + "\(unionSubsidy.formatted()) + member \(member.formatted())), but the rate is \(rate.formatted()); "
                + "they must be equal")
        }
        return problems
    }
}
