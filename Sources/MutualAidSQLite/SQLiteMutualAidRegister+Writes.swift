import Foundation
import GRDB
import Ledger
import MutualAid

/// `MutualAidTables` in a ledger file: each change the domain decided on, as the one
/// statement (or two) that writes it.
extension SQLiteMutualAidRegister {
    // MARK: Plans, units and members

    func insertPlan(_ plan: PublishedPlanRecord) throws {
        try db.run("INSERT INTO plans (seq, year, plan_id, effective_on, rules) VALUES (?, ?, ?, ?, ?)",
                   [plan.seq, plan.year, plan.planID, plan.effective, plan.rules])
    }

    func insertUnit(_ unit: String, name: String, seq: Int64) throws {
        try db.run("INSERT INTO units (unit_id, name, seq) VALUES (?, ?, ?)", [unit, name, seq])
    }

    func insertEnrolment(_ enrolment: MemberEnrolledEvent, seq: Int64) throws {
        try prepared(.insertMember).run([enrolment.member, enrolment.sex, enrolment.commitment, seq])
        try prepared(.insertEnrolment).run([enrolment.member, enrolment.planYear, enrolment.unit, enrolment.date.text,
                                            enrolment.coverageStart, enrolment.isNew ? 1 : 0, seq])
    }

    func recordLeft(member: String, planYear: Int64, on date: String) throws {
        try db.run("UPDATE enrolments SET left_on = ? WHERE member_id = ? AND plan_year = ?", [date, member, planYear])
    }

    func updateCommitment(member: String, commitment: String) throws -> Bool {
        try db.run("UPDATE members SET commitment = ? WHERE member_id = ?", [commitment, member])
        return db.changesCount == 1
    }

    func markErased(member: String, seq: Int64) throws {
        try db.run("UPDATE members SET erased_seq = ? WHERE member_id = ?", [seq, member])
    }

    // MARK: Contributions

    func addContributions(unit: String, planYear: Int64, _ change: UnitContributionRecord, mustExist: Bool) throws -> Bool {
        let arguments: SQLArguments = [unit, planYear, change.billedHeadcount, change.billedUnit.fen, change.billedSubsidy.fen,
                                       change.received.fen, change.refunded.fen]
        if mustExist {
            try db.run("""
                UPDATE unit_contributions SET billed_headcount = billed_headcount + ?3, billed_unit_fen = billed_unit_fen + ?4,
                    billed_subsidy_fen = billed_subsidy_fen + ?5, received_fen = received_fen + ?6, refunded_fen = refunded_fen + ?7
                WHERE unit_id = ?1 AND plan_year = ?2
                """, arguments)
            return db.changesCount == 1
        }
        try db.run("""
            INSERT INTO unit_contributions (unit_id, plan_year, billed_headcount, billed_unit_fen, billed_subsidy_fen, received_fen,
                                            refunded_fen)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT (unit_id, plan_year) DO UPDATE SET billed_headcount = billed_headcount + excluded.billed_headcount,
                billed_unit_fen = billed_unit_fen + excluded.billed_unit_fen,
                billed_subsidy_fen = billed_subsidy_fen + excluded.billed_subsidy_fen,
                received_fen = received_fen + excluded.received_fen, refunded_fen = refunded_fen + excluded.refunded_fen
            """, arguments)
        return true
    }

    func addSubsidy(planYear: Int64, fen: Int64, mustExist: Bool) throws -> Bool {
        if mustExist {
            try db.run("UPDATE subsidies SET received_fen = received_fen + ? WHERE plan_year = ?", [fen, planYear])
            return db.changesCount == 1
        }
        try db.run("""
            INSERT INTO subsidies (plan_year, received_fen) VALUES (?, ?)
            ON CONFLICT (plan_year) DO UPDATE SET received_fen = received_fen + excluded.received_fen
            """, [planYear, fen])
        return true
    }

    // MARK: Claims

    func insertClaim(_ claim: FiledClaimRow) throws {
        try prepared(.insertClaim).run([
            String(claim.seq), claim.member, claim.unit, claim.planYear, claim.benefit, claim.settlementKey, claim.serviceDate,
            claim.filedOn, claim.seq, claim.filer.value, claim.isRejected ? ClaimState.rejected.rawValue : ClaimState.filed.rawValue,
            claim.payoutFen, claim.rejectionCode, claim.rejectionReason,
        ])
    }

