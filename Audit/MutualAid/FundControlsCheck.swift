import Ledger
import MutualAid

/// The internal control of the fund's money (财务内控), checked on every event: the audit
/// explains every fen that moves on the plan's accounts.
///
/// - `fund.controls`: every posting on an account the plan controls (`PlanControls`) comes
///   from a plan event (a bill, receipt, refund or subsidy and their reversals; a claim's
///   approval, payment and their corrections) or from a proposed entry's final approval. A
///   plain entry there is an error naming its seq, accounts and amount. A proposed entry is
///   approved by keys other than its proposer's, distinct, two at or over the large-amount
///   threshold, dated between its date and its lapse date, never after a rejection, and posts
///   exactly the lines proposed. A bill, receipt, refund or subsidy posts its amounts between
///   the plan's own accounts (`PlanAccounts.billPostings` and the like). A refund rests on an approver's approval of it; a payment batch at or
///   over the threshold, or one an approver approved, pays only the claims approved, for no more
///   than the total approved, by a clerk other than the approver.
/// - `fund.tie-out`: each benefit's expense account equals the claims register (the approvals
///   standing), as the fund report's tie-out line computes.
///
/// From the events alone, so the bundle verifier runs it too. Skipped in an incremental audit,
/// which does not read the plans and claims before its checkpoint.
public struct FundControlsCheck: AuditCheck {
    public let name = "fund.controls"
    static let tieOut = "fund.tie-out"

    struct Proposal {
        let proposer: String
        /// The day it was recorded (UTC+8, by its signed time): its lapse counts from there.
        let recordedOn: LedgerDate
        let date: LedgerDate?
        let lines: [Posting]
        let lapsesOn: LedgerDate?
        let approvalsNeeded: Int
        var approvers: [String] = []
        var closed = false
    }

    struct Batch {
        var approvalSeq: Int64?
        var approver: String?
        var claims: Set<Int64> = []
        var approvedFen: Int64 = 0
        var paidFen: Int64 = 0
    }

    var skipped = false
    /// Each year's plan as it stands, by year; and every plan ever published, whose accounts
    /// stay controlled after an amendment names others.
    var plans: [Int: PlanRules] = [:]
    var everyPlan: [PlanRules] = []
    var plansBySeq: [Int64: PlanRules] = [:]
    var controlled = ControlledAccounts.none
    var benefitExpenses = ControlledAccounts.none
    var threshold: Money?
    var proposals: [Int64: Proposal] = [:]
    var batches: [String: Batch] = [:]
    /// Refund approvals by the refund key they approve (`refund:<reference>`, with its generation).
    var refundApprovals: [String: [(seq: Int64, approver: String, unit: String?, year: Int64?, amountFen: Int64?)]] = [:]
    /// Each claim's benefit expense account and its standing approved amount.
    var claimExpense: [Int64: AccountCode] = [:]
    var claimApprovedFen: [Int64: Int64] = [:]
    /// Claims whose payment stands (paid, not returned): a batch approval may not list them.
    var claimsPaid: Set<Int64> = []
    /// Net debits of each benefit expense account, from every event, and from the claims alone.
    var expenseMovedFen: [AccountCode: Int64] = [:]
    var expenseByClaimsFen: [AccountCode: Int64] = [:]

    public init() {}

    public mutating func begin(_ context: AuditContext, into findings: inout [Finding]) throws {
        if context.firstSeq > 1 {
            skipped = true
            findings.append(Finding(.info, check: name, "not run in an incremental audit: the fund's controls are checked from the whole history in a full audit"))
        }
    }

