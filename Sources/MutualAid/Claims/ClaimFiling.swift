import Foundation
import GRDB
import Ledger

/// What filing one claim did.
public struct FiledClaim: Sendable {
    public let row: Int
    /// The claim's id: the seq of its `claim.filed` event.
    public let claim: Int64
    /// True when this exact claim was already on file; nothing new was recorded.
    public let wasAlreadyFiled: Bool
    public let computation: PayoutComputation?
    public let rejection: String?
    public let payout: Money
}

extension MutualAidBook {
    /// Files claims in one transaction. The rules engine assesses each on the spot from
    /// the rules published for its service date's plan year, the member's coverage and
    /// the caps already used; a claim the rules refuse is recorded as rejected, with the
    /// reason. Refiling the same claim returns the original; another claim with an
    /// already-used settlement id is recorded and rejected as a duplicate.
    public func file(_ inputs: [ClaimInput], signer: SigningKey) throws -> [FiledClaim] {
        var iterator = inputs.makeIterator()
        var results: [FiledClaim] = []
        _ = try file(next: { iterator.next() }, signer: signer) { results.append($0) }
        return results
    }

    /// Files claims read one at a time by `next` (a settlement file of any size), calling
    /// `each` with every result. Returns how many were filed.
    ///
    /// With `lookup`, the inputs `next` gives may carry their members read ahead by it;
    /// the lookup is finished before the batch commits. A batch that grows past the claims
    /// already on file sets the claims register's indexes aside and rebuilds them before it
    /// commits (`DeferredClaimIndexes`); `rebuildingIndexes` is called when that starts.
    @discardableResult
    public func file(next: () throws -> ClaimInput?, lookup: ClaimantLookup? = nil, signer: SigningKey,
                     rebuildingIndexes: () -> Void = {}, each: (FiledClaim) -> Void) throws -> Int {
        try file(next: next, lookup: lookup, signer: signer, indexes: DeferredClaimIndexes(), rebuildingIndexes: rebuildingIndexes,
                 each: each)
    }

    func file(next: () throws -> ClaimInput?, lookup: ClaimantLookup?, signer: SigningKey, indexes: DeferredClaimIndexes,
              rebuildingIndexes: () -> Void, each: (FiledClaim) -> Void) throws -> Int {
        try ledger.append(signer: signer) { session in
            defer { lookup?.finish() }
            let db = try MutualAidBook.database(session)
            let filer = ClaimFiler(session: session, db: db, acceptsPrefetched: lookup != nil)
            var indexes = indexes
            var count = 0, recorded = 0
            while let input = try next() {
                do {
                    let filed = try filer.file(input)
                    if !filed.wasAlreadyFiled {
                        recorded += 1
                        if try indexes.shouldSuspend(filed: recorded, db: db) { try indexes.suspend(db: db) }
                    }
                    each(filed)
                } catch let error as LedgerInputError {
                    throw error.row == nil ? error.at(row: input.row) : error
                } catch let error as ClaimFactsError {
                    throw LedgerInputError(row: input.row, field: error.field, value: "", reason: error.message)
                } catch let error as MutualAidRuleError {
                    throw BatchRowError(row: input.row, underlying: error)
                }
                count += 1
            }
            lookup?.finish()
            if indexes.isSuspended { rebuildingIndexes() }
            try indexes.rebuild(db: db)
            return count
        }
    }
}

/// Files claims within one append session, caching plans and prepared statements.
final class ClaimFiler {
    let session: AppendSession
    let db: Database
    private var plans: [Int: (rules: PlanRules, seq: Int64, calculator: PayoutCalculator)] = [:]
    /// Whether each unit has paid for a year. Filing records no payments, so within one
    /// filing session the answer cannot change; asking once per unit spares a query per claim.
    private var unitPaid: [String: Bool] = [:]

    /// The log's head when the session began, if the session was given a lookup:
    /// claimants read ahead from any other state are ignored (see `ClaimantLookup`).
    private let prefetchedFrom: Claimant.LogHead?
    /// The members this session has filed claims for, whose prefetched caps are stale.
    private var filedFor = BloomFilter()
    /// The idempotency keys this session has recorded, whose prefetched absence is stale.
    private var keysRecorded = BloomFilter()
    /// The claims register's statements, prepared at the first claim.
    private var statements: ClaimProjection.Statements?

