import Ledger

/// The rules of one plan year (互助计划年度规则): who is covered when, what they pay,
/// what each benefit pays, and which accounts the money moves through.
///
/// Plan rules are data, not code. They are written by hand in a TOML file
/// (``PlanRulesLoader``), validated as a whole, and published into the log as
/// canonical JSON (``json``), so that every payout can be recomputed years later from
/// the exact rules that were in force — the audit does exactly that.
///
/// A value of this type always holds together: the initialiser checks every rule
/// (dates ordered, the payers' parts sum to the rate, benefit codes unique, caps
/// positive, …) and throws a ``PlanRulesError`` listing all problems found.
///
/// ```swift
/// let plan = try PlanRulesLoader.load(contentsOf: "plans/unit-paid-2026.toml")
/// plan.benefit(code: "hospital")?.annualCap   // 30,200.00
/// plan.needsTwoApprovers(Money(fen: 1_000_000)) // true: 10,000.00 ≥ threshold
/// ```
public struct PlanRules: Sendable, Hashable {
    /// The plan's id, a slug such as `city-2026`, used to name the rules in events.
    public let id: String
    /// The plan's name, e.g. 市总工会职工医疗互助计划（2026年度）.
    public let name: String
    /// The plan year.
    public let year: Int
    /// The coverage term (保障期): services on these days are covered. Default: the calendar year.
    public let term: DateSpan
    /// The enrolment window (参保登记期) in which units register their members.
    public let enrolment: DateSpan
    /// The contribution per participant per year and who pays it.
    public let contribution: ContributionSplit
    /// Claims filed after this day are rejected. Default: 31 March after the term ends.
    public let claimDeadline: LedgerDate
    /// A payout at or over this amount needs two distinct approvers (大额双人审批).
    public let largeAmountThreshold: Money
    /// False when the key that reviews a claim (审核) may not also approve it (审批): the
    /// plan separates the two duties. Default true: the filer is always kept out of both.
    public let reviewerMayApprove: Bool
    /// Approved claims must be paid within this many days of approval.
    public let paymentLimitDays: Int
    /// The most all benefits together pay one member in the plan year, if limited.
    public let annualCap: Money?
    public let accounts: PlanAccounts
    /// The benefits in the order the plan file lists them.
    public let benefits: [Benefit]

    /// Limits that catch a file that is not a plan (or a plan pasted twice).
    public static let idLengthMax = 40
    public static let nameLengthMax = 100
    /// A plan year: one term, at most a leap year long.
    public static let termDaysMax = 366
    public static let benefitsMax = 32
    public static let paymentLimitDaysDefault = 30
    /// Payment is due within a quarter at most; longer would hide unpaid claims.
    public static let paymentLimitDaysRange: ClosedRange<Int> = 1...90
    /// Years a plan may be written for; the same range `LedgerDate` accepts, minus its edges
    /// so that the default deadline (the next year) is always a valid date.
    public static let yearRange: ClosedRange<Int> = 1900...9998

    /// Creates plan rules, checking all of them together.
    ///
    /// - Throws: ``PlanRulesError`` with every problem found, each naming the table and
    ///   key it is about (`benefits[2].ratio`), in the order a reader meets them.
    public init(id: String, name: String, year: Int, term: DateSpan, enrolment: DateSpan,
                contribution: ContributionSplit, claimDeadline: LedgerDate, largeAmountThreshold: Money,
                reviewerMayApprove: Bool = true, paymentLimitDays: Int = PlanRules.paymentLimitDaysDefault, annualCap: Money? = nil,
                accounts: PlanAccounts = .standard, benefits: [Benefit]) throws(PlanRulesError) {
        self.id = id
        self.name = name
        self.year = year
        self.term = term
        self.enrolment = enrolment
        self.contribution = contribution
        self.claimDeadline = claimDeadline
        self.largeAmountThreshold = largeAmountThreshold
        self.reviewerMayApprove = reviewerMayApprove
        self.paymentLimitDays = paymentLimitDays
        self.annualCap = annualCap
        self.accounts = accounts
        self.benefits = benefits
        let problems = self.problems()
        if !problems.isEmpty { throw PlanRulesError(problems: problems) }
    }

    /// The default claim deadline for a term ending on `termEnd`: 31 March of the
    /// following year, the usual rule that gives members a quarter to gather documents
    /// for treatment in December.
    public static func defaultClaimDeadline(termEnd: LedgerDate) -> LedgerDate {
        // year + 1 ≤ 9999 for every date LedgerDate accepts below 9999.
        (try? LedgerDate(year: termEnd.year + 1, month: 3, day: 31)) ?? termEnd
    }

    /// The benefit with code `code`, if the plan has it.
    public func benefit(code: String) -> Benefit? {
        benefits.first { $0.code == code }
    }

