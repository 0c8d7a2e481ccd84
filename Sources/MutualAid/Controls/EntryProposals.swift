import Ledger

/// A general entry as a clerk proposes it (记账凭证): the lines it will post once approved.
public struct EntryProposal: Sendable {
    public let entry: JournalEntry
    /// Days from the day it is recorded within which it must be approved; after that it lapses.
    public let lapseDays: Int

    public init(entry: JournalEntry, lapseDays: Int = PlanControls.lapseDaysDefault) throws(LedgerInputError) {
        guard PlanControls.lapseDaysRange.contains(lapseDays) else {
            throw LedgerInputError(field: "lapses-in", value: "\(lapseDays)",
                                   reason: "a proposal waits \(PlanControls.lapseDaysRange.lowerBound) to \(PlanControls.lapseDaysRange.upperBound) days for its approvals")
        }
        self.entry = entry
        self.lapseDays = lapseDays
    }
}

/// Where a proposed entry stands.
public enum ProposalState: String, Sendable {
    /// Waiting for (more) approvals, and not past its lapse date.
    case pending
    /// Fully approved: the final approval posted it.
    case approved
    /// An approver rejected it.
    case rejected
    /// Not approved by its lapse date: it will never post.
    case lapsed
}

/// A proposed entry as `huzhu entry list` shows it, read from its events.
public struct ProposalRecord: Sendable {
    public let seq: Int64
    public let proposer: String
    public let date: LedgerDate
    public let memo: String
    public let postings: [Posting]
    public let amount: Money
    public let lapsesOn: LedgerDate
    public let approvalsNeeded: Int
    /// The keys that approved it so far, in order.
    public let approvers: [String]
    /// The seq of the approval that posted it, once approved.
    public let postedSeq: Int64?
    public let rejectionReason: String?
    public let state: ProposalState
}

extension MutualAidBook {
    /// The idempotency key of approval `number` (1, 2) of the proposal at `seq`.
    static func entryApprovalKey(proposal seq: Int64, number: Int) -> String { "entry-approval:\(seq):\(number)" }
    static func entryRejectionKey(proposal seq: Int64) -> String { "entry-rejection:\(seq)" }

    /// Proposes a general entry (`entry.proposed`): nothing posts until an approver other
    /// than the proposer approves it, two distinct approvers at or over the large-amount
    /// threshold, within `lapseDays` of the day it is recorded (by the recording clock, not
    /// a date anyone types). The entry's accounts must exist and take postings, and its date
    /// lie in an open month. A repeated `reference` is answered with the proposal it named
    /// while that stands; one rejected or lapsed is not brought back.
    public func propose(_ proposal: EntryProposal, signer: SigningKey) throws -> (outcome: AppendSession.Outcome, approvalsNeeded: Int) {
        try ledger.append(signer: signer) { session in
            let register = try MutualAidBook.tables(session)
            let entry = proposal.entry
            let today = EventTime.now().localDate
            let key = entry.idempotencyKey.map { "proposal:" + $0 }
            if let key, let earlier = try session.recordedSeq(idempotencyKey: key) {
                let record = try MutualAidBook.proposal(seq: earlier, asOf: today, session: session)
                if record.state == .rejected || record.state == .lapsed {
                    throw MutualAidRuleError("reference \(entry.idempotencyKey ?? "") named proposal \(earlier), which was \(record.state.rawValue); propose the entry again under a new --ref")
                }
            }
            try session.requirePostable(entry.postings)
            let plans = try PlanControls.publishedPlans(in: register)
            if let line = PlanControls.benefitExpenseAccounts(plans: try PlanControls.everyPublishedPlan(session.store)).firstControlled(in: entry.postings) {
                throw MutualAidRuleError("account \(line.account) is a benefit's expense, which moves only through claims (so it always equals the claims register); file, approve or correct a claim instead")
            }
            let needed = PlanControls.approvalsNeeded(amount: PlanControls.amount(of: entry.postings),
                                                      threshold: PlanControls.largeAmountThreshold(plans: plans))
            let outcome = try session.append(EntryProposedEvent(memo: entry.memo, lines: entry.postings,
                                                                amountFen: PlanControls.amount(of: entry.postings).fen,
                                                                lapsesOn: today.adding(days: proposal.lapseDays), approvalsNeeded: Int64(needed),
                                                                date: entry.date, idempotencyKey: key).draft())
            return (outcome, needed)
        }
    }

