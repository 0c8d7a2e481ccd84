import Ledger

/// How the plan's money steps are reversed (冲销), when `huzhu reverse SEQ` or a claim's
/// correction names one of them: the kind of the reversing event, the figures it copies
/// from the step so the registers can be undone from the log alone, and the checks that
/// keep the registers whole.
///
/// | reversed | recorded as | the register afterwards |
/// |---|---|---|
/// | `contribution.billed` | `contribution.reversed` | the unit's headcount and amounts billed less the bill's (bill again to re-bill) |
/// | `contribution.received` | `contribution.reversed` | received less the receipt: the unit may owe again, and its members' new claims wait for it |
/// | `contribution.refunded` | `contribution.reversed` | refunded less the refund |
/// | `subsidy.received` | `subsidy.reversed` | the year's subsidy received less it |
/// | `claim.approved` | `claim.approval-revoked` | every approval of the round withdrawn; the claim is reviewed again, approvable for what the caps still leave it |
/// | `claim.paid` | `claim.payment-returned` | the claim is approved and unpaid again, to be paid anew |
///
/// The ledger adds the original's postings on the opposite sides, `reverses`, `reason`,
/// the date and the idempotency key `reversal:<seq>`. A step recorded again after its
/// reversal takes a fresh idempotency key (`AppendSession.keyAfterReversals`).
enum PlanReversals {
    static func reversal(of original: RecordedEvent, on date: LedgerDate, in session: AppendSession) throws -> DomainReversal? {
        let register = try MutualAidBook.tables(session)
        func refuse(_ reason: String) -> LedgerRuleError { .notReversible(seq: original.seq, reason: reason) }
        switch original.kind {
        case MutualAidKinds.contributionBilled, MutualAidKinds.contributionReceived, MutualAidKinds.contributionRefunded:
            return try contribution(original, in: register, refuse: refuse)
        case MutualAidKinds.subsidyReceived:
            let subsidy = try SubsidyReceivedEvent(event: original)
            return DomainReversal(kind: MutualAidKinds.subsidyReversed,
                                  fields: SubsidyReversedEvent.fields(planYear: subsidy.planYear, amountFen: subsidy.amountFen, reference: subsidy.reference))
        case MutualAidKinds.claimApproved:
            return try approval(original, on: date, session: session, in: register, refuse: refuse)
        case MutualAidKinds.claimPaid:
            return try payment(original, on: date, session: session, in: register, refuse: refuse)
        case MutualAidKinds.claimFiled:
            throw refuse("a filed claim is not reversed; an approver rejects it (`huzhu claim reject`)")
        case MutualAidKinds.entryApproved:
            throw refuse("an approved entry on the plan's accounts is corrected by another approved entry: propose its lines on the opposite sides (`huzhu post --propose`) for an approver")
        case MutualAidKinds.claimReviewed, MutualAidKinds.claimRejected:
            throw refuse("a claim's \(original.kind == MutualAidKinds.claimReviewed ? "review" : "rejection") is not reversed")
        default:
            return nil
        }
    }

    /// A bill, receipt or refund: refused when undoing it would leave the unit having
    /// received more than it was billed, or a refund of money it no longer has.
    static func contribution(_ original: RecordedEvent, in register: any MutualAidRecords, refuse: (String) -> LedgerRuleError) throws -> DomainReversal {
        let unit: String, year: Int64, undone: ContributionReversedEvent.Undone
        switch original.kind {
        case MutualAidKinds.contributionBilled:
            let bill = try ContributionBilledEvent(event: original)
            (unit, year, undone) = (bill.unit, bill.planYear, .bill(headcount: bill.headcount, unitFen: bill.unitFen, subsidyFen: bill.subsidyFen))
        case MutualAidKinds.contributionReceived:
            let receipt = try ContributionReceivedEvent(event: original)
            (unit, year, undone) = (receipt.unit, receipt.planYear, .receipt(amountFen: receipt.amountFen, bankReference: receipt.bankReference))
        default:
            let refund = try ContributionRefundedEvent(event: original)
            (unit, year, undone) = (refund.unit, refund.planYear, .refund(amountFen: refund.amountFen))
        }
        let status = try MutualAidBook.contributionStatus(unit: unit, year: Int(year), in: register)
        let netReceived = status.received.fen - status.refunded.fen
        switch undone {
        case let .bill(_, unitFen, _):
            if netReceived > status.billedUnit.fen - unitFen {
                throw refuse("unit \(unit) has paid \(Money(fen: netReceived).formatted()) net for \(year), more than it would owe without this bill (\(Money(fen: status.billedUnit.fen - unitFen).formatted())); refund or reverse its receipts first")
            }
        case let .receipt(amount, _):
            if status.received.fen - amount < status.refunded.fen {
                throw refuse("unit \(unit) was refunded \(status.refunded.formatted()) for \(year), more than it would have paid without this receipt; reverse the refund first")
            }
        case let .refund(amount):
            if netReceived + amount > status.billedUnit.fen {
                throw refuse("unit \(unit) would have paid \(Money(fen: netReceived + amount).formatted()) net for \(year), more than it was billed (\(status.billedUnit.formatted()))")
            }
        }
        return DomainReversal(kind: MutualAidKinds.contributionReversed,
                              fields: ContributionReversedEvent.fields(unit: unit, planYear: year, undone: undone))
    }

