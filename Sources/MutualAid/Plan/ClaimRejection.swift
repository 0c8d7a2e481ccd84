import Ledger

/// Why the rules refuse a claim, with the figures that decide it, so that the
/// rejection letter (不予给付通知) and the audit can both state the reason exactly.
///
/// Each case has a stable ``code`` for events and reports and a ``sentence`` a clerk
/// can read to the member, e.g. "the claim was filed on 2027-04-01, after the claim
/// deadline 2027-03-31".
public enum ClaimRejection: Sendable, Hashable, CustomStringConvertible {
    /// The member was not enrolled in the plan year on the service date.
    case notEnrolled
    /// Enrolled, but the unit's contribution is unpaid, so the member was not covered.
    case contributionUnpaid
    /// Coverage began after the service date.
    case notCoveredOnServiceDate(serviceDate: LedgerDate, coveredFrom: LedgerDate)
    /// The service date is outside the plan's coverage term.
    case serviceDateOutsideTerm(serviceDate: LedgerDate, term: DateSpan)
    /// The service date falls in the waiting period for new participants, whose last
    /// day is `lastWaitingDay`.
    case inWaitingPeriod(serviceDate: LedgerDate, waitingDays: Int, lastWaitingDay: LedgerDate)
    /// Filed after the claim deadline (the deadline day itself is in time).
    case filedAfterDeadline(filedOn: LedgerDate, deadline: LedgerDate)
    /// The benefit is not open to this member, e.g. a women's benefit claimed by a man.
    case notEligible(BenefitEligibility)
    /// The grade table does not pay this disability grade.
    case gradeNotInTable(grade: Int)
    /// The computation leaves nothing to pay, e.g. the own share is within the deductible.
    case nothingToPay
    /// The computed amount is below the benefit's minimum payout.
    case belowMinimumPayout(amount: Money, minimum: Money)
    /// The member has used up this benefit's annual cap.
    case benefitCapUsedUp(cap: Money, used: Money)
    /// The member has used up the plan's annual cap over all benefits.
    case totalCapUsedUp(cap: Money, used: Money)
    /// The caller found a claim with the same medical-insurance settlement id (or
    /// invoice, hospital and date) already in the ledger; the engine never decides this.
    case duplicate(settlementID: String)

    /// A stable kebab-case name for events, reports and tests.
    public var code: String {
        switch self {
        case .notEnrolled: "not-enrolled"
        case .contributionUnpaid: "contribution-unpaid"
        case .notCoveredOnServiceDate: "not-covered-on-service-date"
        case .serviceDateOutsideTerm: "service-date-outside-term"
        case .inWaitingPeriod: "in-waiting-period"
        case .filedAfterDeadline: "filed-after-deadline"
        case .notEligible: "not-eligible"
        case .gradeNotInTable: "grade-not-in-table"
        case .nothingToPay: "nothing-to-pay"
        case .belowMinimumPayout: "below-minimum-payout"
        case .benefitCapUsedUp: "benefit-cap-used-up"
        case .totalCapUsedUp: "total-cap-used-up"
        case .duplicate: "duplicate"
        }
    }

    /// The reason as a sentence for the member and the file.
    public var sentence: String {
        switch self {
        case .notEnrolled:
            "the member was not enrolled in the plan on the service date"
        case .contributionUnpaid:
            "the member was not covered on the service date: the unit's contribution for the member is unpaid"
        case let .notCoveredOnServiceDate(serviceDate, coveredFrom):
            "the member was not covered on the service date \(serviceDate); coverage began on \(coveredFrom)"
        case let .serviceDateOutsideTerm(serviceDate, term):
            "the service date \(serviceDate) is outside the plan's coverage term \(term)"
        case let .inWaitingPeriod(serviceDate, waitingDays, lastWaitingDay):
            "the service date \(serviceDate) is in the \(waitingDays)-day waiting period for new participants, which "
                + "ends on \(lastWaitingDay); services from \(lastWaitingDay.adding(days: 1)) on are covered"
        case let .filedAfterDeadline(filedOn, deadline):
            "the claim was filed on \(filedOn), after the claim deadline \(deadline)"
        case let .notEligible(eligibility):
            "this benefit is for \(eligibility.phrase)"
        case let .gradeNotInTable(grade):
            "the benefit's table pays no amount for disability grade \(grade)"
        case .nothingToPay:
            "the computed payout is 0.00, so there is nothing to pay"
        case let .belowMinimumPayout(amount, minimum):
            "the computed payout \(amount.formatted()) is below the minimum payout \(minimum.formatted())"
        case let .benefitCapUsedUp(cap, used):
            "this benefit's annual cap \(cap.formatted()) is used up (\(used.formatted()) paid or approved this year)"
        case let .totalCapUsedUp(cap, used):
            "the plan's annual cap over all benefits \(cap.formatted()) is used up (\(used.formatted()) paid or approved "
                + "this year)"
        case let .duplicate(settlementID):
            "a claim for settlement \(settlementID) is already in the ledger"
        }
    }

    public var description: String { sentence }
}