    public mutating func inspect(_ audited: AuditedEvent, into findings: inout [Finding]) {
        guard !skipped else { return }
        let event = audited.event
        let postings = (try? audited.postings.get()) ?? []
        let checkName = name
        // An event that does not read as its kind's value (`audited.value`) is reported by
        // `events.format`; its postings are still judged below.
        func fail(_ text: String, _ seqs: [Int64]? = nil, _ check: String? = nil) {
            findings.append(Finding(.error, check: check ?? checkName, seqs: seqs ?? [event.seq], text))
        }
        for posting in postings where benefitExpenses.controls(posting.account) {
            expenseMovedFen[posting.account, default: 0] += posting.side == .debit ? posting.amount.fen : -posting.amount.fen
        }
        switch event.kind {
        case MutualAidKinds.planPublished:
            guard let rules = audited.value(PlanPublishedEvent.self).flatMap({ try? PlanRules(json: $0.rules) }) else { return }  // the mutual-aid check reports it
            plans[rules.year] = rules
            plansBySeq[event.seq] = rules
            everyPlan.append(rules)
            controlled = PlanControls.controlledAccounts(plans: everyPlan)
            benefitExpenses = PlanControls.benefitExpenseAccounts(plans: everyPlan)
            threshold = PlanControls.largeAmountThreshold(plans: Array(plans.values))
        case MutualAidKinds.entryProposed:
            if let proposed = audited.value(EntryProposedEvent.self) { inspectProposal(proposed, event: event, fail: fail) }
        case MutualAidKinds.entryApproved:
            if let approval = audited.value(EntryApprovedEvent.self) { inspectEntryApproval(approval, event: event, postings: postings, fail: fail) }
            return
        case MutualAidKinds.entryRejected:
            guard let rejection = audited.value(EntryRejectedEvent.self) else { break }
            let seq = rejection.proposal
            guard var proposal = proposals[seq], !proposal.closed else {
                fail("the rejection names seq \(seq), which is no pending proposed entry", [seq, event.seq])
                return
            }
            if event.actor.value == proposal.proposer { fail("proposal \(seq) was rejected by the key that proposed it", [seq, event.seq]) }
            proposal.closed = true
            proposals[seq] = proposal
        case MutualAidKinds.claimFiled:
            if let filed = audited.value(ClaimFiledEvent.self), let rules = plansBySeq[filed.plan], let benefit = rules.benefit(code: filed.benefit) {
                claimExpense[event.seq] = benefit.expenseAccount
            }
        case MutualAidKinds.claimApproved:
            guard let approval = audited.value(ClaimApprovedEvent.self), approval.final else { break }
            claimApprovedFen[approval.claim] = approval.amountFen
            if let account = claimExpense[approval.claim] { expenseByClaimsFen[account, default: 0] += approval.amountFen }
        case MutualAidKinds.claimApprovalRevoked:
            guard let revocation = audited.value(ClaimApprovalRevokedEvent.self), revocation.final else { break }
            claimApprovedFen[revocation.claim] = nil
            if let account = claimExpense[revocation.claim] { expenseByClaimsFen[account, default: 0] -= revocation.amountFen }
        case MutualAidKinds.paymentBatchApproved:
            if let approval = audited.value(PaymentBatchApprovedEvent.self) { inspectBatchApproval(approval, event: event, fail: fail) }
        case MutualAidKinds.claimPaid:
            guard let payment = audited.value(ClaimPaidEvent.self) else { break }
            inspectPayment(payment, event: event, fail: fail)
            claimsPaid.insert(payment.claim)
        case MutualAidKinds.claimPaymentReturned:
            guard let returned = audited.value(ClaimPaymentReturnedEvent.self) else { break }
            batches[returned.batch ?? "", default: Batch()].paidFen -= returned.amountFen
            claimsPaid.remove(returned.claim)
        case MutualAidKinds.refundApproved:
            guard let approval = audited.value(RefundApprovedEvent.self) else { break }
            let approves = MutualAidBook.refundKey(approvedBy: approval.idempotencyKey)
            refundApprovals[approves, default: []].append((event.seq, event.actor.value, approval.unit, approval.planYear, approval.amountFen))
        case MutualAidKinds.contributionRefunded:
            if let refund = audited.value(ContributionRefundedEvent.self) { inspectRefund(refund, event: event, fail: fail) }
        default:
            break
        }
        guard !postings.isEmpty, !controlled.isEmpty else { return }
        if let expected = planPostings(audited) {
            if postings != expected {
                fail("\(event.kind) does not post \(PlanControls.amount(of: expected).formatted()) between the plan's accounts as the plan states")
            }
            return
        }
        guard !Self.planKinds.contains(event.kind) else { return }  // judged by the mutual-aid checks
        let lines = postings.filter { controlled.controls($0.account) }
        guard !lines.isEmpty else { return }
        let accounts = Set(lines.map(\.account.value)).sorted().joined(separator: ", ")
        fail("""
            \(event.kind) moves \(PlanControls.amount(of: postings).formatted()) on the plan's accounts \(accounts) signed by one key, \
            with no plan event or approved entry behind it
            """)
    }

    /// The plan's kinds whose postings the mutual-aid checks recompute (or which this check does).
    static let planKinds: Set<EventKind> = [
        MutualAidKinds.contributionBilled, MutualAidKinds.contributionReceived, MutualAidKinds.contributionRefunded,
        MutualAidKinds.contributionReversed, MutualAidKinds.subsidyReceived, MutualAidKinds.subsidyReversed,
        MutualAidKinds.claimApproved, MutualAidKinds.claimPaid, MutualAidKinds.claimApprovalRevoked, MutualAidKinds.claimPaymentReturned,
        MutualAidKinds.entryApproved,
    ]

