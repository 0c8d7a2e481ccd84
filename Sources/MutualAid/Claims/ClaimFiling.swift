import Foundation
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
    /// A batch that grows past the claims already on file sets the claims register's indexes
    /// aside and rebuilds them before it commits (`MutualAidTables.claimRecorded`); `rebuildingIndexes`
    /// is called when that starts. A settlement file is `shape: .bulkWrittenOnce`.
    @discardableResult
    public func file(next: () throws -> ClaimInput?, signer: SigningKey, shape: WriteShape = .command,
                     rebuildingIndexes: () -> Void = {}, each: (FiledClaim) -> Void) throws -> Int {
        try ledger.append(signer: signer, shape: shape) { session in
            let tables = try MutualAidBook.tables(session)
            let filer = ClaimFiler(session: session, tables: tables)
            var count = 0, recorded = 0
            // Before a chunk is filed, the store is told its settlement keys and members.
            var rows = ReadAheadChunks<ClaimInput>()
            while let input = try rows.next(from: next, readAhead: { chunk in
                try session.readAhead(idempotencyKeys: chunk.flatMap { input in
                    ["claim:" + input.settlementKey] + (input.exactSettlementKey == input.settlementKey ? [] : ["claim:" + input.exactSettlementKey])
                })
                try tables.readAhead(claimantsOf: chunk.map(\.member.value))
            }) {
                do {
                    let filed = try filer.file(input)
                    if !filed.wasAlreadyFiled {
                        recorded += 1
                        try tables.claimRecorded(recorded)
                    }
                    each(filed)
                } catch let error as LedgerInputError {
                    throw error.row == nil ? error.at(row: input.row) : error
                } catch let error as ClaimFactsError {
                    throw LedgerInputError(row: input.row, field: error.field, value: error.value, reason: error.message)
                } catch let error as MutualAidRuleError {
                    throw BatchRowError(row: input.row, underlying: error)
                }
                count += 1
            }
            try tables.finishClaimBatch(rebuilding: rebuildingIndexes)
            return count
        }
    }
}

/// Files claims within one append session, caching plans and prepared statements.
final class ClaimFiler {
    let session: AppendSession
    let tables: any MutualAidTables
    /// The plan of each year asked about (nil: none published), and a calculator per publication.
    private var plans: [Int: PublishedPlan?] = [:]
    private var calculators: [Int64: PayoutCalculator] = [:]
    /// Whether each unit has paid for a year. Filing records no payments, so within one
    /// filing session the answer cannot change; asking once per unit spares a query per claim.
    private var unitPaid: [String: Bool] = [:]

    init(session: AppendSession, tables: any MutualAidTables) {
        self.session = session
        self.tables = tables
    }

