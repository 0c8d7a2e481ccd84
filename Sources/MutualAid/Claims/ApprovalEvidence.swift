import Ledger

extension MutualAidBook {
    /// Throws unless the signed log, not only the claims register, shows `claim` approved
    /// for the amount the register holds: its `claim.filed` event for the register's member,
    /// and its current round's `claim.approved` events, each signed by a key valid then
    /// (`AppendSession.signedEvent`), naming the claim, by distinct approvers other than the
    /// filer, as many as the plan's threshold needs, the last for the approved amount.
    ///
    /// Checked at payment: an insider who can write the file but holds no approver's key,
    /// and marks a claim approved in the register (or raises its amount), is refused before
    /// the bank's file is written, not found by the next audit. Two or three signature
    /// checks per claim paid.
    static func requireApprovalInLog(_ claim: ClaimRecord, plan: PlanRules, session: AppendSession) throws {
        let differs = { (what: String) in
            MutualAidRuleError("claim \(claim.claim) is approved in the claims register but \(what): the ledger file has been changed outside huzhu; nothing was paid; run `huzhu audit`")
        }
        let filed = try session.signedEvent(seq: claim.claim)
        guard filed.kind == MutualAidKinds.claimFiled, filed.data["member"]?.stringValue == claim.member else {
            throw differs("event \(claim.claim) is not its filing for member \(claim.member)")
        }
        guard let approved = claim.approved else { throw differs("holds no approved amount") }
        let seqs: [Int64]
        do { seqs = try approvalSeqs(claim: claim, lookup: session.keyAfterReversals) } catch {
            throw differs("the log holds no approval of it under the register's approvers")
        }
        guard seqs.count == (plan.needsTwoApprovers(approved) ? 2 : 1) else {
            throw differs("the log holds \(seqs.count) approval(s) of it, and \(approved.formatted()) needs \(plan.needsTwoApprovers(approved) ? 2 : 1)")
        }
        var approvers: Set<String> = []
        for seq in seqs {
            let approval = try session.signedEvent(seq: seq)
            guard approval.kind == MutualAidKinds.claimApproved, approval.data["claim"]?.integerValue == claim.claim,
                  approval.actor.value != claim.filer, approvers.insert(approval.actor.value).inserted
            else { throw differs("event \(seq) is not an approval of it by a distinct approver other than its filer") }
            guard approval.data["amountFen"]?.integerValue == approved.fen else {
                throw differs("event \(seq) approved \(Money(fen: approval.data["amountFen"]?.integerValue ?? 0).formatted()), not \(approved.formatted())")
            }
        }
    }
}
