import Ledger
import MutualAid

/// The mutual-aid domain's audit, in one streaming pass beside the ledger's checks:
///
/// - `claims.assessment`: every claim's assessment equals what the rules published at the
///   seq it names compute, from the member's coverage, the unit's payment and the caps
///   used at that moment (recomputed from the events, not read from the projections);
///   duplicates of a settlement are rejected.
/// - `claims.duties`: the filer never reviews or decides; the reviewer never approves where
///   the plan keeps the two apart (`reviewerMayApprove = false`); approvers hold distinct keys; an
///   amount at or over the plan's large-amount threshold has two approvers; an approved
///   amount never exceeds the assessed one; the postings are the benefit's expense
///   against the claims payable, for the approved amount.
/// - `claims.payments`: every payment traces to an approved, unpaid claim, for the
///   approved amount, clearing the payable against the bank.
/// - `claims.duties` and `claims.payments` also judge the corrections: an approval revoked
///   only before payment, by an approver who did not file the claim, withdrawing exactly
///   the round's approvals and reversing the final one's postings, and leaving the claim
///   approvable for no more than its assessment and the caps then left (`approvableFen`,
///   which the caps count until it is decided); a payment returned only while it stands, putting the amount
///   paid back in the bank against the payable.
/// - `contributions`: every bill charges headcount × the plan's rate (split as the plan
///   says) for members enrolled and not yet billed; no unit receives more than it was
///   billed, or is refunded more than it paid; a reversed bill, receipt, refund or subsidy
///   is reversed once, with its own figures and its postings on the opposite sides;
///   enrolled members not billed by the end are reported.
///
/// In an incremental audit these checks need the whole history and are skipped with a
/// note; a full audit runs them.
public struct MutualAidAuditCheck: AuditCheck {
    public let name = "mutual-aid"
    var state = MutualAidState()
    var skipped = false
    var calculators: [Int64: PayoutCalculator] = [:]

    public init() {}

    public mutating func begin(_ context: AuditContext, into findings: inout [Finding]) throws {
        if context.firstSeq > 1 {
            skipped = true
            findings.append(Finding(.info, check: "claims.assessment",
                                    "not run in an incremental audit: claims are recomputed from the whole history in a full audit"))
        }
    }

    public mutating func inspect(_ audited: AuditedEvent, into findings: inout [Finding]) {
        guard !skipped else { return }
        let event = audited.event
        let data = event.data
        func string(_ key: String) -> String { data[key]?.stringValue ?? "" }
        func int(_ key: String) -> Int64 { data[key]?.integerValue ?? 0 }
        func fail(_ check: String, _ text: String, _ seqs: [Int64]? = nil) {
            findings.append(Finding(.error, check: check, seqs: seqs ?? [event.seq], text))
        }
        func warn(_ check: String, _ text: String, _ seqs: [Int64]? = nil) {
            findings.append(Finding(.warning, check: check, seqs: seqs ?? [event.seq], text))
        }
        let postings = (try? audited.postings.get()) ?? []
        switch event.kind {
        case MutualAidKinds.planPublished:
            guard let json = data["rules"], let rules = try? PlanRules(json: json) else {
                fail("claims.assessment", "the published plan cannot be read")
                return
            }
            // A day of service belongs to one plan year, as publishing refuses otherwise.
            for (year, other) in state.planByYear where year != rules.year && rules.term.overlaps(other.rules.term) {
                fail("plans", "the \(rules.year) plan's term \(rules.term.start) to \(rules.term.end) overlaps the \(year) plan's (seq \(other.seq))", [other.seq, event.seq])
            }
            state.plans[event.seq] = rules
            state.planByYear[rules.year] = (event.seq, rules)
        case MutualAidKinds.memberEnrolled:
            let member = string("member"), year = Int(int("planYear"))
            state.sex[member] = MemberSex(rawValue: string("sex")) ?? .male
            if let start = try? LedgerDate(string("coverageStart")) {
                state.enrolments[member, default: [:]][year] = .init(unit: string("unit"), coverageStart: start)
            }
            state.enrolledCount[.init(unit: string("unit"), year: year), default: 0] += 1
        case MutualAidKinds.memberLeft:
            state.enrolments[string("member")]?[Int(int("planYear"))]?.leftOn = event.date
        case MutualAidKinds.contributionBilled:
            inspectBill(event, postings: postings, fail: fail)
            keepStep(event, postings: postings, figures: ["headcount", "unitFen", "subsidyFen"])
        case MutualAidKinds.contributionReceived:
            let key = MutualAidState.UnitYear(unit: string("unit"), year: Int(int("planYear")))
            state.contributions[key, default: .init()].receivedFen += int("amountFen")
            checkNotOverpaid(key, fail: fail)
            keepStep(event, postings: postings, figures: ["amountFen"])
        case MutualAidKinds.contributionRefunded:
            state.contributions[.init(unit: string("unit"), year: Int(int("planYear"))), default: .init()].refundedFen += int("amountFen")
            keepStep(event, postings: postings, figures: ["amountFen"])
        case MutualAidKinds.subsidyReceived:
            state.subsidyReceivedFen[Int(int("planYear")), default: 0] += int("amountFen")
            keepStep(event, postings: postings, figures: ["amountFen"])
        case MutualAidKinds.contributionReversed, MutualAidKinds.subsidyReversed:
            inspectContributionReversal(event, postings: postings, fail: fail)
        case MutualAidKinds.claimFiled:
            inspectFiling(event, fail: fail)
        case MutualAidKinds.claimReviewed, MutualAidKinds.claimApproved, MutualAidKinds.claimRejected, MutualAidKinds.claimPaid,
             MutualAidKinds.claimApprovalRevoked, MutualAidKinds.claimPaymentReturned:
            inspectDecision(event, postings: postings, fail: fail, warn: warn)
        default:
            break
        }
    }

