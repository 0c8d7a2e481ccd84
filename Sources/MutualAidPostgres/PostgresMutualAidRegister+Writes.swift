import Ledger
import LedgerPostgres
import MutualAid

/// `MutualAidTables` on PostgreSQL: each change the domain decided on, as the statement
/// that writes it (twins of `SQLiteMutualAidRegister`'s). An update that must find its row
/// says so with `RETURNING`, where SQLite counts the changes.
extension PostgresMutualAidRegister {
    /// Runs an update that must find its row (`RETURNING 1`) and says how many it found.
    func run(_ sql: String, _ binds: [PostgresValue]) throws -> Int {
        try rows(sql, binds).count
    }

    /// Sends a write whose result nothing needs, without waiting for it: a batch's rows go to
    /// the server while the rules assess the next (`PostgresLedgerStore.send`).
    func execute(_ sql: String, _ binds: [PostgresValue]) throws {
        try transaction.execute(sql, binds)
    }

    static func text(_ value: String?) -> PostgresValue { value.map { .text($0) } ?? .null }

    // MARK: Plans, units and members

    func insertPlan(_ plan: PublishedPlanRecord) throws {
        try execute("INSERT INTO plans (seq, year, plan_id, effective_on, rules) VALUES ($1, $2, $3, $4, $5)",
                    [.integer(plan.seq), .integer(Int64(plan.year)), .text(plan.planID), Self.text(plan.effective),
                     .text(plan.rules)])
    }

    func insertUnit(_ unit: String, name: String, seq: Int64) throws {
        try execute("INSERT INTO units (unit_id, name, seq) VALUES ($1, $2, $3)", [.text(unit), .text(name), .integer(seq)])
    }

    func insertEnrolment(_ enrolment: MemberEnrolledEvent, seq: Int64) throws {
        claimantsAhead.removeAll()
        heldMembers.append([.text(enrolment.member), .text(enrolment.sex), .text(enrolment.commitment), .integer(seq)])
        heldEnrolments.append([.text(enrolment.member), .integer(enrolment.planYear), .text(enrolment.unit), .text(enrolment.date.text),
                               .text(enrolment.coverageStart), .integer(enrolment.isNew ? 1 : 0), .integer(seq)])
        if heldEnrolments.count >= Self.heldMax { try sendHeld() }
    }

    func recordLeft(member: String, planYear: Int64, on date: String) throws {
        claimantsAhead.removeAll()
        try execute("UPDATE enrolments SET left_on = $1 WHERE member_id = $2 AND plan_year = $3", [.text(date), .text(member), .integer(planYear)])
    }

    func updateCommitment(member: String, commitment: String) throws -> Bool {
        try run("UPDATE members SET commitment = $1 WHERE member_id = $2 RETURNING 1", [.text(commitment), .text(member)]) == 1
    }

    func markErased(member: String, seq: Int64) throws {
        try execute("UPDATE members SET erased_seq = $1 WHERE member_id = $2", [.integer(seq), .text(member)])
    }

    // MARK: Contributions

    func addContributions(unit: String, planYear: Int64, _ change: UnitContributionRecord, mustExist: Bool) throws -> Bool {
        let binds: [PostgresValue] = [.text(unit), .integer(planYear), .integer(change.billedHeadcount), .integer(change.billedUnit.fen),
                                      .integer(change.billedSubsidy.fen), .integer(change.received.fen), .integer(change.refunded.fen)]
        if mustExist {
            return try run("""
                UPDATE unit_contributions SET billed_headcount = billed_headcount + $3, billed_unit_fen = billed_unit_fen + $4,
                    billed_subsidy_fen = billed_subsidy_fen + $5, received_fen = received_fen + $6, refunded_fen = refunded_fen + $7
                WHERE unit_id = $1 AND plan_year = $2 RETURNING 1
                """, binds) == 1
        }
        try execute("""
            INSERT INTO unit_contributions AS u (unit_id, plan_year, billed_headcount, billed_unit_fen, billed_subsidy_fen, received_fen,
                                                 refunded_fen)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (unit_id, plan_year) DO UPDATE SET billed_headcount = u.billed_headcount + excluded.billed_headcount,
                billed_unit_fen = u.billed_unit_fen + excluded.billed_unit_fen,
                billed_subsidy_fen = u.billed_subsidy_fen + excluded.billed_subsidy_fen,
                received_fen = u.received_fen + excluded.received_fen, refunded_fen = u.refunded_fen + excluded.refunded_fen
            """, binds)
        return true
    }

