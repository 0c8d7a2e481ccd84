import Foundation
import Ledger

/// A claim as the register shows it.
public struct ClaimRecord: Sendable {
    public let claim: Int64
    public let member: String
    public let unit: String
    public let year: Int
    public let benefit: String
    public let settlementKey: String
    public let serviceDate: String
    public let filedOn: String
    public let filer: String
    public let state: ClaimState
    /// What the rules engine assessed when the claim was filed.
    public let computed: Money
    /// The most the claim may be approved for: its assessment, or after a revoked approval
    /// what the caps still leave it (`PlanRules.approvableAfterRevocation`).
    public let approvable: Money
    public let approved: Money?
    public let paid: Money?
    public let rejectionReason: String?
    public let reviewer: String?
    public let approvers: [String]
    public let approvedOn: String?
    public let paidOn: String?
    /// The day of its latest correction (a revoked approval, a returned payment), which no
    /// later step of it may precede.
    public let correctedOn: String?

    public init(claim: Int64, member: String, unit: String, year: Int, benefit: String, settlementKey: String, serviceDate: String, filedOn: String, filer: String, state: ClaimState, computed: Money, approvable: Money, approved: Money?, paid: Money?, rejectionReason: String?, reviewer: String?, approvers: [String], approvedOn: String?, paidOn: String?, correctedOn: String?) {
        self.claim = claim
        self.member = member
        self.unit = unit
        self.year = year
        self.benefit = benefit
        self.settlementKey = settlementKey
        self.serviceDate = serviceDate
        self.filedOn = filedOn
        self.filer = filer
        self.state = state
        self.computed = computed
        self.approvable = approvable
        self.approved = approved
        self.paid = paid
        self.rejectionReason = rejectionReason
        self.reviewer = reviewer
        self.approvers = approvers
        self.approvedOn = approvedOn
        self.paidOn = paidOn
        self.correctedOn = correctedOn
    }
}

extension MutualAidBook {
    static func claim(_ id: Int64, in register: any MutualAidRecords) throws -> ClaimRecord {
        guard let claim = try register.claim(id) else { throw MutualAidRuleError("there is no claim \(id)") }
        return claim
    }

    public func claim(_ id: Int64) throws -> ClaimRecord {
        try read { try MutualAidBook.claim(id, in: $0) }
    }

    public func claims(year: Int, state: ClaimState? = nil, limit: Int? = nil) throws -> [ClaimRecord] {
        var filter = ClaimFilter()
        filter.planYear = year
        filter.state = state
        filter.limit = limit
        var found: [ClaimRecord] = []
        try forEachClaim(filter) { found.append($0) }
        return found
    }

    /// Calls `body` with every claim `filter` takes, in filing order, read one row at a time
    /// on one snapshot: a list of a city's year holds one claim at a time, not the year.
    public func forEachClaim(_ filter: ClaimFilter, _ body: (ClaimRecord) throws -> Void) throws {
        try read { try $0.forEachClaim(filter, states: filter.state.map { [$0] }, body) }
    }

    /// Reviews (审核) a filed claim. The reviewer may not be the key that filed it.
    @discardableResult
    public func review(claim id: Int64, note: String, signer: SigningKey) throws -> Int64 {
        try decideOne(ClaimDecisionBatch(.review, named: [NamedClaimDecision(claim: id, reason: note)], date: .today()), signer: signer).seq
    }

    /// Approves (审批) a reviewed claim, for the computed amount or less (with a reason).
    ///
    /// Below the plan's large-amount threshold one approval completes it; at or above,
    /// a second approver with a different key must approve the same amount. The approval
    /// that completes it posts the expense against the claims payable.
    public func approve(claim id: Int64, amount: Money? = nil, reason: String? = nil, date: LedgerDate,
                        signer: SigningKey) throws -> (seq: Int64, complete: Bool) {
        let decided = try decideOne(ClaimDecisionBatch(.approve, named: [NamedClaimDecision(claim: id, amount: amount, reason: reason)], date: date),
                                    signer: signer)
        return (decided.seq, decided.complete)
    }

    /// Rejects a claim that is not yet approved, with the reason the member will read.
    @discardableResult
    public func reject(claim id: Int64, reason: String, date: LedgerDate, signer: SigningKey) throws -> Int64 {
        try decideOne(ClaimDecisionBatch(.reject, named: [NamedClaimDecision(claim: id, reason: reason)], date: date), signer: signer).seq
    }