    /// The claim deadline for `benefit`: its own if it has one, else the plan's.
    public func claimDeadline(for benefit: Benefit) -> LedgerDate {
        benefit.claimDeadline ?? claimDeadline
    }

    /// Whether approving `amount` needs two distinct approvers: it does at or over the
    /// large-amount threshold, so that no single person can release a large payout.
    public func needsTwoApprovers(_ amount: Money) -> Bool {
        amount >= largeAmountThreshold
    }

    /// The last day an approved claim may be paid: `approvedOn + paymentLimitDays`.
    public func paymentDue(approvedOn: LedgerDate) -> LedgerDate {
        approvedOn.adding(days: paymentLimitDays)
    }

    // MARK: Validation

    /// Every problem with these rules, in file order.
    private func problems() -> [PlanRulesProblem] {
        var problems: [PlanRulesProblem] = []
        func add(_ table: String, _ key: String?, _ message: String) {
            problems.append(PlanRulesProblem(table: table, key: key, message: message))
        }
        if !isSlug(id, lengthMax: PlanRules.idLengthMax) {
            add("", "id", "\(TOMLSyntax.quoted(id)) is not a plan id; use 1 to \(PlanRules.idLengthMax) lowercase "
                + "letters, digits and '-', e.g. \"city-2026\"")
        }
        if name.isBlankText {
            add("", "name", "the plan needs a name, e.g. \"职工医疗互助计划 2026\"")
        } else if name.count > PlanRules.nameLengthMax {
            add("", "name", "the name is \(name.count) characters long; at most \(PlanRules.nameLengthMax) are allowed")
        }
        if !PlanRules.yearRange.contains(year) {
            add("", "year", "\(year) is not a plan year this ledger accepts (\(PlanRules.yearRange.lowerBound)–"
                + "\(PlanRules.yearRange.upperBound))")
        }
        if term.start > term.end {
            add("term", "end", "the term ends on \(term.end), before it starts on \(term.start)")
        } else if term.dayCount > PlanRules.termDaysMax {
            add("term", "end", "the term runs \(term.dayCount) days, from \(term.start) to \(term.end); a plan year "
                + "is at most \(PlanRules.termDaysMax) days")
        } else if !(term.start.year == year || term.end.year == year) {
            add("term", "start", "the term \(term) does not fall in the plan year \(year)")
        }
        if enrolment.start > enrolment.end {
            add("enrolment", "closes", "enrolment closes on \(enrolment.end), before it opens on \(enrolment.start)")
        } else if enrolment.end > term.end {
            add("enrolment", "closes", "enrolment closes on \(enrolment.end), after the coverage term ends on "
                + "\(term.end); it must close on or before the term's last day")
        }
        problems += contribution.problems(table: "contribution")
        if claimDeadline <= term.end {
            add("", "claimDeadline", "the claim deadline \(claimDeadline) must be after the coverage term ends on "
                + "\(term.end); claims for the last days of the term need time to be filed")
        }
        if largeAmountThreshold.fen <= 0 || largeAmountThreshold.fen > Money.parseableMaxFen {
            add("", "largeAmountThreshold", "the large-amount threshold must be greater than zero, found "
                + largeAmountThreshold.formatted())
        }
        if !PlanRules.paymentLimitDaysRange.contains(paymentLimitDays) {
            add("", "paymentLimitDays", "approved claims must be paid within \(PlanRules.paymentLimitDaysRange.lowerBound) "
                + "to \(PlanRules.paymentLimitDaysRange.upperBound) days, found \(paymentLimitDays)")
        }
        if let annualCap, annualCap.fen <= 0 || annualCap.fen > Money.parseableMaxFen {
            add("", "annualCap", "the annual cap must be greater than zero, found \(annualCap.formatted()); "
                + "leave it out for no cap")
        }
        problems += accounts.problems(table: "accounts")
        if benefits.isEmpty {
            add("", "benefits", "a plan needs at least one [[benefits]] table")
        } else if benefits.count > PlanRules.benefitsMax {
            add("", "benefits", "\(benefits.count) benefits are listed; at most \(PlanRules.benefitsMax) are allowed")
        }
        var firstIndex: [String: Int] = [:]
        for (index, benefit) in benefits.enumerated() {
            let table = "benefits[\(index + 1)]"
            if let earlier = firstIndex[benefit.code] {
                add(table, "code", "the code \(TOMLSyntax.quoted(benefit.code)) is already used by benefits[\(earlier + 1)]; "
                    + "benefit codes must be unique")
            } else {
                firstIndex[benefit.code] = index
            }
            problems += benefit.problems(table: table, termEnd: term.end)
        }
        return problems
    }
}
