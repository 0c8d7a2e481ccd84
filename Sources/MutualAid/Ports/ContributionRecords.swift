import Ledger

/// A unit's contributions for a plan year, as the register keeps them.
public struct UnitContributionRecord: Sendable, Hashable {
    public var billedHeadcount: Int64 = 0
    public var billedUnit = Money.zero
    public var billedSubsidy = Money.zero
    public var received = Money.zero
    public var refunded = Money.zero

    public init() {}
}

/// The sums of contribution steps reversed in a span, by the kind of step they undo.
public struct ContributionReversalSums: Sendable, Hashable {
    /// The unit's part of bills reversed, and the union subsidy's part.
    public var billUnit = Money.zero
    public var billSubsidy = Money.zero
    public var receipts = Money.zero
    public var refunds = Money.zero
    public var subsidies = Money.zero

    public init() {}

    /// Sets the sums of the reversals of `reversedKind` (a store's total per kind of
    /// event reversed: the bill's parts, or the amount of receipts, refunds or subsidies).
    public mutating func set(reversedKind: String?, unitFen: Int64, subsidyFen: Int64, amountFen: Int64) {
        switch reversedKind {
        case MutualAidKinds.contributionBilled.name:
            billUnit = Money(fen: unitFen)
            billSubsidy = Money(fen: subsidyFen)
        case MutualAidKinds.contributionReceived.name: receipts = Money(fen: amountFen)
        case MutualAidKinds.contributionRefunded.name: refunds = Money(fen: amountFen)
        case MutualAidKinds.subsidyReceived.name: subsidies = Money(fen: amountFen)
        default: break
        }
    }
}

/// Contributions as the fund report and the unit statement read them.
public protocol ContributionRecords {
    /// The bills, receipts, refunds and subsidies reversed (`contribution.reversed`,
    /// `subsidy.reversed` dated in `[from, through]`), summed by what they undo.
    func contributionReversals(from: LedgerDate, through: LedgerDate) throws -> ContributionReversalSums
    /// What all units were billed for `planYear` (unit's part and subsidy), less refunds.
    func billedNetOfRefunds(planYear: Int) throws -> Money
    /// A unit's contributions for `planYear` (zeros when it has none).
    func contributions(unit: String, planYear: Int) throws -> UnitContributionRecord
}
