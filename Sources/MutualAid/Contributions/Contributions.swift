import Foundation
import Ledger

/// What a unit owes and has paid for a plan year.
public struct UnitContributionStatus: Sendable {
    public let unit: String
    public let year: Int
    public let enrolled: Int
    public let billedHeadcount: Int
    public let billedUnit: Money
    public let billedSubsidy: Money
    public let received: Money
    public let refunded: Money
    /// Billed to the unit and not yet received.
    public var outstanding: Money { Money(fen: billedUnit.fen - received.fen + refunded.fen) }
    /// Whether the unit's members are covered: everything billed to the unit has been received.
    public var isPaid: Bool { Self.isPaid(billedFen: billedUnit.fen, receivedFen: received.fen, refundedFen: refunded.fen) }

    /// The coverage rule on the raw figures: something was billed, and all of it received net of refunds.
    public static func isPaid(billedFen: Int64, receivedFen: Int64, refundedFen: Int64) -> Bool {
        billedFen > 0 && receivedFen - refundedFen >= billedFen
    }
}

extension MutualAidBook {
    /// Bills a unit (or every unit) for members enrolled and not yet billed: headcount ×
    /// the plan's rate, split between the unit (receivable from it) and the union subsidy.
    /// Billing again after more enrolments bills only the difference, and after a bill's
    /// reversal bills what it had billed.
    ///
    /// A bill's key names the billed headcount it starts from and the one it brings the
    /// unit to (`bill:<unit>:<year>:<from>-<to>`), with `#2`, `#3`, … when an earlier bill
    /// used it: after an older bill is reversed, the bill that makes up for it may span the
    /// same headcounts as a later bill that stands. A repeated `bill` finds no one left to
    /// bill, so the key only has to be unique.
    public func bill(year: Int, unit: UnitID? = nil, date: LedgerDate, signer: SigningKey) throws -> [(unit: String, headcount: Int, amount: Money)] {
        try ledger.append(signer: signer) { session in
            let register = try MutualAidBook.tables(session)
            let plan = try MutualAidBook.requirePlan(year: year, in: register).rules
            let units = try unit.map { [$0.value] } ?? register.units(limit: .max).map(\.id)
            var billed: [(String, Int, Money)] = []
            for unitID in units {
                let enrolled = try register.enrolledCount(unit: unitID, planYear: year)
                let already = Int(try register.contributions(unit: unitID, planYear: year).billedHeadcount)
                let headcount = enrolled - already
                guard headcount > 0 else { continue }
                let count = Int64(headcount)
                let unitFen = (plan.contribution.unit.fen + plan.contribution.member.fen) * count
                let subsidyFen = plan.contribution.unionSubsidy.fen * count
                let postings = try plan.accounts.billPostings(unitFen: unitFen, subsidyFen: subsidyFen)
                try session.append(ContributionBilledEvent(
                    unit: unitID, planYear: Int64(year), headcount: count, totalHeadcount: Int64(enrolled), rateFen: plan.contribution.rate.fen,
                    unitFen: unitFen, subsidyFen: subsidyFen, date: date, postings: postings,
                    idempotencyKey: session.firstUnusedKey("bill:\(unitID):\(year):\(already)-\(enrolled)")).draft())
                billed.append((unitID, headcount, Money(fen: unitFen + subsidyFen)))
            }
            return billed
        }
    }

    /// Records a unit's payment received in the bank; the bank reference is the
    /// idempotency key, so recording it twice records it once. A receipt that was reversed
    /// (recorded against the wrong unit, say) is recorded again under its reference.
    @discardableResult
    public func receive(unit: UnitID, year: Int, amount: Money, bankReference: String, date: LedgerDate,
                        signer: SigningKey) throws -> AppendSession.Outcome {
        try ledger.append(signer: signer) { session in
            try MutualAidBook.receive(unit: unit, year: year, amount: amount, bankReference: bankReference, date: date,
                                      under: session.keyAfterReversals(MutualAidBook.receiptKey(bankReference)), session: session)
        }
    }

