import Ledger
import MutualAid

/// The plan rules published in the ledger, as the mutual-aid reports need them: each
/// benefit's name and expense account, and the accounts the plans move money through.
///
/// A ledger holds a plan per year, and a report period can touch two plan years (the
/// 2027 plan is billed in late 2026), so figures are read off the accounts of every
/// published plan. With none published the default chart's accounts are used.
struct PublishedPlans {
    /// A benefit as the reports list it, by its code across plan years.
    struct BenefitLine: Hashable {
        let code: String
        /// The name in the newest plan that has the benefit.
        let name: String
    }

    /// Published plans by year, oldest first.
    let plans: [PlanRules]
    /// Benefits in the order the newest plan lists them, then older plans' others.
    let benefits: [BenefitLine]
    /// The plans' account roles, each role's codes without repeats.
    let bank: [AccountCode]
    let contributionsReceivable: [AccountCode]
    let subsidyReceivable: [AccountCode]
    let contributionRevenue: [AccountCode]
    let subsidyRevenue: [AccountCode]
    let claimsPayable: [AccountCode]
    let refundsPayable: [AccountCode]
    /// Every benefit's expense account, in code order, without repeats.
    let benefitExpense: [AccountCode]

    /// A ledger publishes one plan a year; more rows than this is not a plan table.
    static let planCountMax = 200

    init(records: any MutualAidRecords) throws {
        let rows = try records.publishedPlanRules(limit: PublishedPlans.planCountMax)
        let plans = try rows.map { try PlanRules(json: try JSONParser.parse($0)) }
        self.plans = plans
        var benefits: [BenefitLine] = []
        var seen: Set<String> = []
        for plan in plans.reversed() {
            for benefit in plan.benefits where seen.insert(benefit.code).inserted {
                benefits.append(BenefitLine(code: benefit.code, name: benefit.name))
            }
        }
        self.benefits = benefits
        let accounts = plans.isEmpty ? [PlanAccounts.standard] : plans.map(\.accounts)
        func unique(_ role: (PlanAccounts) -> AccountCode) -> [AccountCode] {
            var result: [AccountCode] = []
            for code in accounts.map(role) where !result.contains(code) { result.append(code) }
            return result
        }
        bank = unique(\.bank)
        contributionsReceivable = unique(\.contributionsReceivable)
        subsidyReceivable = unique(\.subsidyReceivable)
        contributionRevenue = unique(\.contributionRevenue)
        subsidyRevenue = unique(\.subsidyRevenue)
        claimsPayable = unique(\.claimsPayable)
        refundsPayable = unique(\.refundsPayable)
        benefitExpense = Array(Set(plans.flatMap { $0.benefits.map(\.expenseAccount) })).sorted()
    }

    /// The benefit's name, or its code for a claim whose benefit no plan lists.
    func name(ofBenefit code: String) -> String {
        benefits.first { $0.code == code }?.name ?? code
    }

    /// The names of the benefits charged to `account`, joined with 、.
    func benefitNames(chargedTo account: AccountCode) -> String {
        var names: [String] = []
        for plan in plans.reversed() {
            for benefit in plan.benefits where benefit.expenseAccount == account && !names.contains(benefit.name) {
                names.append(benefit.name)
            }
        }
        return names.joined(separator: "、")
    }
}

extension Array where Element == AccountCode {
    /// The debits and credits of these accounts and their sub-accounts in `totals`.
    func totals(in totals: [AccountCode: AccountTotals]) throws(MoneyError) -> AccountTotals {
        var sum = AccountTotals()
        for code in self {
            let part = try AccountTotals.sum(totals, under: code)
            sum.debit = try sum.debit.adding(part.debit)
            sum.credit = try sum.credit.adding(part.credit)
        }
        return sum
    }
}
