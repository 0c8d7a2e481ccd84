import Foundation
import GRDB
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
}

extension MutualAidBook {
    /// The columns `record(_:)` reads, in its order; every claim query selects these.
    static let claimSelection = """
        SELECT claim_id, member_id, unit_id, plan_year, benefit, settlement_key, service_date, filed_on, filer, state,
               computed_fen, approved_fen, paid_fen, rejection_reason, reviewer, approvers, approved_on, paid_on,
               coalesce(approvable_fen, computed_fen)
        FROM claims
        """

    static func claim(_ id: Int64, db: Database) throws -> ClaimRecord {
        guard let row = try Row.fetchOne(db, sql: claimSelection + " WHERE claim_id = ?", arguments: ["\(id)"]) else {
            throw MutualAidRuleError("there is no claim \(id)")
        }
        return record(row)
    }

    static func record(_ row: Row) -> ClaimRecord {
        ClaimRecord(claim: Int64(row[0] as String) ?? 0, member: row[1], unit: row[2], year: Int(row[3] as Int64), benefit: row[4],
                    settlementKey: row[5], serviceDate: row[6], filedOn: row[7], filer: row[8],
                    state: ClaimState(rawValue: row[9]) ?? .filed, computed: Money(fen: row[10]), approvable: Money(fen: row[18]),
                    approved: (row[11] as Int64?).map(Money.init(fen:)), paid: (row[12] as Int64?).map(Money.init(fen:)),
                    rejectionReason: row[13], reviewer: row[14],
                    approvers: (row[15] as String).split(separator: ",").map(String.init), approvedOn: row[16], paidOn: row[17])
    }

    public func claim(_ id: Int64) throws -> ClaimRecord {
        try read { try MutualAidBook.claim(id, db: $0) }
    }

    public func claims(year: Int, state: ClaimState? = nil, limit: Int? = nil) throws -> [ClaimRecord] {
        try read { db in
            var sql = MutualAidBook.claimSelection + " WHERE plan_year = ?"
            var arguments: StatementArguments = [year]
            if let state { sql += " AND state = ?"; arguments += [state.rawValue] }
            sql += " ORDER BY filed_seq"
            if let limit { sql += " LIMIT \(limit)" }
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(MutualAidBook.record)
        }
    }

    /// Reviews (审核) a filed claim. The reviewer may not be the key that filed it.
    @discardableResult
    public func review(claim id: Int64, note: String, signer: SigningKey) throws -> Int64 {
        try ledger.append(signer: signer) { session in
            let claim = try MutualAidBook.claim(id, db: MutualAidBook.database(session))
            guard claim.state == .filed else { throw MutualAidRuleError("claim \(id) is \(claim.state.rawValue); only a filed claim can be reviewed") }
            guard claim.filer != signer.id.value else { throw MutualAidRuleError("key \(signer.id) filed claim \(id) and may not review it") }
            return try session.append(EventDraft(kind: MutualAidKinds.claimReviewed, idempotencyKey: "review:\(id)",
                                                 fields: ["claim": .integer(id), "note": .string(note)])).seq
        }
    }

    /// Approves (审批) a reviewed claim, for the computed amount or less (with a reason).
    ///
    /// Below the plan's large-amount threshold one approval completes it; at or above,
    /// a second approver with a different key must approve the same amount. The approval
    /// that completes it posts the expense against the claims payable.
    public func approve(claim id: Int64, amount: Money? = nil, reason: String? = nil, date: LedgerDate,
                        signer: SigningKey) throws -> (seq: Int64, complete: Bool) {
        try ledger.append(signer: signer) { session in
            let db = try MutualAidBook.database(session)
            let claim = try MutualAidBook.claim(id, db: db)
            guard claim.state == .reviewed || claim.state == .partlyApproved else {
                throw MutualAidRuleError("claim \(id) is \(claim.state.rawValue); only a reviewed claim can be approved" + (claim.state == .filed ? " (review it first)" : ""))
            }
            guard claim.filer != signer.id.value else { throw MutualAidRuleError("key \(signer.id) filed claim \(id) and may not approve it") }
            guard !claim.approvers.contains(signer.id.value) else {
                throw MutualAidRuleError("key \(signer.id) already approved claim \(id); a second approval needs a different approver")
            }
            let approval: PayoutApproval
            do { approval = try PayoutApproval(computed: claim.approvable, approved: amount ?? claim.approvable, reason: reason) } catch {
                throw MutualAidRuleError("claim \(id): \(error)")
            }
            let plan = try MutualAidBook.requirePlan(year: claim.year, db: db).rules
            var fields: [String: JSONValue] = ["claim": .integer(id), "amountFen": .integer(approval.approved.fen),
                                               "approval": .integer(Int64(claim.approvers.count + 1))]
            if let reason = approval.reason { fields["reason"] = .string(reason) }
            try MutualAidBook.requireNotBeforeWhatItDecides(claim, date: date, step: "approval")
            try MutualAidBook.requireNotBeforeLastCorrection(claim: id, date: date, db: db)
            if claim.state == .partlyApproved {
                let first = try MutualAidBook.approvalSeqs(claim: claim, lookup: session.keyAfterReversals).first
                    .flatMap { try session.event(seq: $0)?.data["amountFen"]?.integerValue }
                guard first == approval.approved.fen else {
                    throw MutualAidRuleError("the first approver approved \(Money(fen: first ?? 0).formatted()) for claim \(id); approve the same amount or reject the claim")
                }
            }
            let complete = claim.state == .partlyApproved || !plan.needsTwoApprovers(approval.approved)
            fields["final"] = .bool(complete)
            var postings: [Posting] = []
            if complete {
                guard approval.approved.fen > 0, let benefit = plan.benefit(code: claim.benefit) else {
                    throw MutualAidRuleError("claim \(id) has nothing to approve; reject it instead")
                }
                postings = [try .debit(benefit.expenseAccount, approval.approved), try .credit(plan.accounts.claimsPayable, approval.approved)]
            }
            let key = try session.keyAfterReversals(MutualAidBook.approvalKey(claim: id, number: claim.approvers.count + 1)).key
            let seq = try session.append(EventDraft(kind: MutualAidKinds.claimApproved, date: date, postings: postings,
                                                    idempotencyKey: key, fields: fields)).seq
            return (seq, complete)
        }
    }