    /// Records a receipt under `found`, what `keyAfterReversals` gave for its reference: a
    /// repeat of a standing receipt is answered with it, and a receipt reversed (recorded
    /// against the wrong unit, say) is recorded again under the key's next generation.
    static func receive(unit: UnitID, year: Int, amount: Money, bankReference: String, date: LedgerDate,
                        under found: (key: String, seq: Int64?), session: AppendSession) throws -> AppendSession.Outcome {
        let register = try tables(session)
        let plan = try requirePlan(year: year, in: register).rules
        let (key, standing) = found
        if let seq = standing {
            // One bank reference is one receipt: a row repeating it is a repeat only if it says
            // the same; with another unit, year, amount or date it is a mistake to look at.
            guard let event = try session.event(seq: seq) else { throw LedgerRuleError.noSuchEvent(seq: seq) }
            let recorded = try ContributionReceivedEvent(event: event)
            guard recorded.unit == unit.value, recorded.planYear == Int64(year), recorded.amountFen == amount.fen, recorded.date == date else {
                throw MutualAidRuleError("""
                    bank reference \(bankReference) is already recorded at seq \(seq) as \(Money(fen: recorded.amountFen).formatted()) \
                    from unit \(recorded.unit) for \(recorded.planYear) on \(recorded.date); \
                    this says \(amount.formatted()) from \(unit) for \(year) on \(date): one reference is one receipt (reverse the receipt at seq \(seq) if it is wrong)
                    """)
            }
            return .duplicate(seq: seq)
        }
        guard amount.fen > 0 else { throw LedgerInputError(field: "amount", value: amount.formatted(), reason: "must be greater than zero") }
        let status = try contributionStatus(unit: unit.value, year: year, in: register)
        guard amount.fen <= status.outstanding.fen else {
            throw MutualAidRuleError("unit \(unit) owes \(status.outstanding.formatted()) for \(year); a receipt of \(amount.formatted()) would overpay (bill first, or record the surplus separately)")
        }
        return try session.append(ContributionReceivedEvent(unit: unit.value, planYear: Int64(year), amountFen: amount.fen,
                                                            bankReference: bankReference, date: date,
                                                            postings: plan.accounts.receiptPostings(amount), idempotencyKey: key).draft())
    }

    /// Records the union's subsidy received for a plan year.
    @discardableResult
    public func receiveSubsidy(year: Int, amount: Money, reference: String, date: LedgerDate, signer: SigningKey) throws -> AppendSession.Outcome {
        try ledger.append(signer: signer) { session in
            let plan = try MutualAidBook.requirePlan(year: year, in: MutualAidBook.tables(session)).rules
            return try session.append(SubsidyReceivedEvent(planYear: Int64(year), amountFen: amount.fen, reference: reference, date: date,
                                                           postings: plan.accounts.subsidyPostings(amount),
                                                           idempotencyKey: session.keyAfterReversals("subsidy:\(reference)").key).draft())
        }
    }

    /// Refunds part of a unit's contribution (members who left before the term began), as
    /// an approver approved it under `reference` (`approveRefund`): money leaving the fund.
    @discardableResult
    public func refund(unit: UnitID, year: Int, amount: Money, reason: String, reference: String, date: LedgerDate,
                       signer: SigningKey) throws -> AppendSession.Outcome {
        let reference = try MutualAidBook.checkReference(reference, field: "ref")
        return try ledger.append(signer: signer) { session in
            let register = try MutualAidBook.tables(session)
            let plan = try MutualAidBook.requirePlan(year: year, in: register).rules
            let status = try MutualAidBook.contributionStatus(unit: unit.value, year: year, in: register)
            guard amount.fen > 0, amount.fen <= status.received.fen - status.refunded.fen else {
                throw MutualAidRuleError("unit \(unit) has paid \(Money(fen: status.received.fen - status.refunded.fen).formatted()) net for \(year); cannot refund \(amount.formatted())")
            }
            let key = try session.keyAfterReversals("refund:\(reference)")
            if key.seq == nil {
                try MutualAidBook.requireRefundApproval(unit: unit, year: year, amount: amount, reference: reference, refundKey: key.key, session: session)
            }
            return try session.append(ContributionRefundedEvent(unit: unit.value, planYear: Int64(year), amountFen: amount.fen, reason: reason,
                                                                reference: reference, date: date, postings: plan.accounts.refundPostings(amount),
                                                                idempotencyKey: key.key).draft())
        }
    }

