import Ledger

/// An approver's approval of a payment batch, as `payment.batch-approved` records it.
public struct BatchApproval: Sendable {
    public let seq: Int64
    public let batch: String
    public let approver: String
    public let claims: [Int64]
    public let amount: Money
}

/// An approver's approval of a refund, as `contribution.refund-approved` records it.
public struct RefundApproval: Sendable {
    public let seq: Int64
    public let approver: String
    public let unit: String
    public let year: Int
    public let amount: Money
    public let reference: String
}

extension MutualAidBook {
    static func batchApprovalKey(_ batch: String) -> String { "batch-approval:\(batch)" }
    /// The key of the approval of the refund recorded under `refundKey` (`refund:<reference>`,
    /// or `refund:<reference>#2` after a reversal): one approval, one refund.
    /// (The second approval's prefix differs, not a suffix: a reference may hold any text.)
    static func refundApprovalKey(refundKey: String, number: Int = 1) -> String {
        (number == 1 ? "refund-approval:" : "refund-approval-\(number):") + refundKey.dropFirst("refund:".count)
    }

    /// The key of the refund an approval keyed `approvalKey` approves (`refundApprovalKey` read back).
    public static func refundKey(approvedBy approvalKey: String) -> String {
        ["refund-approval-2:", "refund-approval:"].first(where: approvalKey.hasPrefix).map { "refund:" + approvalKey.dropFirst($0.count) } ?? approvalKey
    }

    /// The longest batch name or refund reference: a bank file's name, not a document.
    public static let referenceLengthMax = 100

    static func checkReference(_ text: String, field: String) throws -> String {
        let trimmed = text.trimmingSpaces()
        guard !trimmed.isEmpty, trimmed.count <= referenceLengthMax else {
            throw LedgerInputError(field: field, value: text, reason: "give 1 to \(referenceLengthMax) characters")
        }
        return trimmed
    }

    /// Approves a payment batch before a clerk pays it (`payment.batch-approved`): the claims
    /// listed (all approved, unpaid claims when nil) and their total, which the payment may
    /// not exceed. Needed for a batch at or over the large-amount threshold; the clerk who
    /// pays it must hold another key. A repeat with the same claims is answered with the approval.
    public func approveBatch(_ batch: String, claims ids: [Int64]?, date: LedgerDate, signer: SigningKey) throws -> (outcome: AppendSession.Outcome, approval: BatchApproval) {
        let name = try MutualAidBook.checkReference(batch, field: "batch")
        return try ledger.append(signer: signer) { session in
            let register = try MutualAidBook.tables(session)
            let targets = try MutualAidBook.payable(ids, in: register)
            guard !targets.isEmpty else { throw MutualAidRuleError("no approved, unpaid claims to put in batch \(name)") }
            if try MutualAidBook.batchPaidFen(name, in: register) > 0 {
                throw MutualAidRuleError("batch \(name) already has payments; approve the claims left under a new batch name")
            }
            let amount = Money(fen: targets.reduce(Int64(0)) { $0 + ($1.approved?.fen ?? 0) })
            let claims = targets.map(\.claim)
            let outcome = try session.append(PaymentBatchApprovedEvent(batch: name, claims: claims, amountFen: amount.fen, date: date,
                                                                       idempotencyKey: MutualAidBook.batchApprovalKey(name)).draft())
            return (outcome, BatchApproval(seq: outcome.seq, batch: name, approver: signer.id.value, claims: claims, amount: amount))
        }
    }

    /// The claims a payment (or its approval) takes: those listed, each approved and unpaid,
    /// or every approved claim in the order filed.
    static func payable(_ ids: [Int64]?, in register: any MutualAidRecords) throws -> [ClaimRecord] {
        let targets: [ClaimRecord]
        if let ids {
            targets = try ids.map { try MutualAidBook.claim($0, in: register) }
        } else {
            var approved: [ClaimRecord] = []
            try register.forEachClaim(ClaimFilter(), states: [.approved]) { approved.append($0) }
            targets = approved
        }
        for claim in targets where claim.state != .approved || claim.approved == nil {
            throw MutualAidRuleError("claim \(claim.claim) is \(claim.state.rawValue); only approved claims are paid")
        }
        return targets
    }