    /// Takes claimants read ahead from the inputs only if `acceptsPrefetched` (the batch
    /// was given the lookup that read them, which it finishes before committing).
    init(session: AppendSession, db: Database, acceptsPrefetched: Bool = false) {
        self.session = session
        self.db = db
        prefetchedFrom = acceptsPrefetched
            ? Claimant.LogHead(ledgerID: session.ledgerID, size: session.logSize, hash: session.headHash.bytes) : nil
    }

    func file(_ input: ClaimInput) throws -> FiledClaim {
        var key = "claim:" + input.settlementKey
        var duplicateOf: Int64?
        let prefetched = prefetched(input)
        // For a settlement this session has not used, the lookup's answer (as the session
        // began) still holds; if it is "not on file", neither this transaction nor the store
        // is searched for the key, here or by the append (whose unique index would still
        // refuse a second use).
        let recorded: Int64?
        var keyIsUnused = false
        if let prefetched, !keysRecorded.mayContain(key) {
            recorded = prefetched.settlementClaim
            keyIsUnused = recorded == nil
        } else {
            recorded = try session.recordedSeq(idempotencyKey: key)
        }
        if let original = recorded {
            if try session.event(seq: original)?.data["input"] == input.json {
                let row = try db.row("SELECT computed_fen, rejection_reason FROM claims WHERE claim_id = ?", ["\(original)"])
                return FiledClaim(row: input.row, claim: original, wasAlreadyFiled: true, computation: nil,
                                  rejection: row?[1], payout: Money(fen: row?[0] ?? 0))
            }
            // Same settlement, different claim: record it, rejected as a duplicate.
            duplicateOf = original
            key = "claim-duplicate:\(input.settlementKey):\(SHA256Hash.of(input.encodedJSON).hex.prefix(16))"
            if let seq = try session.recordedSeq(idempotencyKey: key) {
                return FiledClaim(row: input.row, claim: seq, wasAlreadyFiled: true, computation: nil,
                                  rejection: ClaimRejection.duplicate(settlementID: input.settlementKey).sentence, payout: .zero)
            }
        }

        let plan = try planCovering(input.serviceDate)
        guard let benefit = plan.rules.benefit(code: input.benefit) else {
            throw LedgerInputError(field: "benefit", value: input.benefit,
                                   reason: "the \(plan.rules.year) plan has no such benefit; its benefits are " + plan.rules.benefits.map(\.code).joined(separator: ", "))
        }
        let (sex, coverage, unit, usage) = try standing(of: input, prefetched: prefetched, year: plan.rules.year, benefit: benefit.code,
                                                        on: input.serviceDate)
        let computation: PayoutComputation = duplicateOf != nil
            ? .rejected(benefitCode: benefit.code, .duplicate(settlementID: input.settlementKey))
            : try plan.calculator.compute(benefit: benefit, facts: input.facts, coverage: coverage, sex: sex, usage: usage)

        let personal = input.diagnosis.map { PersonalData(fields: ["diagnosis": $0]) }
        let data = ClaimFiledData(input: input, benefit: benefit.code, unit: unit, planYear: plan.rules.year, plan: plan.seq, computation: computation,
                                  usage: usage, duplicateOf: duplicateOf, personal: personal?.commitment, idempotencyKey: key)
        let outcome = try session.append(try data.encodedDraft(), keyIsUnused: keyIsUnused) { seq, filer in
            try ClaimProjection.filed(data.projected(seq: seq, filer: filer), db: db, statements: try registerStatements())
        }
        filedFor.insert(input.member.value)
        keysRecorded.insert(key)
        if let personal {
            try db.run("INSERT INTO claim_personal (claim_id, member_id, salt, fields) VALUES (?, ?, ?, ?)",
                           arguments: ["\(outcome.seq)", input.member.value, Data(personal.salt),
                                       String(decoding: personal.canonicalFields, as: UTF8.self)])
        }
        return FiledClaim(row: input.row, claim: outcome.seq, wasAlreadyFiled: false, computation: computation,
                          rejection: computation.rejection?.sentence, payout: computation.amount ?? .zero)
    }

