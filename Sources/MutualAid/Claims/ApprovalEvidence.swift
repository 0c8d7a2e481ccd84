import Ledger

/// What the signed log shows for claims about to be paid: each claim's filing and its
/// current round's approvals, read once for the whole batch and their signatures checked
/// together on every core (`AppendSession.signedEvents`).
///
/// Checked at payment: an insider who can write the file but holds no approver's key, and
/// marks a claim approved in the register (or raises its amount), is refused before the
/// bank's file is written, not found by the next audit. Two or three signature checks per
/// claim paid.
struct ApprovalEvidence {
    /// Each claim's current round of approvals by seq, as their idempotency keys find them;
    /// absent for a claim whose approvals are not in the log under those keys.
    let approvals: [Int64: [Int64]]
    /// The claims' filings and approvals, each as its signer signed it.
    let events: [Int64: RecordedEvent]

    /// Claims per reading: enough to keep both cores busy on their signatures, few enough
    /// that their decoded events stay a few megabytes.
    static let chunkSize = 1_024

    init(claims: ArraySlice<ClaimRecord>, session: AppendSession) throws {
        var approvals: [Int64: [Int64]] = [:]
        var seqs: [Int64] = []
        for claim in claims {
            seqs.append(claim.claim)
            if let found = try? MutualAidBook.approvalSeqs(claim: claim, lookup: session.keyAfterReversals) {
                approvals[claim.claim] = found
                seqs += found
            }
        }
        self.approvals = approvals
        events = try session.signedEvents(seqs: seqs)
    }

    /// Throws unless the log shows `claim` approved for the amount the register holds: its
    /// `claim.filed` event for the register's member, and its current round's `claim.approved`
    /// events naming the claim, by distinct approvers other than the filer, as many as the
    /// plan's threshold needs, the last for the approved amount.
    func require(_ claim: ClaimRecord, plan: PlanRules) throws {
        let differs = { (what: String) in
            MutualAidRuleError("claim \(claim.claim) is approved in the claims register but \(what): the ledger file has been changed outside huzhu; nothing was paid; run `huzhu audit`")
        }
        guard let filed = events[claim.claim], filed.kind == MutualAidKinds.claimFiled,
              (try? ClaimFiledEvent(event: filed))?.member == claim.member else {
            throw differs("event \(claim.claim) is not its filing for member \(claim.member)")
        }
        guard let approved = claim.approved else { throw differs("holds no approved amount") }
        guard let seqs = approvals[claim.claim] else { throw differs("the log holds no approval of it under the register's approvers") }
        guard seqs.count == (plan.needsTwoApprovers(approved) ? 2 : 1) else {
            throw differs("the log holds \(seqs.count) approval(s) of it, and \(approved.formatted()) needs \(plan.needsTwoApprovers(approved) ? 2 : 1)")
        }
        var approvers: Set<String> = []
        for seq in seqs {
            guard let event = events[seq], event.kind == MutualAidKinds.claimApproved, let approval = try? ClaimApprovedEvent(event: event),
                  approval.claim == claim.claim, event.actor.value != claim.filer, approvers.insert(event.actor.value).inserted
            else { throw differs("event \(seq) is not an approval of it by a distinct approver other than its filer") }
            guard approval.amountFen == approved.fen else {
                throw differs("event \(seq) approved \(Money(fen: approval.amountFen).formatted()), not \(approved.formatted())")
            }
        }
    }
}
