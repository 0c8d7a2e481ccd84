import Ledger

/// The plan's internal control (财务内控) of its money, as rules both the append path and the
/// audit apply, so a refusal at the desk and a finding in the audit are the same rule:
///
/// - the plan's accounts (its seven account roles, each benefit's expense account, and the
///   fund's own accounts) move only through the plan's events or a general entry proposed
///   by one key and approved by another (`entry.proposed`, `entry.approved`);
/// - a general entry at or over the large-amount threshold needs two distinct approvers;
/// - benefit expenses move only through claims, so they always equal the claims register;
/// - money leaving the bank in a payment batch at or over the threshold needs the batch
///   approved by an approver other than the clerk who pays it; a refund to a unit needs an
///   approver's approval first.
///
/// Before any plan is published the ledger controls no account: plain entries post as in
/// any double-entry ledger.
public enum PlanControls {
    /// The fund's accounts that no plan file names: 32101 职工医疗互助基金 (the fund) and
    /// 22503 预收互助金 (contributions received in advance). Codes of the default union chart.
    public static let fundAccounts: [AccountCode] = [AccountCode.known("32101"), AccountCode.known("22503")]

    /// How a plain entry on a controlled account is made instead.
    public static let proposalHint = "propose it for an approver instead (`huzhu post --propose …`, then `huzhu entry approve SEQ`)"

    /// The days a proposed entry waits for its approvals by default, and at most.
    public static let lapseDaysDefault = 30
    public static let lapseDaysRange: ClosedRange<Int> = 1...90

    /// Every account the published `plans` control: their account roles, their benefits'
    /// expense accounts and the fund's accounts. None when no plan is published. Given every
    /// plan ever published (`everyPublishedPlan`), so an amendment that names another bank
    /// account never releases the old one to plain entries.
    public static func controlledAccounts(plans: [PlanRules]) -> ControlledAccounts {
        guard !plans.isEmpty else { return .none }
        var codes = Set(fundAccounts)
        for plan in plans {
            codes.formUnion(plan.accounts.roles.map(\.code))
            codes.formUnion(plan.benefits.map(\.expenseAccount))
        }
        return ControlledAccounts(codes, hint: proposalHint)
    }

    /// The benefit expense accounts of `plans`: moved only by claims' approvals and their revocations.
    public static func benefitExpenseAccounts(plans: [PlanRules]) -> ControlledAccounts {
        ControlledAccounts(plans.flatMap { $0.benefits.map(\.expenseAccount) }, hint: "benefit expenses move only through claims")
    }

    /// The large-amount threshold for money the plan moves outside one claim (a general entry,
    /// a payment batch): the lowest of the published plans', the strictest. Nil with no plan.
    public static func largeAmountThreshold(plans: [PlanRules]) -> Money? {
        plans.map(\.largeAmountThreshold).min()
    }

    /// The approvals an entry moving `amount` needs: two distinct approvers at or over the
    /// threshold (大额双人审批), as a claim does; one below it.
    public static func approvalsNeeded(amount: Money, threshold: Money?) -> Int {
        guard let threshold else { return 1 }
        return amount >= threshold ? 2 : 1
    }

    /// What an entry moves: the sum of its debit lines.
    public static func amount(of postings: [Posting]) -> Money {
        Money(fen: postings.filter { $0.side == .debit }.reduce(Int64(0)) { $0 + $1.amount.fen })
    }

    /// Every plan published, each year's as it stands.
    static func publishedPlans(in register: any MutualAidRecords) throws -> [PlanRules] {
        try register.publishedPlanRules(limit: .max).map { try PlanRules(json: JSONParser.parse($0)) }
    }

    /// Every plan ever published, amendments and the rules they replaced included, oldest first.
    static func everyPublishedPlan(_ reader: any LedgerStoreReader) throws -> [PlanRules] {
        try reader.seqs(ofKind: MutualAidKinds.planPublished).compactMap { seq in
            guard let stored = try reader.storedEvent(seq: seq) else { return nil }
            return try PlanRules(json: PlanPublishedEvent(event: RecordedEvent(body: stored.body, signature: [])).rules)
        }
    }
}

/// The plan's accounts as the Ledger's append path refuses them to plain entries.
struct PlanAccountControl: AccountControl {
    func controlledAccounts(in reader: any LedgerStoreReader) throws -> ControlledAccounts {
        PlanControls.controlledAccounts(plans: try PlanControls.everyPublishedPlan(reader))
    }
}

extension AccountCode {
    /// A code written in this source, known to be well-formed.
    static func known(_ text: String) -> AccountCode {
        // The literals passed here are checked by the tests of the controls.
        try! AccountCode(text)
    }
}