    /// No unit has received, net of refunds, more than it was billed.
    func checkNotOverpaid(_ key: MutualAidState.UnitYear, fail: (String, String, [Int64]?) -> Void) {
        let status = state.contributions[key, default: .init()]
        if status.receivedFen - status.refundedFen > status.billedUnitFen {
            fail("contributions", "unit \(key.unit) has received \(Money(fen: status.receivedFen - status.refundedFen).formatted()) net for \(key.year), more than billed (\(Money(fen: status.billedUnitFen).formatted()))", nil)
        }
        if status.refundedFen > status.receivedFen {
            fail("contributions", "unit \(key.unit) was refunded \(Money(fen: status.refundedFen).formatted()) for \(key.year), more than it paid (\(Money(fen: status.receivedFen).formatted()))", nil)
        }
    }

    mutating func keepStep(_ event: RecordedEvent, postings: [Posting], figures keys: [String]) {
        var figures: [String: Int64] = [:]
        for key in keys { figures[key] = event.data[key]?.integerValue ?? 0 }
        state.contributionSteps[event.seq] = .init(kind: event.kind, unit: event.data["unit"]?.stringValue,
                                                   year: Int(event.data["planYear"]?.integerValue ?? 0), figures: figures, postings: postings)
    }

    /// A bill, receipt, refund or subsidy reversed: the reversal names a step of that kind
    /// not reversed before, copies its unit, year and figures (which the registers are undone
    /// from), and posts its lines on the opposite sides; the unit is left neither overpaid nor
    /// refunded more than it paid.
    mutating func inspectContributionReversal(_ event: RecordedEvent, postings: [Posting], fail: (String, String, [Int64]?) -> Void) {
        let data = event.data
        let seq = data["reverses"]?.integerValue ?? 0
        let isSubsidy = event.kind == MutualAidKinds.subsidyReversed
        guard var step = state.contributionSteps[seq], step.kind.name == data["reversedKind"]?.stringValue,
              (step.kind == MutualAidKinds.subsidyReceived) == isSubsidy else {
            fail("contributions", "\(event.kind) names seq \(seq), which is not a \(data["reversedKind"]?.stringValue ?? "contribution") event", [seq, event.seq])
            return
        }
        guard !step.reversed else {
            fail("contributions", "seq \(seq) is reversed a second time", [seq, event.seq])
            return
        }
        step.reversed = true
        state.contributionSteps[seq] = step
        let copied = step.figures.allSatisfy { data[$0.key]?.integerValue == $0.value }
            && data["unit"]?.stringValue == step.unit && Int(data["planYear"]?.integerValue ?? -1) == step.year
        if !copied { fail("contributions", "the reversal's unit, year or amounts differ from those of seq \(seq)", [seq, event.seq]) }
        if postings != step.postings.map(\.reversed) {
            fail("contributions", "the reversal does not post seq \(seq)'s lines on the opposite sides", [seq, event.seq])
        }
        let figure = { (key: String) in step.figures[key] ?? 0 }
        if isSubsidy {
            state.subsidyReceivedFen[step.year, default: 0] -= figure("amountFen")
            return
        }
        let key = MutualAidState.UnitYear(unit: step.unit ?? "", year: step.year)
        var status = state.contributions[key, default: .init()]
        switch step.kind {
        case MutualAidKinds.contributionBilled:
            status.billedHeadcount -= figure("headcount")
            status.billedUnitFen -= figure("unitFen")
            status.billedSubsidyFen -= figure("subsidyFen")
        case MutualAidKinds.contributionReceived: status.receivedFen -= figure("amountFen")
        default: status.refundedFen -= figure("amountFen")
        }
        state.contributions[key] = status
        checkNotOverpaid(key, fail: fail)
    }