    /// The lines a bill, receipt, refund or subsidy must post, from the plan of its year
    /// (`PlanAccounts`, the rule the steps are recorded by).
    func planPostings(_ audited: AuditedEvent) -> [Posting]? {
        func accounts(_ year: Int64) -> PlanAccounts? { plans[Int(year)]?.accounts }
        switch audited.event.kind {
        case MutualAidKinds.contributionBilled:
            guard let bill = audited.value(ContributionBilledEvent.self), let accounts = accounts(bill.planYear) else { return nil }
            return try? accounts.billPostings(unitFen: bill.unitFen, subsidyFen: bill.subsidyFen)
        case MutualAidKinds.contributionReceived:
            guard let receipt = audited.value(ContributionReceivedEvent.self), let accounts = accounts(receipt.planYear) else { return nil }
            return try? accounts.receiptPostings(Money(fen: receipt.amountFen))
        case MutualAidKinds.contributionRefunded:
            guard let refund = audited.value(ContributionRefundedEvent.self), let accounts = accounts(refund.planYear) else { return nil }
            return try? accounts.refundPostings(Money(fen: refund.amountFen))
        case MutualAidKinds.subsidyReceived:
            guard let subsidy = audited.value(SubsidyReceivedEvent.self), let accounts = accounts(subsidy.planYear) else { return nil }
            return try? accounts.subsidyPostings(Money(fen: subsidy.amountFen))
        default: return nil
        }
    }

    mutating func inspectProposal(_ proposed: EntryProposedEvent, event: RecordedEvent, fail: (String, [Int64]?, String?) -> Void) {
        let lines = proposed.lines
        let date: LedgerDate? = proposed.date, lapsesOn: LedgerDate? = proposed.lapsesOn
        let expected = PlanControls.approvalsNeeded(amount: PlanControls.amount(of: lines), threshold: threshold)
        let recorded = Int(proposed.approvalsNeeded)
        if (try? lines.checkBalanced()) == nil { fail("the proposed entry's lines do not balance", nil, nil) }
        if benefitExpenses.firstControlled(in: lines) != nil { fail("the proposed entry moves a benefit's expense, which only claims move", nil, nil) }
        if recorded < expected {
            fail("the proposed entry of \(PlanControls.amount(of: lines).formatted()) asks for \(recorded) approval(s), but the large-amount threshold needs \(expected)", nil, nil)
        }
        let recordedOn = event.time.localDate
        if date != nil, let lapsesOn {
            let range = recordedOn.adding(days: PlanControls.lapseDaysRange.lowerBound)...recordedOn.adding(days: PlanControls.lapseDaysRange.upperBound)
            if !range.contains(lapsesOn) {
                fail("the proposed entry lapses on \(lapsesOn), not 1 to \(PlanControls.lapseDaysRange.upperBound) days after the day it was recorded, \(recordedOn)", nil, nil)
            }
        } else {
            fail("the proposed entry lacks its date or lapse date", nil, nil)
        }
        proposals[event.seq] = Proposal(proposer: event.actor.value, recordedOn: recordedOn, date: date, lines: lines, lapsesOn: lapsesOn,
                                        approvalsNeeded: max(expected, recorded))
    }

    mutating func inspectEntryApproval(_ approval: EntryApprovedEvent, event: RecordedEvent, postings: [Posting],
                                       fail: (String, [Int64]?, String?) -> Void) {
        let seq = approval.proposal
        guard var proposal = proposals[seq], !proposal.closed else {
            fail("the approval names seq \(seq), which is no pending proposed entry", [seq, event.seq], nil)
            return
        }
        let actor = event.actor.value
        if actor == proposal.proposer { fail("proposal \(seq) was approved by the key that proposed it", [seq, event.seq], nil) }
        if proposal.approvers.contains(actor) { fail("proposal \(seq) was approved twice by one key", [seq, event.seq], nil) }
        // Judged by the signed times, not by dates anyone typed.
        let recordedOn = event.time.localDate
        if approval.approvedOn != recordedOn {
            fail("proposal \(seq)'s approval says it was made on \(approval.approvedOn), but it was recorded on \(recordedOn)", [seq, event.seq], nil)
        }
        if let lapsesOn = proposal.lapsesOn, recordedOn > lapsesOn || recordedOn < proposal.recordedOn {
            fail("proposal \(seq) was approved on \(recordedOn), outside the days from its proposal (\(proposal.recordedOn)) to its lapse date \(lapsesOn)", [seq, event.seq], nil)
        }
        if approval.date != proposal.date { fail("proposal \(seq)'s approval is not dated the entry's date", [seq, event.seq], nil) }
        proposal.approvers.append(actor)
        let final = proposal.approvers.count >= proposal.approvalsNeeded
        if approval.final != final || approval.approval != Int64(proposal.approvers.count) {
            fail("proposal \(seq) needs \(proposal.approvalsNeeded) distinct approver(s); this approval is number \(proposal.approvers.count) and says final is \(approval.final)", [seq, event.seq], nil)
        }
        if postings != (final ? proposal.lines : []) {
            fail(final ? "proposal \(seq)'s final approval does not post exactly the lines proposed" : "proposal \(seq)'s first approval moves money before the entry is approved",
                 [seq, event.seq], nil)
        }
        proposal.closed = final
        proposals[seq] = proposal
    }

