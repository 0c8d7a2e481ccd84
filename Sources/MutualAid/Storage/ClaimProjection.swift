import GRDB
import Ledger

/// The claims table and the caps used per member, benefit and plan year.
///
/// A claim's id is the seq of its `claim.filed` event. Caps count every claim not
/// rejected at its computed amount, then at its approved amount once approved: two
/// claims filed the same day cannot both spend the last of a cap. A claim whose approval
/// is revoked counts at what it may then be approved for (`approvable_fen`), which the
/// revocation names.
enum ClaimProjection {
    /// What a `claim.filed` event adds to the register: its row, and its payout to the caps
    /// used unless the rules rejected it.
    struct Filed {
        let seq: Int64
        let filer: KeyID
        let member: String
        let unit: String
        let planYear: Int64
        let benefit: String
        let settlementKey: String
        let serviceDate: String
        let filedOn: String
        let payoutFen: Int64
        let isRejected: Bool
        let rejectionCode: String?
        let rejectionReason: String?
    }

    /// Projects a `claim.filed` event read back from its data (a replay, or a single claim).
    static func filed(_ event: RecordedEvent, _ data: EventData, db: Database) throws {
        let assessment = try data.value("assessment")
        let rejection = assessment["rejection"]
        try filed(Filed(seq: event.seq, filer: event.actor, member: data.string("member"), unit: data.string("unit"),
                        planYear: data.int("planYear"), benefit: data.string("benefit"), settlementKey: data.string("settlementKey"),
                        serviceDate: data.string("serviceDate"), filedOn: data.string("date"),
                        payoutFen: assessment["payoutFen"]?.integerValue ?? 0, isRejected: rejection != nil && rejection != .null,
                        rejectionCode: rejection?["code"]?.stringValue, rejectionReason: rejection?["reason"]?.stringValue),
                  db: db)
    }

    /// The statements that write a filed claim. A batch prepares them once
    /// (`ClaimFiler`) rather than finding them in GRDB's cache, which hashes each statement's
    /// text, for each of a million claims.
    struct Statements {
        let insertClaim: Statement
        let addUsage: Statement
        let tally: (update: Statement, insert: Statement)

