import GRDB
import Ledger

extension MutualAidBook {
    /// Revokes a claim's approval (撤销审批) before it is paid: withdraws every approval of
    /// the current round, reverses the final one's expense and payable, and puts the claim
    /// back to reviewed, counting against the caps at its assessed amount, to be approved
    /// (by two approvers again where the amount needs two) or rejected afresh.
    ///
    /// Signed by an approver who did not file the claim. A paid claim's payment must be
    /// returned first (`returnPayment`).
    @discardableResult
    public func revokeApproval(claim id: Int64, reason: String, date: LedgerDate, signer: SigningKey) throws -> AppendSession.Outcome {
        try ledger.append(signer: signer) { session in
            let claim = try MutualAidBook.claim(id, db: MutualAidBook.database(session))
            guard let latest = try MutualAidBook.approvalSeqs(claim: claim, session: session).last else {
                throw MutualAidRuleError("claim \(id) is \(claim.state.rawValue) and has no approval to revoke")
            }
            return try session.reverse(seq: latest, date: date, reason: reason)
        }
    }

    /// Records that the bank returned a claim's payment (支付退回: a closed account, a wrong
    /// card): the payment's postings reversed, the claim approved and unpaid again, so the
    /// next `pay` pays it anew (under the payment key's next generation).
    @discardableResult
    public func returnPayment(claim id: Int64, reason: String, date: LedgerDate, signer: SigningKey) throws -> AppendSession.Outcome {
        try ledger.append(signer: signer) { session in
            let claim = try MutualAidBook.claim(id, db: MutualAidBook.database(session))
            guard claim.state == .paid, let payment = try session.keyAfterReversals(MutualAidBook.paymentKey(claim: id)).seq else {
                throw MutualAidRuleError("claim \(id) is \(claim.state.rawValue); only a paid claim's payment can be returned")
            }
            return try session.reverse(seq: payment, date: date, reason: reason)
        }
    }

    /// The idempotency key of a claim's `number`th approval in a round (1 or 2), before
    /// `keyAfterReversals` moves it on for the rounds after a revocation.
    static func approvalKey(claim id: Int64, number: Int) -> String { "approve:\(id):\(number)" }

    /// The idempotency key of a claim's payment, likewise.
    static func paymentKey(claim id: Int64) -> String { "pay:\(id)" }

    /// The seqs of the approvals of the claim's current round, in order (none, one, or two),
    /// found by their idempotency keys.
    static func approvalSeqs(claim: ClaimRecord, session: AppendSession) throws -> [Int64] {
        guard !claim.approvers.isEmpty else { return [] }
        return try (1...claim.approvers.count).map { number in
            guard let seq = try session.keyAfterReversals(approvalKey(claim: claim.claim, number: number)).seq else {
                throw MutualAidRuleError("claim \(claim.claim)'s approval \(number) is not in the log under its key")
            }
            return seq
        }
    }

    /// Refuses a claim's step dated before the latest correction of the claim: an approval,
    /// rejection or payment after a revocation or a returned payment happens after it, so
    /// the reports can tell what stood at the end of each day.
    static func requireNotBeforeLastReversal(claim id: Int64, date: LedgerDate, db: Database) throws {
        guard let last = try String.fetchOne(db, sql: "SELECT max(date) FROM claim_reversals WHERE claim_id = ?", arguments: ["\(id)"]),
              date.text < last else { return }
        throw MutualAidRuleError("claim \(id) was last corrected on \(last); date this step on or after it, not \(date)")
    }
}