    /// What the batch's standing payments add up to (payments returned by the bank left out).
    static func batchPaidFen(_ batch: String, in register: any MutualAidRecords) throws -> Int64 {
        try register.batchPaidFen(batch)
    }

    static func batchApproval(_ batch: String, event: (Int64) throws -> RecordedEvent?, keySeq: (String) throws -> Int64?) throws -> BatchApproval? {
        guard let seq = try keySeq(batchApprovalKey(batch)), let recorded = try event(seq) else { return nil }
        let approved = try PaymentBatchApprovedEvent(event: recorded)
        return BatchApproval(seq: seq, batch: batch, approver: recorded.actor.value, claims: approved.claims, amount: Money(fen: approved.amountFen))
    }

    /// The approval of batch `batch`, if an approver gave one.
    public func batchApproval(_ batch: String) throws -> BatchApproval? {
        try ledger.read { reader in
            try MutualAidBook.batchApproval(batch, event: { try reader.storedEvent(seq: $0).map { try RecordedEvent(body: $0.body, signature: []) } },
                                            keySeq: reader.seq(idempotencyKey:))
        }
    }

    /// Checks a payment of `targets` in `batch` against the large-amount rule: at or over
    /// the threshold (with what the batch already paid), the batch needs an approver's
    /// approval listing every claim paid, for at least the total, by a key other than the payer's.
    static func checkBatch(_ batch: String, approval: BatchApproval?, paying targets: [ClaimRecord], in register: any MutualAidRecords,
                           session: AppendSession) throws {
        let paying = targets.reduce(Int64(0)) { $0 + ($1.approved?.fen ?? 0) }
        let total = paying + (try batchPaidFen(batch, in: register))
        guard let approval else {
            // A payment the bank returned goes out again only on an approver's word: the clerk
            // who records the return could otherwise change the card and pay it anywhere.
            if let repaid = try targets.first(where: { try session.keyAfterReversals(paymentKey(claim: $0.claim)).key != paymentKey(claim: $0.claim) }) {
                throw MutualAidRuleError("""
                    claim \(repaid.claim)'s earlier payment was returned; paying it again needs an approver's approval of the batch \
                    (`huzhu claim approve-batch \(batch) \(repaid.claim) --key approver.key`)
                    """)
            }
            let threshold = PlanControls.largeAmountThreshold(plans: try PlanControls.publishedPlans(in: register))
            if let threshold, total >= threshold.fen {
                throw MutualAidRuleError("""
                    batch \(batch) pays \(Money(fen: total).formatted()) in \(targets.count) claims, at or over the large-amount threshold \
                    \(threshold.formatted()): an approver approves the batch first (`huzhu claim approve-batch \(batch) \
                    \(targets.count <= 5 ? targets.map { "\($0.claim)" }.joined(separator: " ") : "--all") --key approver.key`)
                    """)
            }
            return
        }
        guard approval.approver != session.signer.id.value else {
            throw MutualAidRuleError("key \(session.signer.id) approved batch \(batch) and may not also pay it; the clerk pays an approved batch")
        }
        let listed = Set(approval.claims)
        if let outside = targets.first(where: { !listed.contains($0.claim) }) {
            throw MutualAidRuleError("claim \(outside.claim) is not in batch \(batch) as approved at seq \(approval.seq); pay it in another batch")
        }
        if total > approval.amount.fen {
            throw MutualAidRuleError("batch \(batch) would pay \(Money(fen: total).formatted()), more than the \(approval.amount.formatted()) approved at seq \(approval.seq)")
        }
    }