    /// A claim's approval, before the claim is paid: the approval named must be the round's
    /// latest (the final one, once there is one), and the round's approvals are withdrawn
    /// together, so the claim is decided afresh, by two approvers again where it needs two.
    ///
    /// A final approval's revocation also says what the claim may be approved for afterwards
    /// (`approvableFen`): its assessment, but no more than the amount revoked plus what the
    /// annual caps have left, since claims filed after the approval may have spent the rest.
    static func approval(_ original: RecordedEvent, on date: LedgerDate, session: AppendSession, in register: any MutualAidRecords,
                         refuse: (String) -> LedgerRuleError) throws -> DomainReversal {
        let approved = try ClaimApprovedEvent(event: original)
        let id = approved.claim
        let claim = try MutualAidBook.claim(id, in: register)
        switch claim.state {
        case .approved, .partlyApproved: break
        case .paid: throw refuse("claim \(id) is paid; record the bank's return of the payment first (`huzhu claim return-payment \(id)`)")
        default: throw refuse("claim \(id) is \(claim.state.rawValue) and has no approval to revoke")
        }
        guard claim.filer != session.signer.id.value else {
            throw refuse("key \(session.signer.id) filed claim \(id) and may not decide it")
        }
        let round = try MutualAidBook.approvalSeqs(claim: claim, lookup: session.keyAfterReversals)
        guard let latest = round.last, original.seq == latest else {
            throw refuse("it is not the latest approval of claim \(id)\(round.last.map { ", which is seq \($0)" } ?? ""); revoke the claim's approval with `huzhu claim revoke-approval \(id)`")
        }
        try MutualAidBook.requireNotBeforeLastCorrection(claim, date: date)
        var approvable: Int64?
        if approved.final, let amount = claim.approved {
            let plan = try MutualAidBook.rulesInForce(year: claim.year, serviceDate: claim.serviceDate, in: register)
            let usage = try register.capUsage(member: claim.member, planYear: claim.year, benefit: claim.benefit)
            approvable = plan.approvableAfterRevocation(benefit: plan.benefit(code: claim.benefit), assessed: claim.computed,
                                                        revoked: amount, usage: usage).fen
        }
        return DomainReversal(kind: MutualAidKinds.claimApprovalRevoked,
                              fields: ClaimApprovalRevokedEvent.fields(claim: id, approvals: round, amountFen: approved.amountFen,
                                                                       final: approved.final, approvableFen: approvable))
    }

    /// A claim's payment that the bank returned: the claim's standing payment, whose
    /// amount is owed to the member again.
    static func payment(_ original: RecordedEvent, on date: LedgerDate, session: AppendSession, in register: any MutualAidRecords,
                        refuse: (String) -> LedgerRuleError) throws -> DomainReversal {
        let paid = try ClaimPaidEvent(event: original)
        let id = paid.claim
        let claim = try MutualAidBook.claim(id, in: register)
        guard claim.state == .paid, try session.keyAfterReversals(MutualAidBook.paymentKey(claim: id)).seq == original.seq else {
            throw refuse("claim \(id) is \(claim.state.rawValue), and this is not its standing payment")
        }
        try MutualAidBook.requireNotBeforeLastCorrection(claim, date: date)
        return DomainReversal(kind: MutualAidKinds.claimPaymentReturned,
                              fields: ClaimPaymentReturnedEvent.fields(claim: id, amountFen: paid.amountFen, batch: paid.batch))
    }
}

extension MutualAidProjection {
    public func reversal(of original: RecordedEvent, on date: LedgerDate, in session: AppendSession) throws -> DomainReversal? {
        try PlanReversals.reversal(of: original, on: date, in: session)
    }
}