    func addSubsidy(planYear: Int64, fen: Int64, mustExist: Bool) throws -> Bool {
        if mustExist {
            return try run("UPDATE subsidies SET received_fen = received_fen + $1 WHERE plan_year = $2 RETURNING 1",
                           [.integer(fen), .integer(planYear)]) == 1
        }
        try execute("""
            INSERT INTO subsidies AS s (plan_year, received_fen) VALUES ($1, $2)
            ON CONFLICT (plan_year) DO UPDATE SET received_fen = s.received_fen + excluded.received_fen
            """, [.integer(planYear), .integer(fen)])
        return true
    }

    // MARK: Claims

    func insertClaim(_ claim: FiledClaimRow) throws {
        heldClaims.append([.text(String(claim.seq)), .text(claim.member), .text(claim.unit), .integer(claim.planYear), .text(claim.benefit),
                  .text(claim.settlementKey), .text(claim.serviceDate), .text(claim.filedOn), .integer(claim.seq), .text(claim.filer.value),
                  .text(claim.isRejected ? ClaimState.rejected.rawValue : ClaimState.filed.rawValue), .integer(claim.payoutFen),
                  Self.text(claim.rejectionCode), Self.text(claim.rejectionReason)])
        if heldClaims.count >= Self.heldMax { try sendHeld() }
    }

    /// Rows held at most before they are sent.
    static let heldMax = 1000

    func sendHeld() throws {
        try sendHeldRoster()
        guard !heldClaims.isEmpty || !heldTallies.isEmpty || !heldCaps.isEmpty || !heldSteps.isEmpty else { return }
        let claims = heldClaims, tallies = heldTallies, caps = heldCaps, steps = heldStepRows
        heldClaims.removeAll(keepingCapacity: true)
        heldTallies.removeAll(keepingCapacity: true)
        heldCaps.removeAll(keepingCapacity: true)
        heldStepRows.removeAll(keepingCapacity: true)
        heldSteps.removeAll(keepingCapacity: true)
        try transaction.send(claims, into: """
            claims (claim_id, member_id, unit_id, plan_year, benefit, settlement_key, service_date, filed_on,
                    filed_seq, filer, state, computed_fen, rejection_code, rejection_reason)
            """)
        for step in HeldStep.allCases {
            guard let rows = steps[step], !rows.isEmpty else { continue }
            try transaction.send(rows, updating: "claims AS c", columns: step.columns, set: step.set, where: "c.claim_id = v.claim_id")
        }
        try transaction.send(tallies.map { [.text($0.key.measure), .text($0.key.date), .integer($0.key.planYear), .text($0.key.benefit),
                                            .integer($0.value.count), .integer($0.value.fen), .integer($0.value.assessed)] },
                             into: "claim_day_tallies AS t (measure, date, plan_year, benefit, count, fen, assessed_fen)", suffix: """
                                ON CONFLICT (measure, date, plan_year, benefit) DO UPDATE SET count = t.count + excluded.count,
                                    fen = t.fen + excluded.fen, assessed_fen = t.assessed_fen + excluded.assessed_fen
                                """)
        try transaction.send(caps.map { [.text($0.key.member), .integer($0.key.planYear), .text($0.key.benefit), .integer($0.value)] },
                             into: "cap_usage AS c (member_id, plan_year, benefit, used_fen)",
                             suffix: "ON CONFLICT (member_id, plan_year, benefit) DO UPDATE SET used_fen = c.used_fen + excluded.used_fen")
    }