        init(db: Database) throws {
            insertClaim = try db.cachedStatement(sql: """
                INSERT INTO claims (claim_id, member_id, unit_id, plan_year, benefit, settlement_key, service_date, filed_on,
                                    filed_seq, filer, state, computed_fen, rejection_code, rejection_reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            addUsage = try db.cachedStatement(sql: ClaimProjection.addUsageSQL)
            tally = (try db.cachedStatement(sql: ClaimDayTallies.updateSQL), try db.cachedStatement(sql: ClaimDayTallies.insertSQL))
        }
    }

    /// Projects a filed claim: the one place either path (an event's data, or a batch's
    /// typed values in `ClaimFiler`) writes the register.
    static func filed(_ claim: Filed, db: Database, statements: Statements? = nil) throws {
        let statements = try statements ?? Statements(db: db)
        try statements.insertClaim.run([
            String(claim.seq), claim.member, claim.unit, claim.planYear, claim.benefit, claim.settlementKey, claim.serviceDate,
            claim.filedOn, claim.seq, claim.filer.value, claim.isRejected ? ClaimState.rejected.rawValue : ClaimState.filed.rawValue,
            claim.payoutFen, claim.rejectionCode, claim.rejectionReason,
        ])
        if !claim.isRejected {
            try addUsage(member: claim.member, year: claim.planYear, benefit: claim.benefit, fen: claim.payoutFen, db: db,
                         statement: statements.addUsage)
            try ClaimDayTallies.add(.pending, date: claim.filedOn, planYear: claim.planYear, benefit: claim.benefit, count: 1,
                                    fen: claim.payoutFen, db: db, statements: statements.tally)
        }
    }

    /// Projects a step of a filed claim: reviewed, approved, rejected, paid, or one of the
    /// corrections (an approval revoked, a payment returned), which also record the pair in
    /// the ledger's reversals through `writer`.
    ///
    /// Every step's update of the claim's row also appends the step's seq to `step_seqs`.
    static func progressed(_ event: RecordedEvent, _ data: EventData, db: Database, writer: any LedgerStoreWriter) throws {
        let claimID = "\(try data.int("claim"))"
        guard let row = try db.row("""
            SELECT member_id, plan_year, benefit, state, coalesce(approvable_fen, computed_fen), approvers, unit_id,
                   approved_fen, approved_on, paid_fen, paid_on, computed_fen
            FROM claims WHERE claim_id = ?
            """, [claimID]) else {
            throw EventDecodingError.badField("\(event.kind) at seq \(event.seq) names claim \(claimID), which was never filed")
        }
        // What the claim counts against the caps while undecided: its assessment, or what a
        // revoked approval left it approvable for.
        let member: String = row[0], year: Int64 = row[1], benefit: String = row[2], approvable: Int64 = row[4]
        let approvers: String = row[5], unit: String = row[6], assessed: Int64 = row[11]
        /// Moves the fund report's tallies of the claim's year and benefit (`ClaimDayTallies`).
        func tally(_ measure: ClaimDayTallies.Measure, on date: String, _ count: Int64, _ fen: Int64, assessed: Int64 = 0) throws {
            try ClaimDayTallies.add(measure, date: date, planYear: year, benefit: benefit, count: count, fen: fen, assessed: assessed, db: db)
        }
        /// Marks the claim's latest correction, whose date its later steps may not precede.
        func markCorrected() throws {
            try db.run("UPDATE claims SET corrected_seq = ?, corrected_on = max(coalesce(corrected_on, ?), ?) WHERE claim_id = ?",
                       arguments: [event.seq, data.string("date"), data.string("date"), claimID])
        }
        /// Keeps what a correction undid, dated both ways, for the reports (see `claim_reversals`).
        func recordReversal(step: String, from state: ClaimState, reversedOn: String?, reversedFen: Int64?) throws {
            guard row[3] as String == state.rawValue, let reversedOn, let reversedFen else {
                throw data.badField("reverses the \(step) of claim \(claimID), which is \(row[3] as String)")
            }
            try db.run("""
                INSERT INTO claim_reversals (seq, claim_id, unit_id, plan_year, benefit, step, reversed_seq, reversed_on, reversed_fen, date)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [event.seq, claimID, unit, year, benefit, step, data.int("reverses"), reversedOn, reversedFen, data.string("date")])
        }
        switch event.kind {
        case MutualAidKinds.claimReviewed:
            try db.run("UPDATE claims SET state = ?, reviewer = ?, step_seqs = step_seqs || ',' || ? WHERE claim_id = ?",
                           arguments: [ClaimState.reviewed.rawValue, event.actor.value, event.seq, claimID])
        case MutualAidKinds.claimApproved:
            let list = approvers.isEmpty ? event.actor.value : approvers + "," + event.actor.value
            if data.bool("final") {
                let amount = try data.int("amountFen")
                try db.run("UPDATE claims SET state = ?, approvers = ?, approved_fen = ?, approved_on = ?, step_seqs = step_seqs || ',' || ? WHERE claim_id = ?",
                               arguments: [ClaimState.approved.rawValue, list, amount, data.string("date"), event.seq, claimID])
                try addUsage(member: member, year: year, benefit: benefit, fen: amount - approvable, db: db)
                try tally(.approved, on: data.string("date"), 1, amount, assessed: assessed)
            } else {
                try db.run("UPDATE claims SET state = ?, approvers = ?, step_seqs = step_seqs || ',' || ? WHERE claim_id = ?",
                               arguments: [ClaimState.partlyApproved.rawValue, list, event.seq, claimID])
            }
        case MutualAidKinds.claimRejected:
            try db.run("UPDATE claims SET state = ?, rejection_code = '\(ClaimRejectionRecord.approverCode)', rejection_reason = ?, step_seqs = step_seqs || ',' || ? WHERE claim_id = ?",
                           arguments: [ClaimState.rejected.rawValue, data.string("reason"), event.seq, claimID])
            try addUsage(member: member, year: year, benefit: benefit, fen: -approvable, db: db)
            guard let date = event.date else { throw data.badField("rejects claim \(claimID) on no date") }
            try tally(.pending, on: date.text, -1, -assessed)
        case MutualAidKinds.claimPaid:
            try db.run("UPDATE claims SET state = ?, paid_fen = ?, paid_on = ?, payment_batch = ?, step_seqs = step_seqs || ',' || ? WHERE claim_id = ?",
                           arguments: [ClaimState.paid.rawValue, data.int("amountFen"), data.string("date"),
                                       data.optionalString("batch"), event.seq, claimID])
            try tally(.paid, on: data.string("date"), 1, data.int("amountFen"))
        case MutualAidKinds.claimApprovalRevoked:
            // Every approval of the round is withdrawn; the claim waits for a decision again,
            // and counts against the caps at what it may now be approved for: the revocation's
            // `approvableFen` (its assessment, or less where the caps have since been spent).
            var approvableNow = approvable
            if data.bool("final") {
                let approved: Int64? = row[7]
                try recordReversal(step: "approval", from: .approved, reversedOn: row[8], reversedFen: approved)
                approvableNow = data.optionalInt("approvableFen") ?? row[11]
                try addUsage(member: member, year: year, benefit: benefit, fen: approvableNow - (approved ?? approvableNow), db: db)
                try tally(.approved, on: data.string("date"), -1, -(approved ?? 0), assessed: -assessed)
            } else if row[3] as String != ClaimState.partlyApproved.rawValue {
                throw data.badField("withdraws the first approval of claim \(claimID), which is \(row[3] as String)")
            }
            try db.run("""
                UPDATE claims SET state = ?, approvers = '', approved_fen = NULL, approved_on = NULL,
                                  approvable_fen = nullif(?, computed_fen), step_seqs = step_seqs || ',' || ?
                WHERE claim_id = ?
                """, arguments: [ClaimState.reviewed.rawValue, approvableNow, event.seq, claimID])
            for approval in try data.intArray("approvals") {
                try writer.insertReversal(original: approval, reversal: event.seq)
            }
            try markCorrected()
        case MutualAidKinds.claimPaymentReturned:
            try recordReversal(step: "payment", from: .paid, reversedOn: row[10], reversedFen: row[9])
            try tally(.paid, on: data.string("date"), -1, -((row[9] as Int64?) ?? 0))
            try db.run("UPDATE claims SET state = ?, paid_fen = NULL, paid_on = NULL, payment_batch = NULL, step_seqs = step_seqs || ',' || ? WHERE claim_id = ?",
                       arguments: [ClaimState.approved.rawValue, event.seq, claimID])
            try writer.insertReversal(original: data.int("reverses"), reversal: event.seq)
            try markCorrected()
        default:
            break
        }
    }

