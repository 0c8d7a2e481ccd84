import Ledger

/// The rules engine's answer for one claim: an amount to pay, or the reason not to,
/// with the steps that led there.
///
/// The computation is what approval starts from (an approver may lower the amount,
/// with a reason, never raise it; see ``PayoutApproval``) and what the audit
/// recomputes from the published rules to check every payout.
public struct PayoutComputation: Sendable, Hashable, CustomStringConvertible {
    public enum Outcome: Sendable, Hashable {
        /// Pay this amount (always greater than zero).
        case payable(Money)
        case rejected(ClaimRejection)
    }

    /// The benefit claimed.
    public let benefitCode: String
    public let outcome: Outcome
    /// The figures, when the claim got as far as computing an amount; `nil` when it
    /// was rejected before (not covered, late, not eligible, …).
    public let steps: PayoutSteps?

    public init(benefitCode: String, outcome: Outcome, steps: PayoutSteps?) {
        self.benefitCode = benefitCode
        self.outcome = outcome
        self.steps = steps
    }

    /// A rejection the caller decided, such as a duplicate settlement id.
    public static func rejected(benefitCode: String, _ rejection: ClaimRejection) -> PayoutComputation {
        PayoutComputation(benefitCode: benefitCode, outcome: .rejected(rejection), steps: nil)
    }

    /// The amount to pay, or `nil` if rejected.
    public var amount: Money? {
        if case .payable(let amount) = outcome { return amount }
        return nil
    }

    /// The reason for rejection, or `nil` if payable.
    public var rejection: ClaimRejection? {
        if case .rejected(let rejection) = outcome { return rejection }
        return nil
    }

    /// The computation as one line a clerk can check with a calculator, e.g.
    /// `own share 12,345.00 − deductible 0.00 = 12,345.00; × 15% = 1,851.75 → 1,851.75; payout 1,851.75`
    /// or `rejected: the claim was filed on 2027-04-01, after the claim deadline 2027-03-31`.
    public var explanation: String {
        let verdict = switch outcome {
        case .payable(let amount): "payout \(amount.formatted())"
        case .rejected(let rejection): "rejected: \(rejection.sentence)"
        }
        guard let steps else { return verdict }
        return steps.explanation + "; " + verdict
    }

    public var description: String { "\(benefitCode): \(explanation)" }
}