    mutating func inspectBill(_ event: RecordedEvent, postings: [Posting], fail: (String, String, [Int64]?) -> Void) {
        let data = event.data
        let unit = data["unit"]?.stringValue ?? "", year = Int(data["planYear"]?.integerValue ?? 0)
        let key = MutualAidState.UnitYear(unit: unit, year: year)
        guard let plan = state.planByYear[year]?.rules else {
            fail("contributions", "a bill for \(year), for which no plan was published", nil)
            return
        }
        let headcount = data["headcount"]?.integerValue ?? 0
        var status = state.contributions[key, default: .init()]
        let enrolled = state.enrolledCount[key] ?? 0
        if headcount != enrolled - status.billedHeadcount {
            fail("contributions", "unit \(unit) is billed for \(headcount) members, but \(enrolled - status.billedHeadcount) were enrolled and not yet billed", nil)
        }
        let unitFen = (plan.contribution.unit.fen + plan.contribution.member.fen) * headcount
        let subsidyFen = plan.contribution.unionSubsidy.fen * headcount
        if data["unitFen"]?.integerValue != unitFen || data["subsidyFen"]?.integerValue != subsidyFen {
            fail("contributions", "unit \(unit)'s bill is not headcount × rate: expected \(Money(fen: unitFen).formatted()) + subsidy \(Money(fen: subsidyFen).formatted())", nil)
        }
        let debited = postings.filter { $0.side == .debit }.reduce(Int64(0)) { $0 + $1.amount.fen }
        if debited != unitFen + subsidyFen {
            fail("contributions", "the bill's postings (\(Money(fen: debited).formatted())) differ from its amounts", nil)
        }
        status.billedHeadcount += headcount
        status.billedUnitFen += unitFen
        status.billedSubsidyFen += subsidyFen
        state.contributions[key] = status
    }

