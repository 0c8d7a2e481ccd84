import Ledger

/// The figures of one payout computation, step by step, kept as numbers so that
/// computing a claim builds no text; ``explanation`` renders them only when asked.
///
/// ```text
/// own share 12,345.00 − deductible 0.00 = 12,345.00; × 15% = 1,851.75 → 1,851.75;
/// annual cap 6,000.00, used 5,000.00, left 1,000.00 → 1,000.00
/// ```
public struct PayoutSteps: Sendable, Hashable {
    /// An annual cap as applied to this claim.
    public struct CapStep: Sendable, Hashable {
        public let cap: Money
        /// Paid or approved this plan year before this claim.
        public let used: Money
        /// The amount after the cap: the smaller of the amount before it and what is left.
        public let result: Money

        /// What is left of the cap before this claim; never negative, even if rules
        /// changed and past payouts exceed today's cap.
        public var left: Money { Money(fen: max(0, cap.fen - used.fen)) }
    }

    public let basis: PayoutBasis.Kind
    /// The disability grade, for a `gradeTable` basis.
    public let grade: Int?
    /// The base: own share, loss, fixed amount or the grade's amount.
    public let base: Money
    public let deductible: Money
    /// `base − deductible`, never below zero.
    public let afterDeductible: Money
    public let ratio: Ratio
    /// `afterDeductible × ratio`, rounded half up to the fen.
    public let afterRatio: Money
    public let perClaimCap: Money?
    /// `afterRatio`, limited by the per-claim cap.
    public let afterPerClaimCap: Money
    /// The benefit's minimum payout, checked against `afterPerClaimCap`. Zero: none.
    public let minimumPayout: Money
    /// The benefit's annual cap, if it has one and the computation got that far.
    public let benefitCap: CapStep?
    /// The plan's annual cap over all benefits, if it has one and the computation got that far.
    public let totalCap: CapStep?
    /// The amount the steps arrive at. Zero when a cap is used up.
    public let amount: Money

    /// The steps as one line, in the order they were applied; steps that do not apply
    /// (no per-claim cap, no minimum) are left out.
    public var explanation: String {
        var parts: [String] = []
        switch basis {
        case .ownShare, .loss:
            parts.append("\(basis.label) \(base.formatted()) − deductible \(deductible.formatted()) = "
                + afterDeductible.formatted())
            parts.append("× \(ratio.percentText) = \(ratio.exactProductText(of: afterDeductible)) → \(afterRatio.formatted())")
        case .fixed:
            parts.append("fixed amount \(base.formatted())")
        case .gradeTable:
            parts.append("grade \(grade.map(String.init) ?? "?") amount \(base.formatted())")
        }
        if let perClaimCap {
            parts.append("per-claim cap \(perClaimCap.formatted()) → \(afterPerClaimCap.formatted())")
        }
        if minimumPayout > .zero {
            parts.append(afterPerClaimCap >= minimumPayout
                ? "minimum payout \(minimumPayout.formatted()) met"
                : "below the minimum payout \(minimumPayout.formatted())")
        }
        if let benefitCap {
            parts.append("benefit annual cap \(benefitCap.cap.formatted()), used \(benefitCap.used.formatted()), left "
                + "\(benefitCap.left.formatted()) → \(benefitCap.result.formatted())")
        }
        if let totalCap {
            parts.append("annual cap \(totalCap.cap.formatted()), used \(totalCap.used.formatted()), left "
                + "\(totalCap.left.formatted()) → \(totalCap.result.formatted())")
        }
        return parts.joined(separator: "; ")
    }
}
