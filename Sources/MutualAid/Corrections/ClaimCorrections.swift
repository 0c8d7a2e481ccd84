import Ledger

extension MutualAidBook {
    /// Revokes a claim's approval (撤销审批) before it is paid: withdraws every approval of
    /// the current round, reverses the final one's expense and payable, and puts the claim
    /// back to reviewed, counting against the caps at what it may now be approved for (its
    /// assessment, or less where the caps have since been spent:
    /// `PlanRules.approvableAfterRevocation`), to be approved (by two approvers again where
    /// the amount needs two) or rejected afresh.
    ///
    /// Signed by an approver who did not file the claim. A paid claim's payment must be
    /// returned first (`returnPayment`).
    ///
    /// `approval` names the approval to revoke (the round's latest); without it, the
    /// claim's current one is revoked. Repeating a revocation (the same date and reason)
    /// is answered with it, as `.duplicate`: always when `approval` is given, and otherwise
    /// while the claim has not been approved again since.
    @discardableResult
    public func revokeApproval(claim id: Int64, approval: Int64? = nil, reason: String, date: LedgerDate,
                               signer: SigningKey) throws -> AppendSession.Outcome {
        try ledger.append(signer: signer) { session in
            try MutualAidBook.correct(claim: id, step: approval, of: MutualAidKinds.claimApproved, by: MutualAidKinds.claimApprovalRevoked,
                                      reason: reason, date: date, session: session,
                                      current: { claim, session in try MutualAidBook.approvalSeqs(claim: claim, lookup: session.keyAfterReversals).last },
                                      check: { _ in }, none: { "claim \($0.claim) is \($0.state.rawValue) and has no approval to revoke" })
        }
    }

    /// Records that the bank returned a claim's payment (支付退回: a closed account, a wrong
    /// card): the payment's postings reversed, the claim approved and unpaid again, so the
    /// next `pay` pays it anew (under the payment key's next generation).
    ///
    /// `payment` names the payment returned (the claim's standing one); without it, the
    /// claim's current payment is. A repeat is answered as for `revokeApproval`.
    @discardableResult
    public func returnPayment(claim id: Int64, payment: Int64? = nil, reason: String, date: LedgerDate,
                              signer: SigningKey) throws -> AppendSession.Outcome {
        try ledger.append(signer: signer) { session in
            try MutualAidBook.returnPayment(ReturnedPayment(claim: id, reason: reason), pinned: payment, date: date, session: session)
        }
    }

    /// Records every payment of the bank's return file (`PaymentReturnFileReader`) as
    /// returned, in one transaction: a line the rules refuse (a claim not paid, an amount or
    /// batch that is not its payment's) refuses the file, naming its row. A line already
    /// recorded (same date and reason) is answered with its return, as `.duplicate`.
    public func returnPayments(_ returns: [ReturnedPayment], date: LedgerDate, signer: SigningKey) throws -> [AppendSession.Outcome] {
        try ledger.append(signer: signer) { session in
            try returns.map { line in
                do {
                    return try MutualAidBook.returnPayment(line, pinned: nil, date: date, session: session)
                } catch let error as MutualAidRuleError where line.row != nil {
                    throw BatchRowError(row: line.row ?? 0, underlying: error)
                } catch let error as LedgerInputError where line.row != nil {
                    throw error.at(row: line.row ?? 0)
                }
            }
        }
    }

    static func returnPayment(_ line: ReturnedPayment, pinned: Int64?, date: LedgerDate, session: AppendSession) throws -> AppendSession.Outcome {
        try correct(claim: line.claim, step: pinned, of: MutualAidKinds.claimPaid, by: MutualAidKinds.claimPaymentReturned,
                    reason: line.reason, date: date, session: session,
                    current: { claim, session in
                        claim.state == .paid ? try session.keyAfterReversals(MutualAidBook.paymentKey(claim: claim.claim)).seq : nil
                    },
                    check: { event in
                        let payment = try ClaimPaidEvent(event: event)
                        if let amount = line.amount, payment.amountFen != amount.fen {
                            throw MutualAidRuleError("claim \(line.claim)'s payment at seq \(event.seq) paid "
                                                     + "\(Money(fen: payment.amountFen).formatted()), not \(amount.formatted())")
                        }
                        if let batch = line.batch, payment.batch != batch {
                            throw MutualAidRuleError("claim \(line.claim)'s payment at seq \(event.seq) is of batch "
                                                     + "\(payment.batch ?? "?"), not \(batch)")
                        }
                    },
                    none: { "claim \($0.claim) is \($0.state.rawValue); only a paid claim's payment can be returned" })
    }