    mutating func inspectFiling(_ event: RecordedEvent, fail: (String, String, [Int64]?) -> Void) {
        let data = event.data
        let member = data["member"]?.stringValue ?? "", year = Int(data["planYear"]?.integerValue ?? 0)
        let benefit = data["benefit"]?.stringValue ?? "", planSeq = data["plan"]?.integerValue ?? 0
        let assessment = data["assessment"]
        let recordedFen = assessment?["payoutFen"]?.integerValue ?? 0
        let recordedRejection = assessment?["rejection"]?["code"]?.stringValue
        // Compared in one spelling, as filing compares them (claims keyed before keys were normalised included).
        let settlement = ClaimInput.normalisedSettlementKey(data["settlementKey"]?.stringValue ?? "")
        defer {
            let rejected = recordedRejection != nil
            state.claims[event.seq] = .init(seq: event.seq, member: member, year: year, benefit: benefit, plan: planSeq,
                                            filer: event.actor.value, filedOn: event.date, state: rejected ? .rejected : .filed,
                                            computedFen: recordedFen)
            if !rejected {
                state.addUsage(member: member, year: year, benefit: benefit, fen: recordedFen)
                if state.settlements[settlement] == nil { state.settlements[settlement] = event.seq }
            }
        }
        guard let rules = state.plans[planSeq], let input = data["input"] else {
            fail("claims.assessment", "the claim names plan seq \(planSeq), which is not a published plan", nil)
            return
        }
        if let original = state.settlements[settlement] {
            if recordedRejection != "duplicate" {
                fail("claims.assessment", "settlement \(settlement) was already claimed by claim \(original), but this claim was not rejected as a duplicate", [original, event.seq])
            }
            return
        }
        func money(_ key: String) -> Money? { input[key]?.integerValue.map(Money.init(fen:)) }
        guard let serviceDate = (data["serviceDate"]?.stringValue).flatMap({ try? LedgerDate($0) }), let filedOn = event.date else {
            fail("claims.assessment", "the claim lacks its dates", nil)
            return
        }
        let facts = ClaimFacts(serviceDate: serviceDate, filedOn: filedOn, totalCost: money("totalCostFen"),
                               insuranceCovered: money("insuranceCoveredFen"), ownShareInScope: money("ownShareFen"),
                               lossAmount: money("lossFen"), disabilityGrade: input["grade"]?.integerValue.map(Int.init))
        let usage = state.capUsage(member: member, year: year, benefit: benefit)
        if assessment?["benefitUsedFen"]?.integerValue != usage.benefitUsed.fen || assessment?["totalUsedFen"]?.integerValue != usage.totalUsed.fen {
            fail("claims.assessment", "the caps used recorded with the claim (\(assessment?["benefitUsedFen"]?.integerValue ?? -1) fen) differ from the history (\(usage.benefitUsed.fen) fen)", nil)
        }
        let calculator = calculators[planSeq] ?? PayoutCalculator(plan: rules)
        calculators[planSeq] = calculator
        let coverage = state.coverage(member: member, year: year, on: serviceDate)
        guard let computation = try? calculator.compute(benefit: benefit, facts: facts, coverage: coverage,
                                                        sex: state.sex[member] ?? .male, usage: usage) else {
            fail("claims.assessment", "the rules cannot assess the claim's recorded facts", nil)
            return
        }
        if computation.rejection?.code != recordedRejection || (computation.amount?.fen ?? 0) != recordedFen {
            let expected = computation.rejection.map { "rejected (\($0.code))" } ?? (computation.amount?.formatted() ?? "0.00")
            let recorded = recordedRejection.map { "rejected (\($0))" } ?? Money(fen: recordedFen).formatted()
            fail("claims.assessment", "the claim was assessed as \(recorded), but the published rules give \(expected)", nil)
        }
    }