    func updateClaim(_ claim: Int64, _ step: ClaimStep, seq: Int64) throws {
        let id = "\(claim)"
        // Every step's update also appends its seq to `step_seqs` ("mutual-aid-v7-claim-step-seqs").
        switch step {
        case let .reviewed(reviewer):
            try db.run("UPDATE claims SET state = ?, reviewer = ?, step_seqs = step_seqs || ',' || ? WHERE claim_id = ?",
                       [ClaimState.reviewed.rawValue, reviewer, seq, id])
        case let .approved(approvers, final?):
            try db.run("""
                UPDATE claims SET state = ?, approvers = ?, approved_fen = ?, approved_on = ?, step_seqs = step_seqs || ',' || ?
                WHERE claim_id = ?
                """, [ClaimState.approved.rawValue, approvers, final.fen, final.date, seq, id])
        case let .approved(approvers, nil):
            try db.run("UPDATE claims SET state = ?, approvers = ?, step_seqs = step_seqs || ',' || ? WHERE claim_id = ?",
                       [ClaimState.partlyApproved.rawValue, approvers, seq, id])
        case let .rejected(reason):
            try db.run("""
                UPDATE claims SET state = ?, rejection_code = ?, rejection_reason = ?, step_seqs = step_seqs || ',' || ? WHERE claim_id = ?
                """, [ClaimState.rejected.rawValue, ClaimRejectionRecord.approverCode, reason, seq, id])
        case let .paid(fen, date, batch):
            try db.run("""
                UPDATE claims SET state = ?, paid_fen = ?, paid_on = ?, payment_batch = ?, step_seqs = step_seqs || ',' || ? WHERE claim_id = ?
                """, [ClaimState.paid.rawValue, fen, date, batch, seq, id])
        case let .approvalRevoked(approvableFen):
            try db.run("""
                UPDATE claims SET state = ?, approvers = '', approved_fen = NULL, approved_on = NULL,
                                  approvable_fen = nullif(?, computed_fen), step_seqs = step_seqs || ',' || ?
                WHERE claim_id = ?
                """, [ClaimState.reviewed.rawValue, approvableFen, seq, id])
        case .paymentReturned:
            try db.run("""
                UPDATE claims SET state = ?, paid_fen = NULL, paid_on = NULL, payment_batch = NULL, step_seqs = step_seqs || ',' || ?
                WHERE claim_id = ?
                """, [ClaimState.approved.rawValue, seq, id])
        }
    }

    func markClaimCorrected(_ claim: Int64, seq: Int64, on date: String) throws {
        try db.run("UPDATE claims SET corrected_seq = ?, corrected_on = max(coalesce(corrected_on, ?), ?) WHERE claim_id = ?",
                   [seq, date, date, "\(claim)"])
    }