    /// The idempotency key of the receipt of `bankReference` (before `keyAfterReversals`).
    static func receiptKey(_ bankReference: String) -> String { "receipt:\(bankReference)" }

    static func contributionStatus(unit: String, year: Int, in register: any MutualAidRecords) throws -> UnitContributionStatus {
        let sums = try register.contributions(unit: unit, planYear: year)
        return UnitContributionStatus(unit: unit, year: year, enrolled: try register.enrolledCount(unit: unit, planYear: year),
                                      billedHeadcount: Int(sums.billedHeadcount), billedUnit: sums.billedUnit, billedSubsidy: sums.billedSubsidy,
                                      received: sums.received, refunded: sums.refunded)
    }

    public func contributions(year: Int) throws -> [UnitContributionStatus] {
        try read { register in
            try register.units(limit: .max).map { try MutualAidBook.contributionStatus(unit: $0.id, year: year, in: register) }
        }
    }

    /// What importing a bank statement did with its rows.
    public struct StatementImport: Sendable, Equatable {
        /// Receipts recorded.
        public var recorded = 0
        /// Rows whose reference was already recorded and stands.
        public var duplicates = 0
        /// Rows whose reference was recorded and then reversed, and not recorded again:
        /// a statement re-imported must not bring back a receipt the office undid. Record
        /// one again on purpose with `contribution receive`.
        public var reversedReferences: [String] = []
    }

    /// Records every receipt of a bank statement CSV (columns date, amount, reference, unit)
    /// in one transaction; rows already recorded (same reference) are skipped, and so are
    /// rows whose receipt was reversed (`StatementImport.reversedReferences`).
    public func importBankStatement(path: String, year: Int, signer: SigningKey) throws -> StatementImport {
        let reader = try CSVReader(path: path)
        return try ledger.append(signer: signer) { session in
            var result = StatementImport()
            while let row = try reader.next() {
                do {
                    let date = try LedgerDate(try row.value("date").trimmingSpaces())
                    let amountText = try row.value("amount")
                    let amount: Money
                    do { amount = try Money(parsingPositive: amountText) } catch let error as MoneyError {
                        throw LedgerInputError(field: "amount", value: amountText, reason: error.description)
                    }
                    let reference = try row.value("reference").trimmingSpaces()
                    guard !reference.isEmpty else { throw LedgerInputError(field: "reference", value: "", reason: "the bank reference is required") }
                    let unit = try UnitID(try row.value("unit"))
                    // Not standing, and its key moved on: the receipt was reversed and not recorded again.
                    let found = try session.keyAfterReversals(MutualAidBook.receiptKey(reference))
                    if found.seq == nil, found.key != MutualAidBook.receiptKey(reference) {
                        result.reversedReferences.append(reference)
                        continue
                    }
                    switch try MutualAidBook.receive(unit: unit, year: year, amount: amount, bankReference: reference, date: date,
                                                     under: found, session: session) {
                    case .recorded: result.recorded += 1
                    case .duplicate: result.duplicates += 1
                    }
                } catch let error as LedgerInputError {
                    throw error.at(row: row.row).inFile(path)
                } catch let error as CSVError {
                    throw error
                } catch {
                    throw BatchRowError(row: row.row, underlying: error).inFile(path)
                }
            }
            return result
        }
    }
}
