import Ledger

/// The ledger accounts a plan's postings use, other than each benefit's expense account.
///
/// The defaults are the codes of the default union chart (`Ledger/Charts`); an office
/// whose chart numbers its sub-accounts differently overrides them in the plan file's
/// `[accounts]` table. They are part of the published rules so that an auditor can
/// recompute every posting a claim or contribution should have made.
///
/// | role | default | chart name |
/// |---|---|---|
/// | `bank` | 10201 | 互助金专户 |
/// | `contributionsReceivable` | 11401 | 应收单位互助金 |
/// | `subsidyReceivable` | 11402 | 应收上级互助补助 |
/// | `contributionRevenue` | 40801 | 互助金收入 |
/// | `subsidyRevenue` | 40301 | 上级互助补助收入 |
/// | `claimsPayable` | 22501 | 应付互助金 |
/// | `refundsPayable` | 22502 | 应退互助金 |
public struct PlanAccounts: Sendable, Hashable {
    public let bank: AccountCode
    public let contributionsReceivable: AccountCode
    public let subsidyReceivable: AccountCode
    public let contributionRevenue: AccountCode
    public let subsidyRevenue: AccountCode
    public let claimsPayable: AccountCode
    public let refundsPayable: AccountCode

    public init(bank: AccountCode, contributionsReceivable: AccountCode, subsidyReceivable: AccountCode,
                contributionRevenue: AccountCode, subsidyRevenue: AccountCode, claimsPayable: AccountCode,
                refundsPayable: AccountCode) {
        self.bank = bank
        self.contributionsReceivable = contributionsReceivable
        self.subsidyReceivable = subsidyReceivable
        self.contributionRevenue = contributionRevenue
        self.subsidyRevenue = subsidyRevenue
        self.claimsPayable = claimsPayable
        self.refundsPayable = refundsPayable
    }

    /// The default chart's accounts.
    public static let standard = PlanAccounts(
        bank: try! AccountCode("10201"),
        contributionsReceivable: try! AccountCode("11401"),
        subsidyReceivable: try! AccountCode("11402"),
        contributionRevenue: try! AccountCode("40801"),
        subsidyRevenue: try! AccountCode("40301"),
        claimsPayable: try! AccountCode("22501"),
        refundsPayable: try! AccountCode("22502"))

    /// The roles in a fixed order with their key names, as plan files and JSON spell them.
    public var roles: [(key: String, code: AccountCode)] {
        [("bank", bank), ("contributionsReceivable", contributionsReceivable),
         ("subsidyReceivable", subsidyReceivable), ("contributionRevenue", contributionRevenue),
         ("subsidyRevenue", subsidyRevenue), ("claimsPayable", claimsPayable), ("refundsPayable", refundsPayable)]
    }

    // The lines each of the plan's contribution steps posts: written once, so the step that
    // records them and the audit that checks them (`FundControlsCheck`) apply one rule.

    /// A bill: the unit's part (with any member part) receivable against contribution
    /// revenue, the union's subsidy receivable against subsidy revenue; zero parts post nothing.
    public func billPostings(unitFen: Int64, subsidyFen: Int64) throws(LedgerInputError) -> [Posting] {
        var postings: [Posting] = []
        if unitFen > 0 { postings += [try .debit(contributionsReceivable, Money(fen: unitFen)), try .credit(contributionRevenue, Money(fen: unitFen))] }
        if subsidyFen > 0 { postings += [try .debit(subsidyReceivable, Money(fen: subsidyFen)), try .credit(subsidyRevenue, Money(fen: subsidyFen))] }
        return postings
    }

    /// A unit's payment received: into the bank, out of the receivable.
    public func receiptPostings(_ amount: Money) throws(LedgerInputError) -> [Posting] {
        [try .debit(bank, amount), try .credit(contributionsReceivable, amount)]
    }

    /// A refund to a unit: contribution revenue given back, out of the bank.
    public func refundPostings(_ amount: Money) throws(LedgerInputError) -> [Posting] {
        [try .debit(contributionRevenue, amount), try .credit(bank, amount)]
    }

    /// The union's subsidy received: into the bank, out of the subsidy receivable.
    public func subsidyPostings(_ amount: Money) throws(LedgerInputError) -> [Posting] {
        [try .debit(bank, amount), try .credit(subsidyReceivable, amount)]
    }

    /// The key names of the roles, for rejecting unknown keys.
    public static let keys: [String] = standard.roles.map(\.key)

    /// Creates the accounts from a role-name → code lookup, using the default for any
    /// role not given.
    init(overriding codes: [String: AccountCode]) {
        let standard = PlanAccounts.standard
        self.init(
            bank: codes["bank"] ?? standard.bank,
            contributionsReceivable: codes["contributionsReceivable"] ?? standard.contributionsReceivable,
            subsidyReceivable: codes["subsidyReceivable"] ?? standard.subsidyReceivable,
            contributionRevenue: codes["contributionRevenue"] ?? standard.contributionRevenue,
            subsidyRevenue: codes["subsidyRevenue"] ?? standard.subsidyRevenue,
            claimsPayable: codes["claimsPayable"] ?? standard.claimsPayable,
            refundsPayable: codes["refundsPayable"] ?? standard.refundsPayable)
    }

    /// Problems with the mapping: each role needs an account of its own, because the
    /// fund report reads contributions, subsidies and payables off separate accounts.
    func problems(table: String) -> [PlanRulesProblem] {
        var problems: [PlanRulesProblem] = []
        var firstRole: [AccountCode: String] = [:]
        for (key, code) in roles {
            if let earlier = firstRole[code] {
                problems.append(PlanRulesProblem(
                    table: table, key: key,
                    message: "account \(code) is already used for \(earlier); each role needs its own account"))
            } else {
                firstRole[code] = key
            }
        }
        return problems
    }
}
