import Ledger

/// Whether a member was covered on a claim's service date, as the member register
/// says. The caller decides this (it knows enrolments, departures and which units
/// have paid) and passes it in; the rules engine only applies it.
///
/// A member enrolled through a unit whose contribution for the year is unpaid is not
/// covered: the plan pays on contributions received, not promised.
public enum Coverage: Sendable, Hashable {
    /// Covered, continuously since `since`. For a member renewing year after year this
    /// is the first day of their unbroken coverage, not this term's start, so that the
    /// waiting period for new participants is served only once.
    case covered(since: LedgerDate)
    /// Not enrolled in this plan year on the service date.
    case notEnrolled
    /// Enrolled, but the unit's contribution for the member is unpaid, so not covered.
    case contributionUnpaid
}
