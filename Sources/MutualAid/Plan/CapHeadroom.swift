import Ledger

extension PlanRules {
    /// What the annual caps leave a member under `benefit`, given what they have used
    /// (`usage`): the lesser of what is left of the benefit's annual cap and of the plan's
    /// cap over all benefits, never below zero; nil when neither is capped. A benefit the
    /// plan no longer has (nil; it was amended) has no cap of its own.
    public func capHeadroom(benefit: Benefit?, usage: CapUsage) -> Money? {
        let left = [benefit?.annualCap.map { $0.fen - usage.benefitUsed.fen }, annualCap.map { $0.fen - usage.totalUsed.fen }]
            .compactMap { $0 }.min()
        return left.map { Money(fen: max(0, $0)) }
    }

    /// The most a claim may be approved for once its approval of `revoked` is revoked: its
    /// assessment (`assessed`), but no more than `revoked` plus the caps' headroom, where
    /// `usage` counts the claim at `revoked`. The plan is the year's plan as published at
    /// the revocation, the one claims filed then are assessed by.
    ///
    /// Once approved for less than assessed, a claim gave the rest of its share of the caps
    /// back, and claims filed since may have been assessed against it. Counting the claim at
    /// its full assessment again would let the member be paid past a cap; this is the part
    /// of the assessment the caps can still hold.
    ///
    /// ```swift
    /// // A 6,000 annual cap: claim A assessed 6,000 and approved for 4,000, claim B then
    /// // assessed 2,000. Revoking A's approval leaves it approvable for 4,000, not 6,000.
    /// plan.approvableAfterRevocation(benefit: accident, assessed: Money(fen: 600_000), revoked: Money(fen: 400_000),
    ///                                usage: CapUsage(benefitUsed: Money(fen: 600_000), totalUsed: Money(fen: 600_000)))
    /// ```
    public func approvableAfterRevocation(benefit: Benefit?, assessed: Money, revoked: Money, usage: CapUsage) -> Money {
        guard let headroom = capHeadroom(benefit: benefit, usage: usage) else { return assessed }
        return Money(fen: min(assessed.fen, revoked.fen + headroom.fen))
    }
}
