import Ledger

/// One benefit of a plan year (互助项目): what it pays on, how much of it, up to what,
/// to whom, and when.
///
/// A payout is computed in this order (see ``PayoutCalculator``):
/// base (by ``basis``) − ``deductible`` → × ``ratio`` (rounded half up to the fen)
/// → at most ``perClaimCap`` → rejected if below ``minimumPayout``
/// → at most what is left of ``annualCap`` → at most what is left of the plan's
/// annual cap over all benefits.
///
/// Example, hospital stays paying half the member's own share inside insurance
/// scope, up to 30,200 a year:
///
/// ```toml
/// [[benefits]]
/// code = "hospital"
/// name = "住院医疗互助金"
/// expenseAccount = "50201"
/// basis = "ownShare"
/// ratio = 0.5
/// annualCap = "30200"
/// documents = ["出院小结", "医保结算单"]
/// ```
public struct Benefit: Sendable, Hashable {
    /// A short slug that names the benefit in claims, reports and events, e.g. `hospital`.
    public let code: String
    /// The name a member sees, e.g. 住院医疗互助金.
    public let name: String
    /// The expense account a payout is charged to, e.g. 50201.
    public let expenseAccount: AccountCode
    public let basis: PayoutBasis
    /// Subtracted from the base before the ratio (起付线). Zero for `fixed` and `gradeTable`.
    public let deductible: Money
    /// The share of the base after the deductible that is paid. One for `fixed` and `gradeTable`.
    public let ratio: Ratio
    /// A claim whose amount (after ratio and per-claim cap) is below this is rejected,
    /// so the office does not process payouts worth less than their handling. Zero: none.
    public let minimumPayout: Money
    /// The most one claim pays, e.g. 3,000 for a house fire.
    public let perClaimCap: Money?
    /// The most this benefit pays one member in the plan year.
    public let annualCap: Money?
    /// Days from the member's coverage start before this benefit pays (等待期): a
    /// service on day `start + waitingDays` is the first one covered. Zero: none.
    public let waitingDays: Int
    public let eligibility: BenefitEligibility
    /// The documents a claim must come with (申请材料), as the clerk's checklist.
    public let documents: [String]
    /// A deadline for filing claims that replaces the plan's, if this benefit has its own.
    public let claimDeadline: LedgerDate?

    /// Limits on a benefit's text, so that a pasted paragraph is caught as a mistake
    /// and reports keep their shape.
    public static let codeLengthMax = 32
    public static let nameLengthMax = 64
    public static let documentsMax = 20
    public static let documentLengthMax = 100
    /// A waiting period longer than a year would outlast the plan year it belongs to.
    public static let waitingDaysMax = 365

    public init(code: String, name: String, expenseAccount: AccountCode, basis: PayoutBasis,
                deductible: Money = .zero, ratio: Ratio = .one, minimumPayout: Money = .zero,
                perClaimCap: Money? = nil, annualCap: Money? = nil, waitingDays: Int = 0,
                eligibility: BenefitEligibility = .all, documents: [String] = [], claimDeadline: LedgerDate? = nil) {
        self.code = code
        self.name = name
        self.expenseAccount = expenseAccount
        self.basis = basis
        self.deductible = deductible
        self.ratio = ratio
        self.minimumPayout = minimumPayout
        self.perClaimCap = perClaimCap
        self.annualCap = annualCap
        self.waitingDays = waitingDays
        self.eligibility = eligibility
        self.documents = documents
        self.claimDeadline = claimDeadline
    }