    /// Adds `fen` to what `member` has used of `benefit` in plan `year`, through `statement`
    /// when the caller keeps it prepared.
    static func addUsage(member: String, year: Int64, benefit: String, fen: Int64, db: Database, statement: Statement? = nil) throws {
        guard fen != 0 else { return }
        try (statement ?? db.cachedStatement(sql: addUsageSQL)).run([member, year, benefit, fen])
    }

    /// What `member` has used of the caps in plan `year`: under `benefit`, and in total.
    static func capUsage(member: String, year: Int, benefit: String, db: Database) throws -> CapUsage {
        let row = try db.row("""
            SELECT coalesce(sum(used_fen) FILTER (WHERE benefit = ?), 0), coalesce(sum(used_fen), 0)
            FROM cap_usage WHERE member_id = ? AND plan_year = ?
            """, [benefit, member, year])
        return CapUsage(benefitUsed: Money(fen: row?[0] ?? 0), totalUsed: Money(fen: row?[1] ?? 0))
    }

    static let addUsageSQL = """
        INSERT INTO cap_usage (member_id, plan_year, benefit, used_fen) VALUES (?, ?, ?, ?)
        ON CONFLICT (member_id, plan_year, benefit) DO UPDATE SET used_fen = used_fen + excluded.used_fen
        """
}

/// Where a claim stands: filed → reviewed → approved (after one or two approvers) | rejected → paid.
/// A revoked approval takes a claim back to reviewed, a returned payment back to approved.
public enum ClaimState: String, Sendable, CaseIterable {
    case filed
    case reviewed
    /// Approved by the first of two required approvers (large amounts).
    case partlyApproved = "partly-approved"
    case approved
    case rejected
    case paid
}