    private func decideOne(_ batch: ClaimDecisionBatch, signer: SigningKey) throws -> ClaimBatchOutcome.Decided {
        guard let decided = try decide(batch, signer: signer).decided.first else {
            throw MutualAidRuleError("claim \(batch.named.first?.claim ?? 0): nothing was decided")
        }
        return decided
    }

    /// Records one kind of decision on many claims in one transaction: every claim named
    /// (a rule that refuses one refuses the batch, naming its row), then every claim the
    /// filter takes (a claim the rules refuse is left out, with why). Each decision is its
    /// own event, so a member's proof of their claim's decision stays one event's.
    ///
    /// The rules are those of one claim's decision: the key that filed a claim never
    /// decides it, a second approval needs another approver, and a claim at or over the
    /// plan's large-amount threshold is approved only when named, never by a filter alone.
    /// A decision this key already recorded is answered as a repeat. A dry run makes every
    /// decision and rolls them back: what it reports is what the batch would record.
    public func decide(_ batch: ClaimDecisionBatch, signer: SigningKey, dryRun: Bool = false) throws -> ClaimBatchOutcome {
        if batch.kind == .reject, batch.filter != nil, batch.reason?.trimmingSpaces().isEmpty ?? true {
            throw LedgerInputError(field: "reason", value: batch.reason ?? "", reason: "say why the claims are rejected")
        }
        do {
            return try ledger.append(signer: signer) { session in
                let decider = ClaimDecider(session: session, register: try MutualAidBook.tables(session), batch: batch)
                var outcome = ClaimBatchOutcome(kind: batch.kind)
                var named = Set<Int64>()
                for (index, decision) in batch.named.enumerated() {
                    named.insert(decision.claim)
                    if index % ClaimDecider.readAheadChunk == 0 {
                        try decider.readAhead(batch.named[index..<min(index + ClaimDecider.readAheadChunk, batch.named.count)].map(\.claim))
                    }
                    do {
                        outcome.decided.append(try decider.decide(decision, named: true))
                    } catch let error as MutualAidRuleError where decision.row != nil {
                        throw BatchRowError(row: decision.row ?? 0, underlying: error)
                    } catch let error as LedgerInputError where decision.row != nil {
                        throw BatchRowError(row: decision.row ?? 0, underlying: error)
                    }
                }
                if let filter = batch.filter {
                    let selected = try decider.select(filter).filter { !named.contains($0) }
                    for (index, claim) in selected.enumerated() {
                        if index % ClaimDecider.readAheadChunk == 0 {
                            try decider.readAhead(Array(selected[index..<min(index + ClaimDecider.readAheadChunk, selected.count)]))
                        }
                        do {
                            outcome.decided.append(try decider.decide(NamedClaimDecision(claim: claim), named: false))
                        } catch let error as MutualAidRuleError {
                            outcome.leftOut.append(ClaimBatchOutcome.LeftOut(claim: claim, reason: error.message))
                        }
                    }
                }
                if dryRun {
                    outcome.dryRun = true
                    throw ClaimBatchDryRun(outcome: outcome)
                }
                return outcome
            }
        } catch let rolledBack as ClaimBatchDryRun {
            return rolledBack.outcome
        }
    }
}

/// Makes one batch's decisions inside its append session, claim by claim, with the plans
/// read once per plan year.
final class ClaimDecider {
    let session: AppendSession
    let register: any MutualAidTables
    let batch: ClaimDecisionBatch
    let signer: String
    private var plans: [Int: PlanRules] = [:]

    /// Claims decided per read-ahead (`readAhead(_:)`).
    static let readAheadChunk = 1000

    init(session: AppendSession, register: any MutualAidTables, batch: ClaimDecisionBatch) {
        self.session = session
        self.register = register
        self.batch = batch
        signer = session.signer.id.value
    }

    /// The claims `filter` takes for this batch's decision, in filing order.
    /// Tells the store which claims the next decisions read, and the keys a review or a
    /// rejection of each is recorded under (a store on a server then reads them in two
    /// statements, not two or three per claim).
    func readAhead(_ ids: [Int64]) throws {
        try register.readAhead(claims: ids)
        switch batch.kind {
        case .review: try session.readAhead(idempotencyKeys: ids.map { "review:\($0)" })
        case .reject: try session.readAhead(idempotencyKeys: ids.map { "reject:\($0)" })
        // The first or second approval's key (`approvalKey`), whichever this one is.
        case .approve: try session.readAhead(idempotencyKeys: ids.flatMap { [MutualAidBook.approvalKey(claim: $0, number: 1),
                                                                             MutualAidBook.approvalKey(claim: $0, number: 2)] })
        }
    }