    /// Problems with this benefit, located in `table` (e.g. `benefits[2]`). `termEnd` is
    /// the plan's coverage term end, which a deadline override must follow.
    func problems(table: String, termEnd: LedgerDate) -> [PlanRulesProblem] {
        var problems: [PlanRulesProblem] = []
        func add(_ key: String?, _ message: String) {
            problems.append(PlanRulesProblem(table: table, key: key, message: message))
        }
        func checkRange(_ amount: Money, key: String) {
            if amount.fen > Money.parseableMaxFen {
                add(key, "\(amount.formatted()) is larger than any amount the ledger records")
            }
        }
        if !isSlug(code, lengthMax: Benefit.codeLengthMax) {
            add("code", "\(TOMLSyntax.quoted(code)) is not a benefit code; use 1 to \(Benefit.codeLengthMax) "
                + "lowercase letters, digits and '-', e.g. \"hospital\"")
        }
        if name.isBlankText {
            add("name", "a benefit needs a name, e.g. \"住院医疗互助金\"")
        } else if name.count > Benefit.nameLengthMax {
            add("name", "the name is \(name.count) characters long; at most \(Benefit.nameLengthMax) are allowed")
        }
        if expenseAccount.value.first != "5" {
            add("expenseAccount", "\(expenseAccount) is not an expense account; payouts are charged to an "
                + "expenditure account under 501…508, e.g. 50201")
        }
        switch basis {
        case .fixed(let amount):
            if amount.fen <= 0 { add("amount", "a fixed payout must be greater than zero, found \(amount.formatted())") }
            checkRange(amount, key: "amount")
        case .gradeTable(let gradeTable):
            problems += gradeProblems(gradeTable, table: table)
        case .ownShare, .loss:
            break
        }
        if !basis.kind.takesDeductibleAndRatio {
            if deductible != .zero {
                add("deductible", "a benefit with basis \(TOMLSyntax.quoted(basis.kind.rawValue)) takes no deductible: its amount is already the payout")
            }
            if !ratio.isOne {
                add("ratio", "a benefit with basis \(TOMLSyntax.quoted(basis.kind.rawValue)) takes no ratio: its amount is already the payout")
            }
        } else if ratio == .zero {
            add("ratio", "a ratio of 0 would never pay anything; write the share paid, e.g. 0.15")
        }
        if deductible.fen < 0 { add("deductible", "the deductible cannot be negative, found \(deductible.formatted())") }
        checkRange(deductible, key: "deductible")
        if minimumPayout.fen < 0 {
            add("minimumPayout", "the minimum payout cannot be negative, found \(minimumPayout.formatted())")
        }
        checkRange(minimumPayout, key: "minimumPayout")
        for (key, cap) in [("perClaimCap", perClaimCap), ("annualCap", annualCap)] {
            guard let cap else { continue }
            if cap.fen <= 0 { add(key, "a cap must be greater than zero, found \(cap.formatted()); leave it out for no cap") }
            checkRange(cap, key: key)
        }
        if let perClaimCap, let annualCap, perClaimCap > annualCap {
            add("perClaimCap", "the per-claim cap \(perClaimCap.formatted()) is more than the annual cap "
                + "\(annualCap.formatted()); one claim can never pay more than the year allows")
        }
        if let annualCap, minimumPayout > annualCap {
            add("minimumPayout", "the minimum payout \(minimumPayout.formatted()) is more than the annual cap "
                + "\(annualCap.formatted()), so no claim could ever be paid")
        }
        if let perClaimCap, minimumPayout > perClaimCap {
            add("minimumPayout", "the minimum payout \(minimumPayout.formatted()) is more than the per-claim cap "
                + "\(perClaimCap.formatted()), so no claim could ever be paid")
        }
        if !(0...Benefit.waitingDaysMax).contains(waitingDays) {
            add("waitingDays", "the waiting period must be 0 to \(Benefit.waitingDaysMax) days, found \(waitingDays)")
        }
        if documents.count > Benefit.documentsMax {
            add("documents", "\(documents.count) documents are listed; at most \(Benefit.documentsMax) are allowed")
        }
        if let bad = documents.first(where: { $0.isBlankText || $0.count > Benefit.documentLengthMax }) {
            add("documents", "each document is named in 1 to \(Benefit.documentLengthMax) characters, found "
                + TOMLSyntax.quoted(String(bad.prefix(Benefit.documentLengthMax + 1))))
        }
        if let claimDeadline, claimDeadline <= termEnd {
            add("claimDeadline", "the claim deadline \(claimDeadline) must be after the coverage term ends on "
                + "\(termEnd); claims for the last days of the term need time to be filed")
        }
        return problems
    }

    /// Problems with a disability-grade table, located in `table.grades` by grade.
    private func gradeProblems(_ gradeTable: DisabilityGradeTable, table: String) -> [PlanRulesProblem] {
        let inner = "\(table).grades"
        var found: [PlanRulesProblem] = []
        if gradeTable.rows.isEmpty {
            found.append(PlanRulesProblem(
                table: table, key: "grades",
                message: "a gradeTable benefit needs at least one grade, e.g. grades = { 1 = \"5000\" }"))
        }
        var previous: DisabilityGradeTable.Row?
        for row in gradeTable.rows {
            let key = String(row.grade)
            if !DisabilityGradeTable.grades.contains(row.grade) {
                found.append(PlanRulesProblem(
                    table: inner, key: key, message: "disability grades run from 1 (most severe) to 10, found grade \(row.grade)"))
            } else if let previous, previous.grade == row.grade {
                found.append(PlanRulesProblem(table: inner, key: key, message: "grade \(row.grade) is listed twice"))
            } else if row.amount.fen <= 0 || row.amount.fen > Money.parseableMaxFen {
                found.append(PlanRulesProblem(
                    table: inner, key: key,
                    message: "the amount for a grade must be greater than zero, found \(row.amount.formatted())"))
            } else if let previous, row.amount > previous.amount {
                found.append(PlanRulesProblem(
                    table: inner, key: key,
                    message: "grade \(row.grade) pays \(row.amount.formatted()), more than the more severe grade "
                        + "\(previous.grade) (\(previous.amount.formatted())); amounts must not rise as the grade gets milder"))
            }
            previous = row
        }
        return found
    }
}
