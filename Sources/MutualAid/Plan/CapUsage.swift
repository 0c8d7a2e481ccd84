import Ledger

/// What a member has already been paid or approved in the plan year, which the annual
/// caps count against. The caller sums it from the claims register; the rules engine
/// only subtracts.
///
/// Approved-but-unpaid claims count, or two claims approved in the same week could
/// together pass the cap.
public struct CapUsage: Sendable, Hashable {
    /// Paid or approved under the benefit being claimed.
    public var benefitUsed: Money
    /// Paid or approved under all benefits, this one included.
    public var totalUsed: Money

    public init(benefitUsed: Money, totalUsed: Money) {
        self.benefitUsed = benefitUsed
        self.totalUsed = totalUsed
    }

    /// Nothing paid yet this year.
    public static let none = CapUsage(benefitUsed: .zero, totalUsed: .zero)

    /// Checks the usage is possible: not negative, and this benefit's part not more
    /// than the total it is part of.
    public func validate() throws(ClaimFactsError) {
        // Checked one by one, not through an array: this runs for every claim computed.
        try CapUsage.checkRange(benefitUsed, field: "usage.benefitUsed")
        try CapUsage.checkRange(totalUsed, field: "usage.totalUsed")
        if benefitUsed > totalUsed {
            throw ClaimFactsError(field: "usage.benefitUsed", message: "this benefit's usage \(benefitUsed.formatted()) is "
                + "more than the total usage \(totalUsed.formatted()) it is part of")
        }
    }

    private static func checkRange(_ amount: Money, field: String) throws(ClaimFactsError) {
        if amount.fen < 0 || amount.fen > Money.parseableMaxFen {
            throw ClaimFactsError(field: field, message: "an amount used is between 0 and the largest amount the ledger "
                + "records, found \(amount.formatted())")
        }
    }
}