    func select(_ filter: ClaimFilter) throws -> [Int64] {
        let decidable = batch.kind.decidableStates
        if let state = filter.state, !decidable.contains(state) {
            throw LedgerInputError(field: "state", value: state.rawValue, reason: "a claim to be \(batch.kind.done) is "
                                   + decidable.map(\.rawValue).joined(separator: " or "))
        }
        // Ids only, read before any decision moves a claim out of the filter: 8 bytes a claim.
        return try register.claimIDs(filter, states: filter.state.map { [$0] } ?? decidable)
    }

    func plan(year: Int) throws -> PlanRules {
        if let known = plans[year] { return known }
        let rules = try MutualAidBook.requirePlan(year: year, in: register).rules
        plans[year] = rules
        return rules
    }

    /// Records `decision`, or answers with the same decision this key recorded before.
    /// `named` is false for a claim a filter took, which a large approval may not be.
    func decide(_ decision: NamedClaimDecision, named: Bool) throws -> ClaimBatchOutcome.Decided {
        let id = decision.claim
        let claim = try MutualAidBook.claim(id, in: register)
        if let repeated = try repeated(claim) { return repeated }
        guard claim.filer != signer else {
            throw MutualAidRuleError("key \(signer) filed claim \(id) and may not \(batch.kind == .reject ? "decide" : batch.kind.rawValue) it")
        }
        switch batch.kind {
        case .review: return try review(claim, note: decision.reason ?? batch.reason ?? "")
        case .approve: return try approve(claim, amount: decision.amount, reason: decision.reason, named: named)
        case .reject: return try reject(claim, reason: decision.reason ?? batch.reason ?? "")
        }
    }

    /// The decision this key already recorded on `claim`, if it did.
    func repeated(_ claim: ClaimRecord) throws -> ClaimBatchOutcome.Decided? {
        let id = claim.claim
        switch batch.kind {
        case .review:
            guard claim.state != .filed, claim.reviewer == signer, let seq = try session.recordedSeq(idempotencyKey: "review:\(id)") else { return nil }
            return .init(claim: id, seq: seq, amount: claim.approvable, complete: true, repeated: true)
        case .approve:
            guard let number = claim.approvers.firstIndex(of: signer) else { return nil }
            let seqs = try MutualAidBook.approvalSeqs(claim: claim, lookup: session.keyAfterReversals)
            return .init(claim: id, seq: seqs[number], amount: claim.approved ?? claim.approvable,
                         complete: claim.state != .partlyApproved, repeated: true)
        case .reject:
            guard claim.state == .rejected, let seq = try session.recordedSeq(idempotencyKey: "reject:\(id)"),
                  try session.event(seq: seq)?.actor.value == signer else { return nil }
            return .init(claim: id, seq: seq, amount: claim.computed, complete: true, repeated: true)
        }
    }

    func review(_ claim: ClaimRecord, note: String) throws -> ClaimBatchOutcome.Decided {
        let id = claim.claim
        guard claim.state == .filed else { throw MutualAidRuleError("claim \(id) is \(claim.state.rawValue); only a filed claim can be reviewed") }
        let seq = try session.append(ClaimReviewedEvent(claim: id, note: note).draft()).seq
        return .init(claim: id, seq: seq, amount: claim.approvable, complete: true, repeated: false)
    }