    /// Approves the proposed entry at `seq` (`entry.approved`), on the day it is recorded
    /// (`approvedOn`, by the recording clock, no later than the proposal's lapse date): by an
    /// approver who did not propose it. The approval that completes it (the first, or the
    /// second, by another key, where two are needed) posts the proposal's lines, dated the
    /// entry's date. An approver asking again is answered with their approval.
    public func approveEntry(proposal seq: Int64, signer: SigningKey) throws -> (seq: Int64, posted: Bool, repeated: Bool) {
        try ledger.append(signer: signer) { session in
            let today = EventTime.now().localDate
            let record = try MutualAidBook.proposal(seq: seq, asOf: today, session: session)
            if let index = record.approvers.firstIndex(of: signer.id.value),
               let approval = try session.recordedSeq(idempotencyKey: MutualAidBook.entryApprovalKey(proposal: seq, number: index + 1)) {
                return (approval, record.postedSeq != nil, true)
            }
            switch record.state {
            case .pending: break
            case .approved: throw MutualAidRuleError("proposal \(seq) is already approved and posted at seq \(record.postedSeq ?? 0)")
            case .rejected: throw MutualAidRuleError("proposal \(seq) was rejected (\(record.rejectionReason ?? "")); propose the entry again")
            case .lapsed: throw MutualAidRuleError("proposal \(seq) lapsed on \(record.lapsesOn) unapproved; propose the entry again")
            }
            guard record.proposer != signer.id.value else { throw MutualAidRuleError("key \(signer.id) proposed entry \(seq) and may not approve it") }
            if try session.store.closedPeriods()[record.date.period] != nil {
                throw MutualAidRuleError("proposal \(seq) is dated \(record.date), in the closed month \(record.date.period): it can no longer post; propose it again dated in an open month")
            }
            let number = record.approvers.count + 1
            let final = number >= record.approvalsNeeded
            let draft = try EntryApprovedEvent(proposal: seq, approval: Int64(number), final: final, approvedOn: today, date: record.date,
                                               postings: final ? record.postings : [],
                                               idempotencyKey: MutualAidBook.entryApprovalKey(proposal: seq, number: number)).draft()
            return (try session.append(draft).seq, final, false)
        }
    }

    /// Rejects the proposed entry at `seq` (`entry.rejected`) with a reason, on the day it is
    /// recorded: it never posts. The same rejection asked again is answered with it.
    public func rejectEntry(proposal seq: Int64, reason: String, signer: SigningKey) throws -> (seq: Int64, repeated: Bool) {
        let trimmed = reason.trimmingSpaces()
        guard !trimmed.isEmpty, trimmed.count <= JournalEntry.memoLengthMax else {
            throw LedgerInputError(field: "reason", value: reason, reason: "say why the entry is rejected, in at most \(JournalEntry.memoLengthMax) characters")
        }
        return try ledger.append(signer: signer) { session in
            let today = EventTime.now().localDate
            let record = try MutualAidBook.proposal(seq: seq, asOf: today, session: session)
            if let earlier = try session.recordedSeq(idempotencyKey: MutualAidBook.entryRejectionKey(proposal: seq)),
               let event = try session.event(seq: earlier), event.actor == signer.id, try EntryRejectedEvent(event: event).reason == trimmed {
                return (earlier, true)
            }
            guard record.state == .pending || record.state == .lapsed else {
                throw MutualAidRuleError("proposal \(seq) is \(record.state.rawValue) and can no longer be rejected")
            }
            guard record.proposer != signer.id.value else { throw MutualAidRuleError("key \(signer.id) proposed entry \(seq) and may not decide it") }
            return (try session.append(EntryRejectedEvent(proposal: seq, reason: trimmed, rejectedOn: today,
                                                          idempotencyKey: MutualAidBook.entryRejectionKey(proposal: seq)).draft()).seq, false)
        }
    }

    /// Every proposed entry, oldest first, with where it stands on `asOf` (lapsed after its lapse date).
    public func proposals(asOf: LedgerDate) throws -> [ProposalRecord] {
        try ledger.read { reader in
            try reader.seqs(ofKind: MutualAidKinds.entryProposed).map {
                try MutualAidBook.proposal(seq: $0, asOf: asOf, event: { try reader.storedEvent(seq: $0).map { try RecordedEvent(body: $0.body, signature: []) } },
                                           keySeq: reader.seq(idempotencyKey:))
            }
        }
    }

    static func proposal(seq: Int64, asOf: LedgerDate, session: AppendSession) throws -> ProposalRecord {
        try proposal(seq: seq, asOf: asOf, event: session.event(seq:), keySeq: session.recordedSeq(idempotencyKey:))
    }

    /// A proposal and its decisions, found by their idempotency keys.
    static func proposal(seq: Int64, asOf: LedgerDate, event: (Int64) throws -> RecordedEvent?,
                         keySeq: (String) throws -> Int64?) throws -> ProposalRecord {
        guard let recorded = try event(seq), recorded.kind == MutualAidKinds.entryProposed else {
            throw MutualAidRuleError("event \(seq) is not a proposed entry; see `huzhu entry list`")
        }
        let proposed = try EntryProposedEvent(event: recorded)
        let postings = proposed.lines, date = proposed.date, lapsesOn = proposed.lapsesOn
        let needed = Int(proposed.approvalsNeeded)
        var approvers: [String] = []
        var postedSeq: Int64?
        for number in 1...2 {
            guard let approvalSeq = try keySeq(entryApprovalKey(proposal: seq, number: number)), let approval = try event(approvalSeq) else { break }
            approvers.append(approval.actor.value)
            if try EntryApprovedEvent(event: approval).final { postedSeq = approvalSeq }
        }
        let rejection = try keySeq(entryRejectionKey(proposal: seq)).flatMap { try event($0) }
        let state: ProposalState = postedSeq != nil ? .approved : rejection != nil ? .rejected : asOf > lapsesOn ? .lapsed : .pending
        return ProposalRecord(seq: seq, proposer: recorded.actor.value, date: date, memo: proposed.memo,
                              postings: postings, amount: PlanControls.amount(of: postings), lapsesOn: lapsesOn,
                              approvalsNeeded: needed, approvers: approvers, postedSeq: postedSeq,
                              rejectionReason: try rejection.map { try EntryRejectedEvent(event: $0).reason }, state: state)
    }
}