    /// Rejects a claim that is not yet approved, with the reason the member will read.
    @discardableResult
    public func reject(claim id: Int64, reason: String, date: LedgerDate, signer: SigningKey) throws -> Int64 {
        let trimmed = reason.trimmingSpaces()
        guard !trimmed.isEmpty else { throw LedgerInputError(field: "reason", value: reason, reason: "say why the claim is rejected") }
        return try ledger.append(signer: signer) { session in
            let db = try MutualAidBook.database(session)
            let claim = try MutualAidBook.claim(id, db: db)
            guard [.filed, .reviewed, .partlyApproved].contains(claim.state) else {
                throw MutualAidRuleError("claim \(id) is \(claim.state.rawValue) and can no longer be rejected"
                                         + (claim.state == .approved ? " (revoke its approval first: `huzhu claim revoke-approval \(id)`)" : ""))
            }
            try MutualAidBook.requireNotBeforeWhatItDecides(claim, date: date, step: "rejection")
            try MutualAidBook.requireNotBeforeLastCorrection(claim: id, date: date, db: db)
            guard claim.filer != signer.id.value else { throw MutualAidRuleError("key \(signer.id) filed claim \(id) and may not decide it") }
            return try session.append(EventDraft(kind: MutualAidKinds.claimRejected, date: date, idempotencyKey: "reject:\(id)",
                                                 fields: ["claim": .integer(id), "reason": .string(trimmed)])).seq
        }
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
            let db = try MutualAidBook.database(session)
            let approval = try MutualAidBook.batchApproval(batch, event: session.event(seq:), keySeq: session.recordedSeq(idempotencyKey:))
            let targets = try MutualAidBook.payable(ids ?? approval.map { approval in
                try approval.claims.filter { try MutualAidBook.claim($0, db: db).state != .paid }
            }, db: db)
            var run = PaymentRun()
            var payees: [Int64: Payee] = [:]
            for claim in targets {
                switch try MutualAidBook.payee(member: claim.member, db: db) {
                case let .payee(payee): payees[claim.claim] = payee
                case let .held(reason): run.held.append(PaymentHold(claim: claim.claim, member: claim.member, reason: reason))
                }
            }
            let paying = targets.filter { payees[$0.claim] != nil }
            try MutualAidBook.checkBatch(batch, approval: approval, paying: paying, db: db, session: session)
            for claim in paying {
                guard let amount = claim.approved, let payee = payees[claim.claim] else { continue }  // `payable` let only approved claims through
                try MutualAidBook.requireNotBeforeWhatItDecides(claim, date: date, step: "payment")
                try MutualAidBook.requireNotBeforeLastCorrection(claim: claim.claim, date: date, db: db)
                let plan = try MutualAidBook.requirePlan(year: claim.year, db: db).rules
                try MutualAidBook.requireApprovalInLog(claim, plan: plan, session: session)
                try session.append(EventDraft(kind: MutualAidKinds.claimPaid, date: date,
                                              postings: [.debit(plan.accounts.claimsPayable, amount), .credit(plan.accounts.bank, amount)],
                                              idempotencyKey: session.keyAfterReversals(MutualAidBook.paymentKey(claim: claim.claim)).key,
                                              fields: ["claim": .integer(claim.claim), "amountFen": .integer(amount.fen), "batch": .string(batch)]))
                run.lines.append(PaymentLine(claim: claim.claim, member: claim.member, name: payee.name, bankCard: payee.bankCard, amount: amount))
            }
            return run
        }
    }

    /// The lines of batch `batch`'s payment file again, from its standing payments in the
    /// order paid, to the payees as the register holds them now (`huzhu claim pay-file`):
    /// for a file lost after its payments were recorded. Throws if a payee can no longer
    /// be paid, naming the claims.
    public func paymentLines(batch: String) throws -> [PaymentLine] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT claim_id, member_id, paid_fen FROM claims WHERE payment_batch = ? AND state = 'paid' ORDER BY paid_on, filed_seq
                """, arguments: [batch])
            guard !rows.isEmpty else { throw MutualAidRuleError("batch \(batch) has no standing payments; see `huzhu claim list --state paid`") }
            var lines: [PaymentLine] = [], held: [PaymentHold] = []
            for row in rows {
                let claim = Int64(row[0] as String) ?? 0, member: String = row[1]
                switch try MutualAidBook.payee(member: member, db: db) {
                case let .payee(payee): lines.append(PaymentLine(claim: claim, member: member, name: payee.name, bankCard: payee.bankCard, amount: Money(fen: row[2])))
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