    /// Reverses a step of claim `id` (an event of `stepKind`), recorded as `correctionKind`:
    /// `pinned` when given, which must be such a step of the claim, else the claim's
    /// `current` one, after `check` has accepted the step's event. With none standing, a
    /// repeat of the claim's latest correction (same kind, date and reason) is answered
    /// with it, and anything else refused with `none`.
    static func correct(claim id: Int64, step pinned: Int64?, of stepKind: EventKind, by correctionKind: EventKind,
                        reason: String, date: LedgerDate, session: AppendSession,
                        current: (ClaimRecord, AppendSession) throws -> Int64?, check: (RecordedEvent) throws -> Void,
                        none: (ClaimRecord) -> String) throws -> AppendSession.Outcome {
        let claim = try MutualAidBook.claim(id, in: MutualAidBook.tables(session))
        if let pinned {
            guard let event = try session.event(seq: pinned), event.kind == stepKind, try ClaimStepEvent(event).claim == id else {
                throw MutualAidRuleError("seq \(pinned) is not a \(stepKind.name) event of claim \(id)")
            }
            try check(event)
            return try session.reverse(seq: pinned, date: date, reason: reason)
        }
        if let standing = try current(claim, session), let event = try session.event(seq: standing) {
            try check(event)
            return try session.reverse(seq: standing, date: date, reason: reason)
        }
        if let repeated = try MutualAidBook.repeatedCorrection(claim: id, kind: correctionKind, date: date, reason: reason, session: session) {
            return repeated
        }
        throw MutualAidRuleError(none(claim))
    }

    /// The claim's latest correction, as `.duplicate`, when it is of `kind` with the same
    /// date and reason as the one asked for again; nil otherwise.
    static func repeatedCorrection(claim id: Int64, kind: EventKind, date: LedgerDate, reason: String,
                                   session: AppendSession) throws -> AppendSession.Outcome? {
        guard let seq = try MutualAidBook.tables(session).correctedSeq(claim: id),
              let correction = try session.event(seq: seq), correction.kind == kind,
              correction.date == date, try ReversalFields(EventFields(correction)).reason == reason.trimmingSpaces() else { return nil }
        return .duplicate(seq: seq)
    }

    /// The seqs of a claim's standing steps: the approvals of its current round and its
    /// payment, which `revokeApproval(approval:)` and `returnPayment(payment:)` name.
    public func standingSteps(claim id: Int64) throws -> (approvals: [Int64], payment: Int64?) {
        let claim = try self.claim(id)
        return try ledger.read { reader in
            let approvals = try MutualAidBook.approvalSeqs(claim: claim, lookup: reader.keyAfterReversals)
            let payment = claim.state == .paid ? try reader.keyAfterReversals(MutualAidBook.paymentKey(claim: id)).seq : nil
            return (approvals, payment)
        }
    }

    /// The idempotency key of a claim's `number`th approval in a round (1 or 2), before
    /// `keyAfterReversals` moves it on for the rounds after a revocation.
    static func approvalKey(claim id: Int64, number: Int) -> String { "approve:\(id):\(number)" }

    /// The idempotency key of a claim's payment, likewise.
    static func paymentKey(claim id: Int64) -> String { "pay:\(id)" }

    /// The seqs of the approvals of the claim's current round, in order (none, one, or two),
    /// found by their idempotency keys through `lookup` (a session's `keyAfterReversals`, or
    /// a reader's outside one).
    static func approvalSeqs(claim: ClaimRecord, lookup: (String) throws -> (key: String, seq: Int64?)) throws -> [Int64] {
        guard !claim.approvers.isEmpty else { return [] }
        return try (1...claim.approvers.count).map { number in
            guard let seq = try lookup(approvalKey(claim: claim.claim, number: number)).seq else {
                throw MutualAidRuleError("claim \(claim.claim)'s approval \(number) is not in the log under its key")
            }
            return seq
        }
    }

    /// Refuses a claim's step dated before the latest correction of the claim: an approval,
    /// rejection, payment, revocation or return after a revocation (a first of two approvals
    /// withdrawn included) or a returned payment happens after it, so the reports can tell
    /// what stood at the end of each day.
    /// Refuses a decision dated before what it decides: an approval or rejection before the
    /// claim was filed, a payment before the claim was approved.
    static func requireNotBeforeWhatItDecides(_ claim: ClaimRecord, date: LedgerDate, step: String) throws {
        let (earliest, what) = step == "payment" ? (claim.approvedOn ?? claim.filedOn, "approved") : (claim.filedOn, "filed")
        guard date.text >= earliest else {
            throw MutualAidRuleError("claim \(claim.claim) was \(what) on \(earliest); \(step == "approval" ? "an" : "a") \(step) dated \(date) would come before it")
        }
    }

    static func requireNotBeforeLastCorrection(_ claim: ClaimRecord, date: LedgerDate) throws {
        guard let last = claim.correctedOn, date.text < last else { return }
        throw MutualAidRuleError("claim \(claim.claim) was last corrected on \(last); date this step on or after it, not \(date)")
    }
}