    private func registerStatements() throws -> ClaimProjection.Statements {
        if let statements { return statements }
        let prepared = try ClaimProjection.Statements(db: db)
        statements = prepared
        return prepared
    }

    func planCovering(_ date: LedgerDate) throws -> (rules: PlanRules, seq: Int64, calculator: PayoutCalculator) {
        for year in [date.year, date.year - 1, date.year + 1] {
            if plans[year] == nil, let found = try MutualAidBook.plan(year: year, db: db) {
                plans[year] = (found.rules, found.seq, PayoutCalculator(plan: found.rules))
            }
            if let plan = plans[year], plan.rules.term.contains(date) { return plan }
        }
        throw LedgerInputError(field: "service date", value: date.text, reason: "no published plan's term covers this date")
    }

    /// What the rules engine needs to know of a member for a claim in plan `year`: their
    /// sex, their coverage on `date` and the unit they are enrolled through, and the caps
    /// already used. They come from the input when a `ClaimantLookup` read them from the
    /// state this session began from; the caps only while the session has filed nothing
    /// for the member (its own claims change them), else they are read here.
    func standing(of input: ClaimInput, prefetched: Claimant.Prefetched?, year: Int, benefit: String,
                  on date: LedgerDate) throws -> (MemberSex, Coverage, unit: String, CapUsage) {
        guard let claimant = try prefetched.map({ $0.claimant }) ?? Claimant.read(input.member, db: db) else {
            throw LedgerInputError(field: "member", value: input.member.value, reason: "no such member")
        }
        var usage = CapUsage(benefitUsed: .zero, totalUsed: .zero)
        let capsUsed: [Claimant.CapUsed]
        if let prefetched = claimant.capsUsed, !filedFor.mayContain(input.member.value) {
            capsUsed = prefetched
        } else {
            capsUsed = Claimant.capsUsed(try db.rows(Claimant.capsSelection, [input.member.value]))
        }
        for cap in capsUsed where cap.year == year {
            usage.totalUsed = try usage.totalUsed.adding(Money(fen: cap.usedFen))
            if cap.benefit == benefit { usage.benefitUsed = try usage.benefitUsed.adding(Money(fen: cap.usedFen)) }
        }
        let sex = claimant.sex
        guard let enrolment = claimant.enrolment(year: year) else { return (sex, .notEnrolled, "", usage) }
        if let left = enrolment.leftOn.flatMap({ try? LedgerDate($0) }), left < date { return (sex, .notEnrolled, enrolment.unit, usage) }
        guard try isPaid(unit: enrolment.unit, year: year) else { return (sex, .contributionUnpaid, enrolment.unit, usage) }
        return (sex, .covered(since: try LedgerDate(enrolment.coverageStart)), enrolment.unit, usage)
    }

    /// What a `ClaimantLookup` read ahead for `input`, if read from the state this session
    /// began from.
    private func prefetched(_ input: ClaimInput) -> Claimant.Prefetched? {
        input.prefetched.flatMap { $0.snapshot == prefetchedFrom ? $0 : nil }
    }

    /// Whether `unit` has paid its contribution for `year`.
    func isPaid(unit: String, year: Int) throws -> Bool {
        let key = "\(unit)/\(year)"
        if let known = unitPaid[key] { return known }
        let row = try db.row("""
            SELECT billed_unit_fen, received_fen, refunded_fen FROM unit_contributions WHERE unit_id = ? AND plan_year = ?
            """, [unit, year])
        let billed: Int64 = row?[0] ?? 0, received: Int64 = row?[1] ?? 0, refunded: Int64 = row?[2] ?? 0
        let paid = UnitContributionStatus.isPaid(billedFen: billed, receivedFen: received, refundedFen: refunded)
        unitPaid[key] = paid
        return paid
    }
}