    mutating func inspectBatchApproval(_ approval: PaymentBatchApprovedEvent, event: RecordedEvent, fail: (String, [Int64]?, String?) -> Void) {
        let name = approval.batch
        var batch = batches[name, default: Batch()]
        if batch.approvalSeq != nil || batch.paidFen != 0 {
            fail("batch \(name) is approved after it was approved or paid", nil, nil)
        }
        let claims = approval.claims
        let approvedFen = approval.amountFen
        let standing = claims.reduce(Int64(0)) { $0 + (claimApprovedFen[$1] ?? 0) }
        if claims.contains(where: { claimApprovedFen[$0] == nil || claimsPaid.contains($0) }) || standing != approvedFen {
            fail("batch \(name)'s approval of \(Money(fen: approvedFen).formatted()) is not the approved amounts of the approved, unpaid claims it lists (\(Money(fen: standing).formatted()))", nil, nil)
        }
        batch.approvalSeq = event.seq
        batch.approver = event.actor.value
        batch.claims = Set(claims)
        batch.approvedFen = approvedFen
        batches[name] = batch
    }

    mutating func inspectPayment(_ payment: ClaimPaidEvent, event: RecordedEvent, fail: (String, [Int64]?, String?) -> Void) {
        let name = payment.batch ?? "", claim = payment.claim
        var batch = batches[name, default: Batch()]
        batch.paidFen += payment.amountFen
        batches[name] = batch
        if let approval = batch.approvalSeq {
            if !batch.claims.contains(claim) { fail("claim \(claim) is paid in batch \(name), whose approval does not list it", [approval, event.seq], nil) }
            if batch.approver == event.actor.value { fail("batch \(name) was paid by the key that approved it", [approval, event.seq], nil) }
            if batch.paidFen > batch.approvedFen {
                fail("batch \(name) has paid \(Money(fen: batch.paidFen).formatted()), more than the \(Money(fen: batch.approvedFen).formatted()) approved", [approval, event.seq], nil)
            }
        } else if let threshold, batch.paidFen >= threshold.fen {
            fail("batch \(name) has paid \(Money(fen: batch.paidFen).formatted()), at or over the large-amount threshold \(threshold.formatted()), with no approver's approval of the batch", nil, nil)
        } else if payment.idempotencyKey.contains("#") {
            fail("claim \(claim) is paid again after its payment was returned, in batch \(name), which no approver approved", nil, nil)
        }
    }

    mutating func inspectRefund(_ refund: ContributionRefundedEvent, event: RecordedEvent, fail: (String, [Int64]?, String?) -> Void) {
        let reference = refund.reference
        // Each approval covers one refund: the one recorded under the key it names.
        let approvals = refundApprovals.removeValue(forKey: refund.idempotencyKey) ?? []
        let amount = Money(fen: refund.amountFen)
        guard !approvals.isEmpty else {
            fail("the refund \(reference) of \(amount.formatted()) to unit \(refund.unit) has no approver's approval", nil, nil)
            return
        }
        let needed = PlanControls.approvalsNeeded(amount: amount, threshold: threshold)
        if Set(approvals.map(\.approver)).count < needed {
            fail("the refund \(reference) of \(amount.formatted()) is at or over the large-amount threshold but has \(Set(approvals.map(\.approver)).count) approver", approvals.map(\.seq) + [event.seq], nil)
        }
        for approval in approvals {
            if approval.unit != refund.unit || approval.year != refund.planYear || approval.amountFen != refund.amountFen {
                fail("the refund \(reference) differs from its approval in unit, year or amount", [approval.seq, event.seq], nil)
            }
            if approval.approver == event.actor.value { fail("the refund \(reference) was recorded by the key that approved it", [approval.seq, event.seq], nil) }
        }
    }

    public mutating func finish(_ context: AuditContext, into findings: inout [Finding]) throws {
        guard !skipped else { return }
        for account in Set(expenseMovedFen.keys).union(expenseByClaimsFen.keys).sorted() {
            let moved = expenseMovedFen[account] ?? 0, byClaims = expenseByClaimsFen[account] ?? 0
            if moved != byClaims {
                findings.append(Finding(.error, check: FundControlsCheck.tieOut, """
                    benefit expense account \(account) stands at \(Money(fen: moved).formatted()), but the claims register's approvals \
                    add up to \(Money(fen: byClaims).formatted()) (\(Money(fen: moved - byClaims).formatted()) unexplained)
                    """))
            }
        }
    }
}