    /// A roster's held rows: personal data, members, then their enrolments. One upsert may
    /// not touch a member twice, so a member held twice (enrolled for two years in one
    /// transaction) is sent once, as last held.
    private func sendHeldRoster() throws {
        guard !heldMembers.isEmpty || !heldPersonal.isEmpty else { return }
        let personal = heldPersonal, enrolments = heldEnrolments
        var members: [[PostgresValue]] = [], seen: Set<String> = []
        for row in heldMembers.reversed() {
            guard case let .text(member) = row[0], seen.insert(member).inserted else { continue }
            members.append(row)
        }
        heldMembers.removeAll(keepingCapacity: true)
        heldEnrolments.removeAll(keepingCapacity: true)
        heldPersonal.removeAll(keepingCapacity: true)
        try transaction.send(personal, into: "member_personal (member_id, resident_id, salt, fields)")
        try transaction.send(members.reversed(), into: "members AS m (member_id, sex, commitment, first_seq)",
                             suffix: "ON CONFLICT (member_id) DO UPDATE SET commitment = excluded.commitment")
        try transaction.send(enrolments, into: "enrolments (member_id, plan_year, unit_id, enrolled_on, coverage_start, is_new, seq)")
    }

    /// Holds a claim's step for a multi-row update (`HeldStep`); a claim already held is
    /// sent first, so that one statement never updates a claim twice.
    private func hold(_ step: HeldStep, claim: Int64, _ row: [PostgresValue]) throws {
        if heldSteps.contains(claim) { try sendHeld() }
        heldSteps.insert(claim)
        heldStepRows[step, default: []].append(row)
        if heldSteps.count >= Self.heldMax { try sendHeld() }
    }

    func updateClaim(_ claim: Int64, _ step: ClaimStep, seq: Int64) throws {
        claimsAhead[claim] = nil
        let id = PostgresValue.text("\(claim)"), stepSeq = PostgresValue.text(",\(seq)")
        switch step {
        case let .reviewed(reviewer):
            try hold(.reviewed, claim: claim, [id, .text(reviewer), stepSeq])
        case let .approved(approvers, final?):
            try hold(.approved, claim: claim, [id, .text(approvers), .integer(final.fen), .text(final.date), stepSeq])
        case let .approved(approvers, nil):
            try hold(.partlyApproved, claim: claim, [id, .text(approvers), stepSeq])
        case let .rejected(reason):
            try execute("""
                UPDATE claims SET state = $1, rejection_code = $2, rejection_reason = $3, step_seqs = step_seqs || $4 WHERE claim_id = $5
                """, [.text(ClaimState.rejected.rawValue), .text(ClaimRejectionRecord.approverCode), .text(reason), stepSeq, id])
        case let .paid(fen, date, batch):
            try hold(.paid, claim: claim, [id, .integer(fen), .text(date), Self.text(batch), stepSeq])
        case let .approvalRevoked(approvableFen):
            try execute("""
                UPDATE claims SET state = $1, approvers = '', approved_fen = NULL, approved_on = NULL,
                                  approvable_fen = nullif($2::BIGINT, computed_fen), step_seqs = step_seqs || $3
                WHERE claim_id = $4
                """, [.text(ClaimState.reviewed.rawValue), .integer(approvableFen), stepSeq, id])
        case .paymentReturned:
            try execute("""
                UPDATE claims SET state = $1, paid_fen = NULL, paid_on = NULL, payment_batch = NULL, step_seqs = step_seqs || $2 WHERE claim_id = $3
                """, [.text(ClaimState.approved.rawValue), stepSeq, id])
        }
    }

    func markClaimCorrected(_ claim: Int64, seq: Int64, on date: String) throws {
        claimsAhead[claim] = nil
        try execute("UPDATE claims SET corrected_seq = $1, corrected_on = GREATEST(coalesce(corrected_on, $2), $2) WHERE claim_id = $3",
                [.integer(seq), .text(date), .text("\(claim)")])
    }

    func insertClaimReversal(_ reversal: ClaimReversalRow) throws {
        try execute("""
            INSERT INTO claim_reversals (seq, claim_id, unit_id, plan_year, benefit, step, reversed_seq, reversed_on, reversed_fen, date)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """, [.integer(reversal.seq), .text("\(reversal.claim)"), .text(reversal.unit), .integer(reversal.planYear), .text(reversal.benefit),
                  .text(reversal.step), .integer(reversal.reversedSeq), .text(reversal.reversedOn), .integer(reversal.reversedFen),
                  .text(reversal.date)])
    }