    func approve(_ claim: ClaimRecord, amount: Money?, reason: String?, named: Bool) throws -> ClaimBatchOutcome.Decided {
        let id = claim.claim, date = batch.date
        guard claim.state == .reviewed || claim.state == .partlyApproved else {
            throw MutualAidRuleError("claim \(id) is \(claim.state.rawValue); only a reviewed claim can be approved" + (claim.state == .filed ? " (review it first)" : ""))
        }
        let approval: PayoutApproval
        do { approval = try PayoutApproval(computed: claim.approvable, approved: amount ?? claim.approvable, reason: reason) } catch {
            throw MutualAidRuleError("claim \(id): \(error)")
        }
        let plan = try plan(year: claim.year)
        guard plan.reviewerMayApprove || claim.reviewer != signer else {
            throw MutualAidRuleError("key \(signer) reviewed claim \(id), and the \(plan.year) plan keeps review and approval apart")
        }
        guard named || !plan.needsTwoApprovers(approval.approved) else {
            throw MutualAidRuleError("""
                claim \(id) is for \(approval.approved.formatted()), at or over the plan's large-amount threshold \
                (\(plan.largeAmountThreshold.formatted())): each of its two approvers names it
                """)
        }
        try MutualAidBook.requireNotBeforeWhatItDecides(claim, date: date, step: "approval")
        try MutualAidBook.requireNotBeforeLastCorrection(claim, date: date)
        if claim.state == .partlyApproved {
            let first = try MutualAidBook.approvalSeqs(claim: claim, lookup: session.keyAfterReversals).first
                .flatMap { try session.event(seq: $0).map { try ClaimApprovedEvent(event: $0).amountFen } }
            guard first == approval.approved.fen else {
                throw MutualAidRuleError("the first approver approved \(Money(fen: first ?? 0).formatted()) for claim \(id); approve the same amount or reject the claim")
            }
        }
        let complete = claim.state == .partlyApproved || !plan.needsTwoApprovers(approval.approved)
        var postings: [Posting] = []
        if complete {
            guard approval.approved.fen > 0, let benefit = plan.benefit(code: claim.benefit) else {
                throw MutualAidRuleError("claim \(id) has nothing to approve; reject it instead")
            }
            postings = [try .debit(benefit.expenseAccount, approval.approved), try .credit(plan.accounts.claimsPayable, approval.approved)]
        }
        let key = try session.keyAfterReversals(MutualAidBook.approvalKey(claim: id, number: claim.approvers.count + 1)).key
        let seq = try session.append(ClaimApprovedEvent(claim: id, amountFen: approval.approved.fen, approval: Int64(claim.approvers.count + 1),
                                                        reason: approval.reason, final: complete, date: date, postings: postings,
                                                        idempotencyKey: key).draft()).seq
        return .init(claim: id, seq: seq, amount: approval.approved, complete: complete, repeated: false)
    }

    func reject(_ claim: ClaimRecord, reason: String) throws -> ClaimBatchOutcome.Decided {
        let id = claim.claim, date = batch.date
        let trimmed = reason.trimmingSpaces()
        guard !trimmed.isEmpty else { throw LedgerInputError(field: "reason", value: reason, reason: "say why the claim is rejected") }
        guard [.filed, .reviewed, .partlyApproved].contains(claim.state) else {
            throw MutualAidRuleError("claim \(id) is \(claim.state.rawValue) and can no longer be rejected"
                                     + (claim.state == .approved ? " (revoke its approval first: `huzhu claim revoke-approval \(id)`)" : ""))
        }
        try MutualAidBook.requireNotBeforeWhatItDecides(claim, date: date, step: "rejection")
        try MutualAidBook.requireNotBeforeLastCorrection(claim, date: date)
        let seq = try session.append(ClaimRejectedEvent(claim: id, reason: trimmed, date: date).draft()).seq
        return .init(claim: id, seq: seq, amount: claim.computed, complete: true, repeated: false)
    }
}

/// One line of a payment file for the bank.
public struct PaymentLine: Sendable {
    public let claim: Int64
    public let member: String
    public let name: String
    public let bankCard: String
    public let amount: Money
}

/// What a payment run did: the lines of the bank's file, and the claims held back.
public struct PaymentRun: Sendable {
    public var lines: [PaymentLine] = []
    /// Approved claims not paid, each with why (no valid card, personal data erased or
    /// edited outside Huzhu): they stay approved, to be paid once that is put right.
    public var held: [PaymentHold] = []

    public var total: Money { lines.total }
}

extension [PaymentLine] {
    /// What the lines pay in all.
    public var total: Money { Money(fen: reduce(Int64(0)) { $0 + $1.amount.fen }) }
}

/// The bank's payment file: one line per payment, in the order paid.
public enum PaymentFile {
    public static let header = ["batch", "claim", "member", "name", "bank_card", "amount"]

    public static func csv(batch: String, lines: [PaymentLine]) -> String {
        CSVWriter().document(header: header, rows: lines.map {
            [batch, "\($0.claim)", $0.member, $0.name, $0.bankCard, $0.amount.formatted(grouping: false)]
        })
    }
}

