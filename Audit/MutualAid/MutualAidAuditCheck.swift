import Ledger
import MutualAid

/// The mutual-aid domain's audit, in one streaming pass beside the ledger's checks:
///
/// - `claims.assessment`: every claim names the publication of its plan in force on its
///   service date (`PublishedPlan.version(inForceOn:)`), and its assessment equals what
///   those rules compute, from the member's coverage, the unit's payment and the caps
///   used at that moment (recomputed from the events, not read from the projections);
///   duplicates of a settlement are rejected.
/// - `plans`: terms of different years do not overlap; an amendment amends a plan published
///   before it, changes only what an amendment may (`PlanChanges`), within the term.
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
        func fail(_ check: String, _ text: String, _ seqs: [Int64]? = nil) {
            findings.append(Finding(.error, check: check, seqs: seqs ?? [event.seq], text))
        }
        func warn(_ check: String, _ text: String, _ seqs: [Int64]? = nil) {
            findings.append(Finding(.warning, check: check, seqs: seqs ?? [event.seq], text))
        }
        let postings = (try? audited.postings.get()) ?? []
        // An event that does not read as its kind's value (`audited.value`) is reported by `events.format`.
        switch event.kind {
        case MutualAidKinds.planPublished:
            guard let published = audited.value(PlanPublishedEvent.self), let rules = try? PlanRules(json: published.rules) else {
                fail("claims.assessment", "the published plan cannot be read")
                return
            }
            // A day of service belongs to one plan year, as publishing refuses otherwise.
            for (year, other) in state.publications where year != rules.year && rules.term.overlaps(other.current.rules.term) {
                fail("plans", "the \(rules.year) plan's term \(rules.term.start) to \(rules.term.end) overlaps the \(year) plan's (seq \(other.current.seq))", [other.current.seq, event.seq])
            }
            if let amendment = published.amendment {
                checkAmendment(amendment, rules: rules, seq: event.seq, fail: fail)
            }
            state.plans[event.seq] = rules
            let version = PublishedPlan.Version(seq: event.seq, effective: published.amendment?.effective, rules: rules)
            state.publications[rules.year] = state.publications[rules.year]?.appending(version) ?? PublishedPlan(versions: [version])
        case MutualAidKinds.memberEnrolled:
            guard let enrolled = audited.value(MemberEnrolledEvent.self) else { return }
            let year = Int(enrolled.planYear)
            state.sex[enrolled.member] = MemberSex(rawValue: enrolled.sex) ?? .male
            if let start = try? LedgerDate(enrolled.coverageStart) {
                state.enrolments[enrolled.member, default: [:]][year] = .init(unit: enrolled.unit, coverageStart: start)
            }
            state.enrolledCount[.init(unit: enrolled.unit, year: year), default: 0] += 1
        case MutualAidKinds.memberLeft:
            guard let left = audited.value(MemberLeftEvent.self) else { return }
            state.enrolments[left.member]?[Int(left.planYear)]?.leftOn = left.date
        case MutualAidKinds.contributionBilled:
            guard let bill = audited.value(ContributionBilledEvent.self) else { return }
            inspectBill(bill, postings: postings, fail: fail)
            keepStep(event, unit: bill.unit, year: bill.planYear, postings: postings,
                     figures: ["headcount": bill.headcount, "unitFen": bill.unitFen, "subsidyFen": bill.subsidyFen])
        case MutualAidKinds.contributionReceived:
            guard let receipt = audited.value(ContributionReceivedEvent.self) else { return }
            let key = MutualAidState.UnitYear(unit: receipt.unit, year: Int(receipt.planYear))
            state.contributions[key, default: .init()].receivedFen += receipt.amountFen
            checkNotOverpaid(key, fail: fail)
            keepStep(event, unit: receipt.unit, year: receipt.planYear, postings: postings, figures: ["amountFen": receipt.amountFen])
        case MutualAidKinds.contributionRefunded:
            guard let refund = audited.value(ContributionRefundedEvent.self) else { return }
            state.contributions[.init(unit: refund.unit, year: Int(refund.planYear)), default: .init()].refundedFen += refund.amountFen
            keepStep(event, unit: refund.unit, year: refund.planYear, postings: postings, figures: ["amountFen": refund.amountFen])
        case MutualAidKinds.subsidyReceived:
            guard let subsidy = audited.value(SubsidyReceivedEvent.self) else { return }
            state.subsidyReceivedFen[Int(subsidy.planYear), default: 0] += subsidy.amountFen
            keepStep(event, unit: nil, year: subsidy.planYear, postings: postings, figures: ["amountFen": subsidy.amountFen])
        case MutualAidKinds.contributionReversed:
            guard let reversed = audited.value(ContributionReversedEvent.self) else { return }
            let figures: [String: Int64] = switch reversed.undone {
            case let .bill(headcount, unitFen, subsidyFen): ["headcount": headcount, "unitFen": unitFen, "subsidyFen": subsidyFen]
            case let .receipt(amountFen, _), let .refund(amountFen): ["amountFen": amountFen]
            }
            inspectContributionReversal(event, reversal: reversed.reversal, reversedKind: reversed.undone.kind, unit: reversed.unit,
                                        year: reversed.planYear, figures: figures, postings: postings, fail: fail)
        case MutualAidKinds.subsidyReversed:
            guard let reversed = audited.value(SubsidyReversedEvent.self) else { return }
            inspectContributionReversal(event, reversal: reversed.reversal, reversedKind: MutualAidKinds.subsidyReceived, unit: nil,
                                        year: reversed.planYear, figures: ["amountFen": reversed.amountFen], postings: postings, fail: fail)
        case MutualAidKinds.claimFiled:
            guard let filed = audited.value(ClaimFiledEvent.self) else { return }
            inspectFiling(filed, event: event, fail: fail)
        case MutualAidKinds.claimReviewed, MutualAidKinds.claimApproved, MutualAidKinds.claimRejected, MutualAidKinds.claimPaid,
             MutualAidKinds.claimApprovalRevoked, MutualAidKinds.claimPaymentReturned:
            guard let value = audited.readValue, let step = ClaimStepEvent(value) else { return }
            inspectDecision(step, event: event, postings: postings, fail: fail, warn: warn)
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

    mutating func keepStep(_ event: RecordedEvent, unit: String?, year: Int64, postings: [Posting], figures: [String: Int64]) {
        state.contributionSteps[event.seq] = .init(kind: event.kind, unit: unit, year: Int(year), figures: figures, postings: postings)
    }

    /// A bill, receipt, refund or subsidy reversed: the reversal names a step of that kind
    /// not reversed before, copies its unit, year and figures (which the registers are undone
    /// from), and posts its lines on the opposite sides; the unit is left neither overpaid nor
    /// refunded more than it paid.
    mutating func inspectContributionReversal(_ event: RecordedEvent, reversal: ReversalFields, reversedKind: EventKind, unit: String?, year: Int64,
                                              figures: [String: Int64], postings: [Posting], fail: (String, String, [Int64]?) -> Void) {
        let seq = reversal.reverses
        let isSubsidy = event.kind == MutualAidKinds.subsidyReversed
        guard var step = state.contributionSteps[seq], step.kind == reversedKind,
              (step.kind == MutualAidKinds.subsidyReceived) == isSubsidy else {
            fail("contributions", "\(event.kind) names seq \(seq), which is not a \(reversedKind) event", [seq, event.seq])
            return
        }
        guard !step.reversed else {
            fail("contributions", "seq \(seq) is reversed a second time", [seq, event.seq])
            return
        }
        step.reversed = true
        state.contributionSteps[seq] = step
        let copied = figures == step.figures && unit == step.unit && Int(year) == step.year
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

    /// An amendment amends a plan published before it, changes only what an amendment may
    /// (`PlanChanges`), and takes effect on a day of the term, as publishing refuses otherwise.
    func checkAmendment(_ amendment: PlanAmendment, rules: PlanRules, seq: Int64, fail: (String, String, [Int64]?) -> Void) {
        guard let amended = state.publications[rules.year]?.versions.last(where: { $0.rules.id == rules.id }) else {
            fail("plans", "the amendment of plan \(rules.id) for \(rules.year) amends no plan published before it", nil)
            return
        }
        let changes = PlanChanges(from: amended.rules, to: rules)
        if !changes.refused.isEmpty {
            fail("plans", "the amendment of plan \(rules.id) changes what an amendment may not: " + changes.refused.joined(separator: ", "), [amended.seq, seq])
        }
        if !rules.term.contains(amendment.effective) {
            fail("plans", "the amendment of plan \(rules.id) takes effect on \(amendment.effective), outside its term \(rules.term.start) to \(rules.term.end)", nil)
        }
    }

    mutating func inspectBill(_ bill: ContributionBilledEvent, postings: [Posting], fail: (String, String, [Int64]?) -> Void) {
        let unit = bill.unit, year = Int(bill.planYear)
        let key = MutualAidState.UnitYear(unit: unit, year: year)
        guard let plan = state.publications[year]?.current.rules else {
            fail("contributions", "a bill for \(year), for which no plan was published", nil)
            return
        }
        let headcount = bill.headcount
        var status = state.contributions[key, default: .init()]
        let enrolled = state.enrolledCount[key] ?? 0
        if headcount != enrolled - status.billedHeadcount {
            fail("contributions", "unit \(unit) is billed for \(headcount) members, but \(enrolled - status.billedHeadcount) were enrolled and not yet billed", nil)
        }
        let unitFen = (plan.contribution.unit.fen + plan.contribution.member.fen) * headcount
        let subsidyFen = plan.contribution.unionSubsidy.fen * headcount
        if bill.unitFen != unitFen || bill.subsidyFen != subsidyFen {
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

    mutating func inspectFiling(_ filed: ClaimFiledEvent, event: RecordedEvent, fail: (String, String, [Int64]?) -> Void) {
        let member = filed.member, year = Int(filed.planYear)
        let benefit = filed.benefit, planSeq = filed.plan
        let assessment = filed.assessment
        let recordedFen = assessment.payoutFen
        let recordedRejection = assessment.rejection?.code
        // Compared in one spelling, as filing compares them (claims keyed before keys were normalised included).
        let settlement = ClaimInput.normalisedSettlementKey(filed.settlementKey)
        defer {
            let rejected = recordedRejection != nil
            state.claims[event.seq] = .init(seq: event.seq, member: member, year: year, benefit: benefit, plan: planSeq,
                                            filer: event.actor.value, serviceDate: try? LedgerDate(filed.serviceDate), filedOn: filed.date, state: rejected ? .rejected : .filed,
                                            computedFen: recordedFen)
            if !rejected {
                state.addUsage(member: member, year: year, benefit: benefit, fen: recordedFen)
                if state.settlements[settlement] == nil { state.settlements[settlement] = event.seq }
            }
        }
        let input = filed.input
        guard let rules = state.plans[planSeq] else {
            fail("claims.assessment", "the claim names plan seq \(planSeq), which is not a published plan", nil)
            return
        }
        if let serviceDate = try? LedgerDate(filed.serviceDate), let published = state.publications[year],
           let inForce = published.version(inForceOn: serviceDate, before: event.seq), inForce.seq != planSeq {
            fail("claims.assessment", "the claim was assessed by the rules published at seq \(planSeq), but on its service date \(serviceDate) the rules in force were those published at seq \(inForce.seq)", [planSeq, inForce.seq, event.seq])
        }
        if let original = state.settlements[settlement] {
            if recordedRejection != "duplicate" {
                fail("claims.assessment", "settlement \(settlement) was already claimed by claim \(original), but this claim was not rejected as a duplicate", [original, event.seq])
            }
            return
        }
        func money(_ key: String) -> Money? { input[key]?.integerValue.map(Money.init(fen:)) }
        guard let serviceDate = try? LedgerDate(filed.serviceDate) else {
            fail("claims.assessment", "the claim lacks its dates", nil)
            return
        }
        let facts = ClaimFacts(serviceDate: serviceDate, filedOn: filed.date, totalCost: money("totalCostFen"),
                               insuranceCovered: money("insuranceCoveredFen"), ownShareInScope: money("ownShareFen"),
                               lossAmount: money("lossFen"), disabilityGrade: input["grade"]?.integerValue.map(Int.init))
        let usage = state.capUsage(member: member, year: year, benefit: benefit)
        if assessment.benefitUsedFen != usage.benefitUsed.fen || assessment.totalUsedFen != usage.totalUsed.fen {
            fail("claims.assessment", "the caps used recorded with the claim (\(assessment.benefitUsedFen) fen) differ from the history (\(usage.benefitUsed.fen) fen)", nil)
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

    mutating func inspectDecision(_ step: ClaimStepEvent, event: RecordedEvent, postings: [Posting], fail: (String, String, [Int64]?) -> Void,
                                  warn: (String, String, [Int64]?) -> Void) {
        let id = step.claim
        guard var claim = state.claims[id] else {
            fail("claims.payments", "\(event.kind) names claim \(id), which was never filed", nil)
            return
        }
        let actor = event.actor.value
        let rules = state.plans[claim.plan]
        // A decision is never dated before what it decides.
        if let date = step.date {
            if [MutualAidKinds.claimApproved, MutualAidKinds.claimRejected].contains(event.kind), let filed = claim.filedOn, date < filed {
                fail("claims.duties", "claim \(id) was decided on \(date), before it was filed on \(filed)", [id, event.seq])
            }
            if event.kind == MutualAidKinds.claimPaid, let approved = claim.approvedOn, date < approved {
                fail("claims.payments", "claim \(id) was paid on \(date), before it was approved on \(approved)", [id, event.seq])
            }
        }
        switch step {
        case .reviewed:
            if actor == claim.filer { fail("claims.duties", "claim \(id) was reviewed by the key that filed it", [id, event.seq]) }
            claim.state = .reviewed
            claim.reviewer = actor
        case let .approved(approval):
            let amount = approval.amountFen
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
            if approval.final {
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
                claim.approvedOn = approval.date
                state.addUsage(member: claim.member, year: claim.year, benefit: claim.benefit, fen: amount - claim.countedFen)
            } else {
                claim.state = .partlyApproved
            }
        case .rejected:
            if actor == claim.filer { fail("claims.duties", "claim \(id) was rejected by the key that filed it", [id, event.seq]) }
            if claim.state != .rejected && claim.state != .paid && claim.state != .approved {
                state.addUsage(member: claim.member, year: claim.year, benefit: claim.benefit, fen: -claim.countedFen)
            } else {
                fail("claims.duties", "claim \(id) was rejected while \(claim.state.rawValue)", [id, event.seq])
            }
            claim.state = .rejected
        case let .paid(payment):
            let amount = payment.amountFen
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
        case let .approvalRevoked(revocation):
            // Before payment only, by an approver other than the filer, withdrawing exactly the
            // round's approvals and reversing the final one's expense and payable.
            if actor == claim.filer { fail("claims.duties", "claim \(id)'s approval was revoked by the key that filed it", [id, event.seq]) }
            let final = claim.state == .approved
            let approvals = revocation.approvals
            guard final || claim.state == .partlyApproved, approvals == claim.approvalSeqs,
                  revocation.reversal.reverses == approvals.last, revocation.final == final else {
                fail("claims.duties", "claim \(id)'s approval was revoked while \(claim.state.rawValue), or the revocation names other approvals than the claim's \(claim.approvalSeqs)", [id, event.seq])
                return
            }
            if final, let approved = claim.approvedFen {
                let expense = rules?.benefit(code: claim.benefit)?.expenseAccount
                let reverses = postings.count == 2 && rules.map { rules in
                    postings.contains { $0.account == rules.accounts.claimsPayable && $0.side == .debit && $0.amount.fen == approved }
                        && postings.contains { $0.account == expense && $0.side == .credit && $0.amount.fen == approved }
                } == true
                if !reverses || revocation.amountFen != approved {
                    fail("claims.duties", "claim \(id)'s revocation does not reverse the \(Money(fen: approved).formatted()) approved from the benefit's expense and the claims payable", [id, event.seq])
                }
                // What the claim may be approved for again is its assessment, but no more than
                // the caps, counting it at the amount revoked, can still hold.
                // The rules a claim for its service date filed now would be assessed by.
                let usage = state.capUsage(member: claim.member, year: claim.year, benefit: claim.benefit)
                let current = claim.serviceDate.flatMap { date in
                    state.publications[claim.year]?.version(inForceOn: date)?.rules
                } ?? state.publications[claim.year]?.current.rules
                var expected = current.map {
                    $0.approvableAfterRevocation(benefit: $0.benefit(code: claim.benefit), assessed: Money(fen: claim.computedFen),
                                                 revoked: Money(fen: approved), usage: usage).fen
                } ?? claim.computedFen
                if let approvable = revocation.approvableFen {
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
        case let .paymentReturned(returned):
            guard claim.state == .paid, let paid = claim.paidFen, returned.reversal.reverses == claim.paidSeq else {
                fail("claims.payments", "claim \(id)'s payment was returned while \(claim.state.rawValue), or the return names another payment", [id, event.seq])
                return
            }
            let restores = postings.count == 2 && rules.map { rules in
                postings.contains { $0.account == rules.accounts.bank && $0.side == .debit && $0.amount.fen == paid }
                    && postings.contains { $0.account == rules.accounts.claimsPayable && $0.side == .credit && $0.amount.fen == paid }
            } == true
            if !restores || returned.amountFen != paid {
                fail("claims.payments", "claim \(id)'s returned payment does not put the \(Money(fen: paid).formatted()) paid back in the bank against the claims payable", [id, event.seq])
            }
            claim.state = .approved
            claim.paidSeq = nil
            claim.paidFen = nil
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