    func addCapUsage(member: String, planYear: Int64, benefit: String, fen: Int64) throws {
        guard fen != 0 else { return }
        if var caps = capsAhead[member] {
            if let index = caps.firstIndex(where: { $0.planYear == Int(planYear) && $0.benefit == benefit }) {
                caps[index] = CapUsed(planYear: caps[index].planYear, benefit: benefit, usedFen: caps[index].usedFen + fen)
            } else {
                caps.append(CapUsed(planYear: Int(planYear), benefit: benefit, usedFen: fen))
            }
            capsAhead[member] = caps
        }
        heldCaps[CapKey(member: member, planYear: planYear, benefit: benefit), default: 0] += fen
        if heldCaps.count >= Self.heldMax { try sendHeld() }
    }

    func addClaimTally(_ measure: ClaimTallyMeasure, on date: String, planYear: Int64, benefit: String, count: Int64, fen: Int64,
                       assessed: Int64) throws {
        let key = TallyKey(measure: measure.rawValue, date: date, planYear: planYear, benefit: benefit)
        let held = heldTallies[key] ?? (0, 0, 0)
        heldTallies[key] = (held.count + count, held.fen + fen, held.assessed + assessed)
    }

    /// A PostgreSQL register keeps its indexes through a batch: the server maintains them
    /// as it goes, and other clerks' reads need them meanwhile.
    func claimRecorded(_ recorded: Int) throws {}

    func finishClaimBatch(rebuilding: () -> Void) throws {}

    // MARK: Personal data

    static func fields(_ personal: PersonalData) -> PostgresValue { .text(String(decoding: personal.canonicalFields, as: UTF8.self)) }

    func insertPersonal(member: String, residentID: String, personal: PersonalData) throws {
        heldPersonal.append([.text(member), .text(residentID), .bytes(personal.salt), Self.fields(personal)])
        keepAhead(member: member, residentID: residentID, personal)
    }

    func updatePersonal(member: String, personal: PersonalData) throws {
        try execute("UPDATE member_personal SET salt = $1, fields = $2 WHERE member_id = $3", [.bytes(personal.salt), Self.fields(personal), .text(member)])
        if let resident = residentsAhead[member] { keepAhead(member: member, residentID: resident, personal) }
    }

    /// Keeps the roster's read-ahead (`personalAhead`) what the table now holds.
    private func keepAhead(member: String, residentID: String, _ personal: PersonalData) {
        guard !personalAhead.isEmpty else { return }
        personalAhead[residentID] = .some((member, StoredPersonal(residentID: residentID, fields: String(decoding: personal.canonicalFields, as: UTF8.self),
                                                                salt: personal.salt)))
        residentsAhead[member] = residentID
    }

    func insertClaimPersonal(claim: Int64, member: String, personal: PersonalData) throws {
        try execute("INSERT INTO claim_personal (claim_id, member_id, salt, fields) VALUES ($1, $2, $3, $4)",
                [.text("\(claim)"), .text(member), .bytes(personal.salt), Self.fields(personal)])
    }

    func erasePersonal(member: String) throws {
        if let resident = residentsAhead.removeValue(forKey: member) { personalAhead[resident] = .some(nil) }
        try execute("DELETE FROM member_personal WHERE member_id = $1", [.text(member)])
        try execute("DELETE FROM claim_personal WHERE member_id = $1", [.text(member)])
    }

    func insertErasedResident(hash: String, member: String, seq: Int64) throws {
        try execute("INSERT INTO erased_residents (resident_hash, member_id, erased_seq) VALUES ($1, $2, $3)",
                [.text(hash), .text(member), .integer(seq)])
    }

    // MARK: The statement index

    func keepStatementIndex(_ entries: [KeptStatementEntry], indexSeq: Int64) throws {
        try execute("DELETE FROM statement_index_kept", [])
        for (position, kept) in entries.enumerated() {
            try execute("INSERT INTO statement_index_kept (position, subject, index_seq, leaf, entry) VALUES ($1, $2, $3, $4, $5)",
                    [.integer(Int64(position)), .text(kept.subject), .integer(indexSeq), .bytes(kept.leaf.bytes), .bytes(kept.entry)])
        }
    }
}