extension MutualAidBook {
    /// Pays approved claims (all of them, or those listed) in one batch: each payment
    /// clears the claims payable against the bank. Returns the lines of the bank's
    /// payment file. A claim whose payment the bank returned is approved again, and paid
    /// here anew. A claim whose member cannot be paid (`payee`: no valid card, personal
    /// data erased, or details on file that the log did not commit to) is held, not paid.
    ///
    /// A batch at or over the large-amount threshold is paid only once an approver has
    /// approved it (`approveBatch`), and then only the claims that approval lists (all of
    /// them when none are named), by a clerk other than that approver.
    public func pay(claims ids: [Int64]?, batch: String, date: LedgerDate, signer: SigningKey) throws -> PaymentRun {
        let batch = try MutualAidBook.checkReference(batch, field: "batch")
        return try ledger.append(signer: signer) { session in
            let register = try MutualAidBook.tables(session)
            let approval = try MutualAidBook.batchApproval(batch, event: session.event(seq:), keySeq: session.recordedSeq(idempotencyKey:))
            let targets = try MutualAidBook.payable(ids ?? approval.map { approval in
                try approval.claims.filter { try MutualAidBook.claim($0, in: register).state != .paid }
            }, in: register)
            var run = PaymentRun()
            var payees: [Int64: Payee] = [:]
            for claim in targets {
                switch try MutualAidBook.payee(member: claim.member, in: register) {
                case let .payee(payee): payees[claim.claim] = payee
                case let .held(reason): run.held.append(PaymentHold(claim: claim.claim, member: claim.member, reason: reason))
                }
            }
            let paying = targets.filter { payees[$0.claim] != nil }
            try MutualAidBook.checkBatch(batch, approval: approval, paying: paying, in: register, session: session)
            // Read once per plan year, not per claim: the rules are parsed from their published JSON.
            var plans: [Int: PlanRules] = [:]
            // The evidence is read and its signatures checked a chunk of claims at a time: on
            // every core, and without holding a month's decoded events at once.
            for start in stride(from: 0, to: paying.count, by: ApprovalEvidence.chunkSize) {
                let chunk = paying[start..<min(start + ApprovalEvidence.chunkSize, paying.count)]
                let evidence = try ApprovalEvidence(claims: chunk, session: session)
                for claim in chunk {
                    guard let amount = claim.approved, let payee = payees[claim.claim] else { continue }  // `payable` let only approved claims through
                    try MutualAidBook.requireNotBeforeWhatItDecides(claim, date: date, step: "payment")
                    try MutualAidBook.requireNotBeforeLastCorrection(claim, date: date)
                    let plan = try plans[claim.year] ?? MutualAidBook.requirePlan(year: claim.year, in: register).rules
                    plans[claim.year] = plan
                    try evidence.require(claim, plan: plan)
                    try session.append(ClaimPaidEvent(claim: claim.claim, amountFen: amount.fen, batch: batch, date: date,
                                                      postings: [.debit(plan.accounts.claimsPayable, amount), .credit(plan.accounts.bank, amount)],
                                                      idempotencyKey: session.keyAfterReversals(MutualAidBook.paymentKey(claim: claim.claim)).key).draft())
                    run.lines.append(PaymentLine(claim: claim.claim, member: claim.member, name: payee.name, bankCard: payee.bankCard, amount: amount))
                }
            }
            return run
        }
    }

    /// The lines of batch `batch`'s payment file again, from its standing payments in the
    /// order paid, to the payees as the register holds them now (`huzhu claim pay-file`):
    /// for a file lost after its payments were recorded. Throws if a payee can no longer
    /// be paid, naming the claims.
    public func paymentLines(batch: String) throws -> [PaymentLine] {
        try read { register in
            let rows = try register.standingPayments(batch: batch)
            guard !rows.isEmpty else { throw MutualAidRuleError("batch \(batch) has no standing payments; see `huzhu claim list --state paid`") }
            var lines: [PaymentLine] = [], held: [PaymentHold] = []
            for (claim, member, paid) in rows {
                switch try MutualAidBook.payee(member: member, in: register) {
                case let .payee(payee): lines.append(PaymentLine(claim: claim, member: member, name: payee.name, bankCard: payee.bankCard, amount: paid))
                case let .held(reason): held.append(PaymentHold(claim: claim, member: member, reason: reason))
                }
            }
            guard held.isEmpty else {
                throw MutualAidRuleError("batch \(batch)'s file cannot be written again: " + held.map(\.description).joined(separator: "; "))
            }
            return lines
        }
    }
}