    mutating func inspectDecision(_ event: RecordedEvent, postings: [Posting], fail: (String, String, [Int64]?) -> Void,
                                  warn: (String, String, [Int64]?) -> Void) {
        let data = event.data
        let id = data["claim"]?.integerValue ?? 0
        guard var claim = state.claims[id] else {
            fail("claims.payments", "\(event.kind) names claim \(id), which was never filed", nil)
            return
        }
        let actor = event.actor.value
        let rules = state.plans[claim.plan]
        // A decision is never dated before what it decides.
        if let date = event.date {
            if [MutualAidKinds.claimApproved, MutualAidKinds.claimRejected].contains(event.kind), let filed = claim.filedOn, date < filed {
                fail("claims.duties", "claim \(id) was decided on \(date), before it was filed on \(filed)", [id, event.seq])
            }
            if event.kind == MutualAidKinds.claimPaid, let approved = claim.approvedOn, date < approved {
                fail("claims.payments", "claim \(id) was paid on \(date), before it was approved on \(approved)", [id, event.seq])
            }
        }
        switch event.kind {
        case MutualAidKinds.claimReviewed:
            if actor == claim.filer { fail("claims.duties", "claim \(id) was reviewed by the key that filed it", [id, event.seq]) }
            claim.state = .reviewed
            claim.reviewer = actor
        case MutualAidKinds.claimApproved:
            let amount = data["amountFen"]?.integerValue ?? 0
            if actor == claim.filer { fail("claims.duties", "claim \(id) was approved by the key that filed it", [id, event.seq]) }
            if claim.approvers.contains(actor) { fail("claims.duties", "claim \(id) was approved twice by one key", [id, event.seq]) }
            if rules?.reviewerMayApprove == false, actor == claim.reviewer {
                fail("claims.duties", "claim \(id) was approved by the key that reviewed it, which its plan keeps apart", [id, event.seq])
            }
            if claim.state == .rejected || claim.state == .paid || claim.state == .approved {
                fail("claims.duties", "claim \(id) was approved while \(claim.state.rawValue)", [id, event.seq])
            }
            if amount > claim.countedFen {
                let limit = claim.approvableFen == nil ? "its assessment" : "what its revoked approval left it approvable for,"
                fail("claims.duties", "claim \(id) was approved for \(Money(fen: amount).formatted()), more than \(limit) \(Money(fen: claim.countedFen).formatted())", [id, event.seq])
            }
            claim.approvers.append(actor)
            claim.approvalSeqs.append(event.seq)
            if data["final"]?.boolValue == true {
                if let rules, rules.needsTwoApprovers(Money(fen: amount)), Set(claim.approvers).count < 2 {
                    fail("claims.duties", "claim \(id) for \(Money(fen: amount).formatted()) is at or over the \(rules.largeAmountThreshold.formatted()) threshold but has one approver", [id, event.seq])
                }
                let expense = rules?.benefit(code: claim.benefit)?.expenseAccount
                let expected = [expense.map { ($0, Side.debit) }, rules.map { ($0.accounts.claimsPayable, Side.credit) }]
                let matches = postings.count == 2 && postings.allSatisfy { $0.amount.fen == amount }
                    && expected.compactMap { $0 }.allSatisfy { account, side in postings.contains { $0.account == account && $0.side == side } }
                if !matches {
                    fail("claims.duties", "claim \(id)'s approval does not post \(Money(fen: amount).formatted()) to the benefit's expense against the claims payable", [id, event.seq])
                }
                claim.state = .approved
                claim.approvedFen = amount
                claim.approvedOn = event.date
                state.addUsage(member: claim.member, year: claim.year, benefit: claim.benefit, fen: amount - claim.countedFen)
            } else {
                claim.state = .partlyApproved
            }
        case MutualAidKinds.claimRejected:
            if actor == claim.filer { fail("claims.duties", "claim \(id) was rejected by the key that filed it", [id, event.seq]) }
            if claim.state != .rejected && claim.state != .paid && claim.state != .approved {
                state.addUsage(member: claim.member, year: claim.year, benefit: claim.benefit, fen: -claim.countedFen)
            } else {
                fail("claims.duties", "claim \(id) was rejected while \(claim.state.rawValue)", [id, event.seq])
            }
            claim.state = .rejected
        case MutualAidKinds.claimPaid:
            let amount = data["amountFen"]?.integerValue ?? 0
            guard claim.state == .approved, let approved = claim.approvedFen else {
                fail("claims.payments", "claim \(id) was paid while \(claim.state.rawValue); every payment must trace to an approved claim", [id, event.seq])
                return
            }
            if amount != approved {
                fail("claims.payments", "claim \(id) was paid \(Money(fen: amount).formatted()) but approved for \(Money(fen: approved).formatted())", [id, event.seq])
            }
            let clears = postings.count == 2 && rules.map { rules in
                postings.contains { $0.account == rules.accounts.claimsPayable && $0.side == .debit && $0.amount.fen == amount }
                    && postings.contains { $0.account == rules.accounts.bank && $0.side == .credit && $0.amount.fen == amount }
            } == true
            if !clears { fail("claims.payments", "claim \(id)'s payment does not clear the claims payable against the bank", [id, event.seq]) }
            claim.state = .paid
            claim.paidSeq = event.seq
            claim.paidFen = amount
        case MutualAidKinds.claimApprovalRevoked:
            // Before payment only, by an approver other than the filer, withdrawing exactly the
            // round's approvals and reversing the final one's expense and payable.
            if actor == claim.filer { fail("claims.duties", "claim \(id)'s approval was revoked by the key that filed it", [id, event.seq]) }
            let final = claim.state == .approved
            let approvals = (data["approvals"]?.arrayValue ?? []).map { $0.integerValue ?? 0 }
            guard final || claim.state == .partlyApproved, approvals == claim.approvalSeqs,
                  data["reverses"]?.integerValue == approvals.last, data["final"]?.boolValue == final else {
                fail("claims.duties", "claim \(id)'s approval was revoked while \(claim.state.rawValue), or the revocation names other approvals than the claim's \(claim.approvalSeqs)", [id, event.seq])
                return
            }
            if final, let approved = claim.approvedFen {
                let expense = rules?.benefit(code: claim.benefit)?.expenseAccount
                let reverses = postings.count == 2 && rules.map { rules in
                    postings.contains { $0.account == rules.accounts.claimsPayable && $0.side == .debit && $0.amount.fen == approved }
                        && postings.contains { $0.account == expense && $0.side == .credit && $0.amount.fen == approved }
                } == true
                if !reverses || data["amountFen"]?.integerValue != approved {
                    fail("claims.duties", "claim \(id)'s revocation does not reverse the \(Money(fen: approved).formatted()) approved from the benefit's expense and the claims payable", [id, event.seq])
                }
                // What the claim may be approved for again is its assessment, but no more than
                // the caps, counting it at the amount revoked, can still hold.
                // The year's plan as published now: the one claims filed now are assessed by.
                let usage = state.capUsage(member: claim.member, year: claim.year, benefit: claim.benefit)
                let current = state.planByYear[claim.year]?.rules
                var expected = current.map {
                    $0.approvableAfterRevocation(benefit: $0.benefit(code: claim.benefit), assessed: Money(fen: claim.computedFen),
                                                 revoked: Money(fen: approved), usage: usage).fen
                } ?? claim.computedFen
                if let approvable = data["approvableFen"]?.integerValue {
                    if approvable != expected {
                        fail("claims.assessment", "claim \(id)'s revocation leaves it approvable for \(Money(fen: approvable).formatted()), but its assessment and the caps left allow \(Money(fen: expected).formatted())", [id, event.seq])
                    }
                } else {
                    // Recorded before revocations named it: the claim counted at its assessment again.
                    warn("claims.assessment", "claim \(id)'s revocation names no approvable amount (recorded before Huzhu held a revoked claim to the caps left); it counts at its assessment \(Money(fen: claim.computedFen).formatted()), where the caps left allow \(Money(fen: expected).formatted())", [id, event.seq])
                    expected = claim.computedFen
                }
                claim.approvableFen = expected == claim.computedFen ? nil : expected
                state.addUsage(member: claim.member, year: claim.year, benefit: claim.benefit, fen: expected - approved)
            } else if !postings.isEmpty {
                fail("claims.duties", "claim \(id)'s first approval moved no money, but its revocation does", [id, event.seq])
            }
            claim.state = .reviewed
            claim.approvers = []
            claim.approvalSeqs = []
            claim.approvedFen = nil
            claim.approvedOn = nil
        case MutualAidKinds.claimPaymentReturned:
            guard claim.state == .paid, let paid = claim.paidFen, data["reverses"]?.integerValue == claim.paidSeq else {
                fail("claims.payments", "claim \(id)'s payment was returned while \(claim.state.rawValue), or the return names another payment", [id, event.seq])
                return
            }
            let restores = postings.count == 2 && rules.map { rules in
                postings.contains { $0.account == rules.accounts.bank && $0.side == .debit && $0.amount.fen == paid }
                    && postings.contains { $0.account == rules.accounts.claimsPayable && $0.side == .credit && $0.amount.fen == paid }
            } == true
            if !restores || data["amountFen"]?.integerValue != paid {
                fail("claims.payments", "claim \(id)'s returned payment does not put the \(Money(fen: paid).formatted()) paid back in the bank against the claims payable", [id, event.seq])
            }
            claim.state = .approved
            claim.paidSeq = nil
            claim.paidFen = nil
        default:
            break
        }
        state.claims[id] = claim
    }

