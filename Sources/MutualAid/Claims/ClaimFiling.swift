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
    @discardableResult
    public func file(next: () throws -> ClaimInput?, signer: SigningKey, each: (FiledClaim) -> Void) throws -> Int {
        try ledger.append(signer: signer) { session in
            let filer = ClaimFiler(session: session, db: try MutualAidBook.database(session))
            var count = 0
            while let input = try next() {
                do {
                    each(try filer.file(input))
                } catch let error as LedgerInputError {
                    throw error.row == nil ? error.at(row: input.row) : error
                } catch let error as ClaimFactsError {
                    throw LedgerInputError(row: input.row, field: error.field, value: "", reason: error.message)
                } catch let error as MutualAidRuleError {
                    throw BatchRowError(row: input.row, underlying: error)
                }
                count += 1
            }
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

    init(session: AppendSession, db: Database) {
        self.session = session
        self.db = db
    }

    func file(_ input: ClaimInput) throws -> FiledClaim {
        var key = "claim:" + input.settlementKey
        var duplicateOf: Int64?
        if let original = try session.recordedSeq(idempotencyKey: key) {
            let stored = try session.store.storedEvent(seq: original)
            let event = try stored.map { try RecordedEvent(body: $0.body, signature: $0.signature) }
            if event?.data["input"] == input.json {
                let row = try db.row("SELECT computed_fen, rejection_reason FROM claims WHERE claim_id = ?", ["\(original)"])
                return FiledClaim(row: input.row, claim: original, wasAlreadyFiled: true, computation: nil,
                                  rejection: row?[1], payout: Money(fen: row?[0] ?? 0))
            }
            // Same settlement, different claim: record it, rejected as a duplicate.
            duplicateOf = original
            key = "claim-duplicate:\(input.settlementKey):\(SHA256Hash.of(try CanonicalJSON.encode(input.json)).hex.prefix(16))"
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
        let (sex, coverage, unit, usage) = try standing(of: input.member, year: plan.rules.year, benefit: benefit.code,
                                                        on: input.serviceDate)
        let computation: PayoutComputation
        if let duplicateOf {
            _ = duplicateOf
            computation = .rejected(benefitCode: benefit.code, .duplicate(settlementID: input.settlementKey))
        } else {
            computation = try plan.calculator.compute(benefit: benefit, facts: input.facts, coverage: coverage, sex: sex, usage: usage)
        }

        var fields: [String: JSONValue] = [
            "member": .string(input.member.value), "unit": .string(unit), "planYear": .integer(Int64(plan.rules.year)),
            "plan": .integer(plan.seq), "benefit": .string(benefit.code), "settlementKey": .string(input.settlementKey),
            "serviceDate": .string(input.serviceDate.text), "input": input.json,
            "assessment": ClaimFiler.assessment(computation, usage: usage),
        ]
        if let duplicateOf { fields["duplicateOf"] = .integer(duplicateOf) }
        var personal: PersonalData?
        if let diagnosis = input.diagnosis {
            personal = PersonalData(fields: ["diagnosis": diagnosis])
            fields["personal"] = .string(personal!.commitment)
        }
        let outcome = try session.append(EventDraft(kind: MutualAidKinds.claimFiled, date: input.filedOn, idempotencyKey: key,
                                                    fields: fields))
        if let personal {
            try db.run("INSERT INTO claim_personal (claim_id, member_id, salt, fields) VALUES (?, ?, ?, ?)",
                           arguments: ["\(outcome.seq)", input.member.value, Data(personal.salt),
                                       String(decoding: personal.canonicalFields, as: UTF8.self)])
        }
        return FiledClaim(row: input.row, claim: outcome.seq, wasAlreadyFiled: false, computation: computation,
                          rejection: computation.rejection?.sentence, payout: computation.amount ?? .zero)
    }

    /// The assessment as the event records it: the outcome and the caps it was computed
    /// against. Not the explanation text: it is derived from the same numbers (the audit
    /// recomputes them), and rendering it would cost more than the computation.
    static func assessment(_ computation: PayoutComputation, usage: CapUsage) -> JSONValue {
        var object: [String: JSONValue] = ["payoutFen": .integer(computation.amount?.fen ?? 0),
                                           "benefitUsedFen": .integer(usage.benefitUsed.fen),
                                           "totalUsedFen": .integer(usage.totalUsed.fen)]
        if let rejection = computation.rejection {
            object["rejection"] = ["code": .string(rejection.code), "reason": .string(rejection.sentence)]
        }
        return .object(object)
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
    /// already used. One statement (scalar subqueries for the caps, which SQLite answers
    /// from the primary key without a temporary table): a batch asks it once per claim,
    /// and three statements cost more than one.
    func standing(of member: MemberID, year: Int, benefit: String,
                  on date: LedgerDate) throws -> (MemberSex, Coverage, unit: String, CapUsage) {
        guard let row = try db.row("""
            SELECT m.sex, e.unit_id, e.coverage_start, e.left_on,
                   (SELECT coalesce(sum(used_fen), 0) FROM cap_usage WHERE member_id = ?1 AND plan_year = ?2 AND benefit = ?3),
                   (SELECT coalesce(sum(used_fen), 0) FROM cap_usage WHERE member_id = ?1 AND plan_year = ?2)
            FROM members m
            LEFT JOIN enrolments e ON e.member_id = m.member_id AND e.plan_year = ?2
            WHERE m.member_id = ?1
            """, [member.value, year, benefit]) else {
            throw LedgerInputError(field: "member", value: member.value, reason: "no such member")
        }
        let sex = MemberSex(rawValue: row[0]) ?? .male
        let usage = CapUsage(benefitUsed: Money(fen: row[4] ?? 0), totalUsed: Money(fen: row[5] ?? 0))
        guard let unit: String = row[1] else { return (sex, .notEnrolled, "", usage) }
        if let left = (row[3] as String?).flatMap({ try? LedgerDate($0) }), left < date { return (sex, .notEnrolled, unit, usage) }
        guard try isPaid(unit: unit, year: year) else { return (sex, .contributionUnpaid, unit, usage) }
        return (sex, .covered(since: try LedgerDate(row[2] as String)), unit, usage)
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