    /// Approves a refund to a unit before a clerk records it (`contribution.refund-approved`),
    /// under the refund's reference: the clerk's `contribution refund` with that reference
    /// must name the same unit, year and amount. Money leaving the fund's bank account needs
    /// an approver's word, as a claim's payout does, and at or over the large-amount threshold
    /// two approvers' (the second approval keyed `…:2`). An approver asking again is answered
    /// with their approval.
    public func approveRefund(unit: UnitID, year: Int, amount: Money, reference: String, date: LedgerDate,
                              signer: SigningKey) throws -> AppendSession.Outcome {
        let reference = try MutualAidBook.checkReference(reference, field: "ref")
        return try ledger.append(signer: signer) { session in
            let register = try MutualAidBook.tables(session)
            _ = try MutualAidBook.requirePlan(year: year, in: register)
            let status = try MutualAidBook.contributionStatus(unit: unit.value, year: year, in: register)
            guard amount.fen > 0, amount.fen <= status.received.fen - status.refunded.fen else {
                throw MutualAidRuleError("unit \(unit) has paid \(Money(fen: status.received.fen - status.refunded.fen).formatted()) net for \(year); cannot approve a refund of \(amount.formatted())")
            }
            // The refund this approves is the reference's next one: a refund reversed and recorded
            // again needs approvals of its own.
            let refundKey = try session.keyAfterReversals("refund:\(reference)")
            if let seq = refundKey.seq { throw MutualAidRuleError("refund \(reference) is already recorded at seq \(seq)") }
            let approvals = try MutualAidBook.refundApprovals(refundKey: refundKey.key, session: session)
            if let mine = approvals.first(where: { $0.actor == signer.id }) { return .duplicate(seq: mine.seq) }
            let needed = PlanControls.approvalsNeeded(amount: amount, threshold: PlanControls.largeAmountThreshold(plans: try PlanControls.publishedPlans(in: register)))
            guard approvals.count < needed else {
                throw MutualAidRuleError("refund \(reference) already has the \(needed) approval(s) it needs (seq \(approvals.map { "\($0.seq)" }.joined(separator: ", ")))")
            }
            return try session.append(RefundApprovedEvent(unit: unit.value, planYear: Int64(year), amountFen: amount.fen, reference: reference,
                                                          date: date,
                                                          idempotencyKey: MutualAidBook.refundApprovalKey(refundKey: refundKey.key,
                                                                                                           number: approvals.count + 1)).draft())
        }
    }

    /// The approvals recorded for the refund keyed `refundKey`, first and second.
    static func refundApprovals(refundKey: String, session: AppendSession) throws -> [RecordedEvent] {
        try (1...2).compactMap { number in
            try session.recordedSeq(idempotencyKey: refundApprovalKey(refundKey: refundKey, number: number)).flatMap { try session.event(seq: $0) }
        }
    }

    /// Refuses a refund without its approvals: each naming the same unit, year and amount,
    /// by approvers other than the clerk recording it, two distinct ones at or over the
    /// large-amount threshold.
    static func requireRefundApproval(unit: UnitID, year: Int, amount: Money, reference: String, refundKey: String,
                                      session: AppendSession) throws {
        let approvals = try refundApprovals(refundKey: refundKey, session: session)
        let needed = PlanControls.approvalsNeeded(amount: amount, threshold: PlanControls.largeAmountThreshold(plans: try PlanControls.publishedPlans(in: tables(session))))
        guard approvals.count >= needed else {
            throw MutualAidRuleError("""
                refund \(reference) has \(approvals.isEmpty ? "no approval" : "\(approvals.count) of the \(needed) approvals it needs"): an approver \
                approves it first (`huzhu contribution approve-refund --unit \(unit) --year \(year) --amount \(amount.formatted(grouping: false)) \
                --ref \(reference) --key approver.key`)
                """)
        }
        for approved in approvals {
            let data = try RefundApprovedEvent(event: approved)
            guard data.unit == unit.value, data.planYear == Int64(year), data.amountFen == amount.fen else {
                throw MutualAidRuleError("refund \(reference) was approved at seq \(approved.seq) for unit \(data.unit), \(data.planYear), \(Money(fen: data.amountFen).formatted()); record it as approved")
            }
            guard approved.actor != session.signer.id else {
                throw MutualAidRuleError("key \(session.signer.id) approved refund \(reference) and may not also record it")
            }
        }
    }
}