    public mutating func finish(_ context: AuditContext, into findings: inout [Finding]) throws {
        guard !skipped else { return }
        // The personal fields beside the log (not in a bundle): each must be the one the
        // log's commitment names, or a payout could go to a card nobody recorded.
        if let reader = context.reader {
            for mismatch in try MutualAidBook.personalDataMismatches(in: reader) {
                findings.append(Finding(.error, check: "members.personal-data", seqs: [mismatch.seq], """
                    member \(mismatch.member)'s personal details on file are not those the log committed to: the file was edited \
                    outside Huzhu; payments to the member are held until they are put right
                    """))
            }
            for claim in try MutualAidBook.claimPersonalDataMismatches(in: reader) {
                findings.append(Finding(.error, check: "members.personal-data", seqs: [claim],
                                        "claim \(claim)'s personal data on file (its diagnosis) is not what its filing committed to: the file was edited outside Huzhu"))
            }
        }
        for (key, enrolled) in state.enrolledCount.sorted(by: { ($0.key.unit, $0.key.year) < ($1.key.unit, $1.key.year) }) {
            let billed = state.contributions[key]?.billedHeadcount ?? 0
            if billed < enrolled {
                findings.append(Finding(.warning, check: "contributions",
                                        "unit \(key.unit) has \(enrolled) members enrolled for \(key.year) but was billed for \(billed)"))
            }
        }
    }
}