    func insertClaimReversal(_ reversal: ClaimReversalRow) throws {
        try db.run("""
            INSERT INTO claim_reversals (seq, claim_id, unit_id, plan_year, benefit, step, reversed_seq, reversed_on, reversed_fen, date)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [reversal.seq, "\(reversal.claim)", reversal.unit, reversal.planYear, reversal.benefit, reversal.step,
                  reversal.reversedSeq, reversal.reversedOn, reversal.reversedFen, reversal.date])
    }

    func addCapUsage(member: String, planYear: Int64, benefit: String, fen: Int64) throws {
        guard fen != 0 else { return }
        try prepared(.addCapUsage).run([member, planYear, benefit, fen])
    }

    /// The day's row almost always exists (a day's claims share a few benefits), so the
    /// update is tried first and the insert only when it changed nothing: one B-tree seek,
    /// where an upsert's insert attempt and conflict cost two.
    func addClaimTally(_ measure: ClaimTallyMeasure, on date: String, planYear: Int64, benefit: String, count: Int64, fen: Int64,
                       assessed: Int64) throws {
        let arguments: SQLArguments = [measure.rawValue, date, planYear, benefit, count, fen, assessed]
        try prepared(.updateTally).run(arguments)
        if db.changesCount == 0 { try prepared(.insertTally).run(arguments) }
    }

    /// Each read is a call into the file: nothing is gained by reading ahead.
    func readAhead(claimantsOf members: [String]) throws {}
    func readAhead(claims ids: [Int64]) throws {}
    func readAhead(residents ids: [String]) throws {}

    func claimRecorded(_ recorded: Int) throws {
        if try deferredIndexes.shouldSuspend(filed: recorded, db: db) { try deferredIndexes.suspend(db: db) }
    }

    func finishClaimBatch(rebuilding: () -> Void) throws {
        if deferredIndexes.isSuspended { rebuilding() }
        try deferredIndexes.rebuild(db: db)
    }

    // MARK: Personal data

    func insertPersonal(member: String, residentID: String, personal: PersonalData) throws {
        try prepared(.insertPersonal).run([member, residentID, Data(personal.salt), String(decoding: personal.canonicalFields, as: UTF8.self)])
    }

    func updatePersonal(member: String, personal: PersonalData) throws {
        try prepared(.updatePersonal).run([Data(personal.salt), String(decoding: personal.canonicalFields, as: UTF8.self), member])
    }

    func insertClaimPersonal(claim: Int64, member: String, personal: PersonalData) throws {
        try db.run("INSERT INTO claim_personal (claim_id, member_id, salt, fields) VALUES (?, ?, ?, ?)",
                   ["\(claim)", member, Data(personal.salt), String(decoding: personal.canonicalFields, as: UTF8.self)])
    }

    func erasePersonal(member: String) throws {
        try db.run("DELETE FROM member_personal WHERE member_id = ?", [member])
        try db.run("DELETE FROM claim_personal WHERE member_id = ?", [member])
    }

    func insertErasedResident(hash: String, member: String, seq: Int64) throws {
        try db.run("INSERT INTO erased_residents (resident_hash, member_id, erased_seq) VALUES (?, ?, ?)", [hash, member, seq])
    }
}

/// The statements a batch runs once per row (a roster's million members, an import's
/// million claims), which `SQLiteMutualAidRegister.prepared(_:)` keeps prepared.
enum HotStatement: Int, CaseIterable {
    case claimByID, claimForStep, claimant, capsUsed, enrolmentTerms, personalByResident, erasedResidents
    case insertMember, insertEnrolment, insertPersonal, updatePersonal
    case insertClaim, addCapUsage, updateTally, insertTally

    var sql: String {
        switch self {
        case .claimByID: SQLiteMutualAidRegister.claimByIDSQL
        case .claimForStep: """
            SELECT member_id, plan_year, benefit, state, coalesce(approvable_fen, computed_fen), approvers, unit_id,
                   approved_fen, approved_on, paid_fen, paid_on, computed_fen
            FROM claims WHERE claim_id = ?
            """
        case .claimant: """
            SELECT m.sex, e.plan_year, e.unit_id, e.coverage_start, e.left_on
            FROM members m LEFT JOIN enrolments e ON e.member_id = m.member_id
            WHERE m.member_id = ?
            """
        case .capsUsed: "SELECT plan_year, benefit, used_fen FROM cap_usage WHERE member_id = ? ORDER BY plan_year, benefit"
        case .enrolmentTerms: "SELECT unit_id, coverage_start, left_on, seq FROM enrolments WHERE member_id = ? AND plan_year = ?"
        case .personalByResident: "SELECT member_id, salt, fields FROM member_personal WHERE resident_id = ?"
        case .erasedResidents: "SELECT member_id, erased_seq FROM erased_residents WHERE resident_hash = ?"
        // A member enrolling again commits to their details as they now stand.
        case .insertMember: """
            INSERT INTO members (member_id, sex, commitment, first_seq) VALUES (?, ?, ?, ?)
            ON CONFLICT (member_id) DO UPDATE SET commitment = excluded.commitment
            """
        case .insertEnrolment: """
            INSERT INTO enrolments (member_id, plan_year, unit_id, enrolled_on, coverage_start, is_new, seq)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """
        case .insertPersonal: "INSERT INTO member_personal (member_id, resident_id, salt, fields) VALUES (?, ?, ?, ?)"
        case .updatePersonal: "UPDATE member_personal SET salt = ?, fields = ? WHERE member_id = ?"
        case .insertClaim: """
            INSERT INTO claims (claim_id, member_id, unit_id, plan_year, benefit, settlement_key, service_date, filed_on,
                                filed_seq, filer, state, computed_fen, rejection_code, rejection_reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        case .addCapUsage: """
            INSERT INTO cap_usage (member_id, plan_year, benefit, used_fen) VALUES (?, ?, ?, ?)
            ON CONFLICT (member_id, plan_year, benefit) DO UPDATE SET used_fen = used_fen + excluded.used_fen
            """
        case .updateTally: """
            UPDATE claim_day_tallies SET count = count + ?5, fen = fen + ?6, assessed_fen = assessed_fen + ?7
            WHERE measure = ?1 AND date = ?2 AND plan_year = ?3 AND benefit = ?4
            """
        case .insertTally: """
            INSERT INTO claim_day_tallies (measure, date, plan_year, benefit, count, fen, assessed_fen) VALUES (?, ?, ?, ?, ?, ?, ?)
            """
        }
    }
}