    func file(_ input: ClaimInput) throws -> FiledClaim {
        var key = "claim:" + input.settlementKey
        var duplicateOf: Int64?
        // A claim filed before keys were normalised is found by the key as typed (asked first,
        // so the normalised key is the one the append then knows unused).
        let exact = input.exactSettlementKey == input.settlementKey ? nil : try session.recordedSeq(idempotencyKey: "claim:" + input.exactSettlementKey)
        // A key found unused here is not searched for again by the append.
        if let original = try session.recordedSeq(idempotencyKey: key) ?? exact {
            if try session.event(seq: original).map({ try ClaimFiledEvent(event: $0).input }) == input.json {
                let filed = try tables.claim(original)
                return FiledClaim(row: input.row, claim: original, wasAlreadyFiled: true, computation: nil,
                                  rejection: filed?.rejectionReason, payout: filed?.computed ?? .zero)
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
        let (sex, coverage, unit, usage) = try standing(of: input, year: plan.rules.year, benefit: benefit.code, on: input.serviceDate)
        let computation: PayoutComputation = duplicateOf != nil
            ? .rejected(benefitCode: benefit.code, .duplicate(settlementID: input.settlementKey))
            : try plan.calculator.compute(benefit: benefit, facts: input.facts, coverage: coverage, sex: sex, usage: usage)

        let personal = input.diagnosis.map { PersonalData(fields: ["diagnosis": $0]) }
        let data = ClaimFiledData(input: input, benefit: benefit.code, unit: unit, planYear: plan.rules.year, plan: plan.seq, computation: computation,
                                  usage: usage, duplicateOf: duplicateOf, personal: personal?.commitment, idempotencyKey: key)
        let outcome = try session.append(try data.encodedDraft(), keyIsUnused: false) { seq, filer in
            try ClaimProjection.filed(data.projected(seq: seq, filer: filer), tables: tables)
        }
        if let personal {
            try tables.insertClaimPersonal(claim: outcome.seq, member: input.member.value, personal: personal)
        }
        return FiledClaim(row: input.row, claim: outcome.seq, wasAlreadyFiled: false, computation: computation,
                          rejection: computation.rejection?.sentence, payout: computation.amount ?? .zero)
    }

    /// The rules that assess a claim for service on `date`: those in force that day
    /// (`PublishedPlan.version(inForceOn:)`) of the plan whose term covers it.
    func planCovering(_ date: LedgerDate) throws -> (rules: PlanRules, seq: Int64, calculator: PayoutCalculator) {
        for year in [date.year, date.year - 1, date.year + 1] {
            if plans[year] == nil { plans[year] = .some(try MutualAidBook.publishedPlan(year: year, in: tables)) }
            guard let plan = plans[year] ?? nil, plan.current.rules.term.contains(date),
                  let version = plan.version(inForceOn: date) else { continue }
            let calculator = calculators[version.seq] ?? PayoutCalculator(plan: version.rules)
            calculators[version.seq] = calculator
            return (version.rules, version.seq, calculator)
        }
        throw LedgerInputError(field: "service date", value: date.text, reason: "no published plan's term covers this date")
    }

    /// What the rules engine needs to know of a member for a claim in plan `year`: their
    /// sex, their coverage on `date` and the unit they are enrolled through, and the caps
    /// already used, this session's claims included.
    func standing(of input: ClaimInput, year: Int, benefit: String,
                  on date: LedgerDate) throws -> (MemberSex, Coverage, unit: String, CapUsage) {
        guard let claimant = try tables.claimant(member: input.member.value) else {
            throw LedgerInputError(field: "member", value: input.member.value, reason: "no such member")
        }
        var usage = CapUsage(benefitUsed: .zero, totalUsed: .zero)
        for cap in try tables.capsUsed(member: input.member.value) where cap.planYear == year {
            usage.totalUsed = try usage.totalUsed.adding(Money(fen: cap.usedFen))
            if cap.benefit == benefit { usage.benefitUsed = try usage.benefitUsed.adding(Money(fen: cap.usedFen)) }
        }
        let sex = claimant.sex
        guard let enrolment = claimant.enrolment(year: year) else { return (sex, .notEnrolled, "", usage) }
        if let left = enrolment.leftOn.flatMap({ try? LedgerDate($0) }), left < date { return (sex, .notEnrolled, enrolment.unit, usage) }
        guard try isPaid(unit: enrolment.unit, year: year) else { return (sex, .contributionUnpaid, enrolment.unit, usage) }
        return (sex, .covered(since: try LedgerDate(enrolment.coverageStart)), enrolment.unit, usage)
    }

    /// Whether `unit` has paid its contribution for `year`.
    func isPaid(unit: String, year: Int) throws -> Bool {
        let key = "\(unit)/\(year)"
        if let known = unitPaid[key] { return known }
        let sums = try tables.contributions(unit: unit, planYear: year)
        let paid = UnitContributionStatus.isPaid(billedFen: sums.billedUnit.fen, receivedFen: sums.received.fen, refundedFen: sums.refunded.fen)
        unitPaid[key] = paid
        return paid
    }
}
