import Ledger

/// The facts of one claim that the rules engine needs, taken from the claim form and
/// the medical-insurance settlement (医保结算单). Only what the benefit's basis uses
/// must be given:
///
/// | basis | needs |
/// |---|---|
/// | `ownShare` | `ownShareInScope` (and, if known, `totalCost` and `insuranceCovered`, which are cross-checked) |
/// | `fixed` | nothing beyond the dates |
/// | `gradeTable` | `disabilityGrade` |
/// | `loss` | `lossAmount` |
///
/// Facts are checked before any rule is applied (``validate(for:)``): amounts are
/// not negative and the settlement adds up, so that a typo on the form is reported as
/// a typo, not turned into a payout.
public struct ClaimFacts: Sendable, Hashable {
    /// The day of treatment, discharge or accident (就诊/出院/事故日期): the day that
    /// must be inside the coverage term and after the waiting period.
    public var serviceDate: LedgerDate
    /// The day the claim was filed (申请日期): the day that must meet the deadline.
    public var filedOn: LedgerDate
    /// The whole bill (医疗费用总额).
    public var totalCost: Money?
    /// The part medical insurance paid (统筹基金支付).
    public var insuranceCovered: Money?
    /// The member's own share inside insurance scope (政策范围内个人负担), the base of
    /// an `ownShare` benefit.
    public var ownShareInScope: Money?
    /// The assessed property loss, the base of a `loss` benefit (e.g. a house fire).
    public var lossAmount: Money?
    /// The assessed disability grade, 1 (most severe) to 10.
    public var disabilityGrade: Int?

    public init(serviceDate: LedgerDate, filedOn: LedgerDate, totalCost: Money? = nil, insuranceCovered: Money? = nil,
                ownShareInScope: Money? = nil, lossAmount: Money? = nil, disabilityGrade: Int? = nil) {
        self.serviceDate = serviceDate
        self.filedOn = filedOn
        self.totalCost = totalCost
        self.insuranceCovered = insuranceCovered
        self.ownShareInScope = ownShareInScope
        self.lossAmount = lossAmount
        self.disabilityGrade = disabilityGrade
    }

    /// Checks the facts a claim on a benefit of basis `kind` needs.
    ///
    /// - Throws: ``ClaimFactsError`` naming the first field that is missing or wrong.
    public func validate(for kind: PayoutBasis.Kind) throws(ClaimFactsError) {
        if filedOn < serviceDate {
            throw ClaimFactsError(field: "filedOn", value: filedOn.text, message: "the claim is dated \(filedOn), before the service date "
                + "\(serviceDate); a claim is filed after the treatment or event")
        }
        try checkAmount(totalCost, field: "totalCost")
        try checkAmount(insuranceCovered, field: "insuranceCovered")
        try checkAmount(ownShareInScope, field: "ownShareInScope")
        try checkAmount(lossAmount, field: "lossAmount")
        if let totalCost {
            if let insuranceCovered, insuranceCovered > totalCost {
                throw ClaimFactsError(field: "insuranceCovered", value: insuranceCovered.formatted(grouping: false), message: "the insurance paid \(insuranceCovered.formatted()), "
                    + "more than the total cost \(totalCost.formatted())")
            }
            if let ownShareInScope, ownShareInScope > totalCost {
                throw ClaimFactsError(field: "ownShareInScope", value: ownShareInScope.formatted(grouping: false), message: "the own share in scope \(ownShareInScope.formatted()) "
                    + "is more than the total cost \(totalCost.formatted())")
            }
            if let insuranceCovered, let ownShareInScope, insuranceCovered.fen + ownShareInScope.fen > totalCost.fen {
                throw ClaimFactsError(field: "ownShareInScope", value: ownShareInScope.formatted(grouping: false), message: "the insurance paid \(insuranceCovered.formatted()) "
                    + "and the own share in scope \(ownShareInScope.formatted()) add up to more than the total cost "
                    + "\(totalCost.formatted())")
            }
        }
        if let disabilityGrade, !DisabilityGradeTable.grades.contains(disabilityGrade) {
            throw ClaimFactsError(field: "disabilityGrade", value: "\(disabilityGrade)", message: "disability grades run from 1 (most severe) to 10, "
                + "found \(disabilityGrade)")
        }
        switch kind {
        case .ownShare where ownShareInScope == nil:
            throw ClaimFactsError(field: "ownShareInScope", message: "this benefit pays on the member's own share inside "
                + "insurance scope; enter it from the settlement form")
        case .loss where lossAmount == nil:
            throw ClaimFactsError(field: "lossAmount", message: "this benefit pays on the assessed loss; enter it")
        case .gradeTable where disabilityGrade == nil:
            throw ClaimFactsError(field: "disabilityGrade", message: "this benefit pays by disability grade; enter the "
                + "assessed grade (1 to 10)")
        default:
            break
        }
    }

    private func checkAmount(_ amount: Money?, field: String) throws(ClaimFactsError) {
        guard let amount else { return }
        if amount.fen < 0 {
            throw ClaimFactsError(field: field, value: amount.formatted(grouping: false), message: "an amount on a claim cannot be negative, found \(amount.formatted())")
        }
        if amount.fen > Money.parseableMaxFen {
            throw ClaimFactsError(field: field, value: amount.formatted(grouping: false), message: "\(amount.formatted()) is larger than any amount the ledger records")
        }
    }
}

/// A claim's input that cannot be computed on, as distinct from a claim the rules
/// reject: this is a mistake to correct, not a decision to record.
///
/// Reads as `ownShareInScope: the own share in scope 12,000.00 is more than the total cost 10,000.00`.
public struct ClaimFactsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input field at fault, e.g. `ownShareInScope`, `usage.benefitUsed`, `benefit`.
    public let field: String
    /// The value at fault as the input gave it ("" for one that is missing).
    public let value: String
    public let message: String

    public init(field: String, value: String = "", message: String) {
        self.field = field
        self.value = value
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
