import Ledger
import MutualAid

/// 内部控制执行情况表: separation of duties shown, not only enforced, for the audit
/// committee (经审会).
///
/// - by key holder: what each key filed, reviewed, approved, rejected and paid, and the
///   entries it posted, proposed and approved, and the batches and refunds it approved;
/// - large amounts: every claim decided by two approvers, every proposed entry that
///   needed two, and every payment batch at or over the threshold with its approver and the
///   clerks who paid it;
/// - exceptions: every correction (a reversal, a revoked approval, a returned payment), every
///   refund, every approval below the assessment with its reason, every change of a member's
///   bank card, every rejected or lapsed proposal, and any plain entry on the plan's accounts
///   (the audit reports that as an error).
///
/// An event belongs to the period by its date in the books; a step without one (a review, a
/// rejected proposal) by its decision date or, failing that, the day it was recorded (UTC).
/// Read in one pass over the log, so its cost grows with the log, not the period.
public struct ControlsReport: Report {
    public static let kind = "controls"
    public static let title = "内部控制执行情况表"
    public static let englishTitle = "Internal controls"

    public init() {}

    /// What one key did in the period.
    struct Duties {
        var filed: Int64 = 0
        var reviewed: Int64 = 0
        var approved: Int64 = 0
        var approvedFen: Int64 = 0
        var rejected: Int64 = 0
        var paid: Int64 = 0
        var paidFen: Int64 = 0
        var posted: Int64 = 0
        var proposed: Int64 = 0
        var entryApprovals: Int64 = 0
        var batchApprovals: Int64 = 0
        var refundApprovals: Int64 = 0
        /// Bills, receipts, refunds and subsidies recorded.
        var contributions: Int64 = 0
    }

    public func content(in context: ReportContext) throws -> ReportContent {
        let keys = try context.reader.keys()
        let holders = Dictionary(keys.map { ($0.id.value, $0) }, uniquingKeysWith: { first, _ in first })
        func who(_ id: String) -> String { holders[id].map { "\($0.holder)（\(id)）" } ?? id }
        let from = context.period.startDate, through = context.period.endDate

        var duties: [String: Duties] = [:]
        var large = ReportTable(key: "largeAmounts", title: "大额资金审批", columns: [
            ReportColumn("item", "事项"), ReportColumn("seq", "序号"), ReportColumn("date", "日期"), ReportColumn("amount", "金额", .money),
            ReportColumn("approvers", "审批人"), ReportColumn("executedBy", "经办人"),
        ])
        var exceptions = ReportTable(key: "exceptions", title: "例外事项", columns: [
            ReportColumn("item", "事项"), ReportColumn("seq", "序号"), ReportColumn("date", "日期"), ReportColumn("amount", "金额", .money),
            ReportColumn("by", "经办/审批人"), ReportColumn("detail", "说明"),
        ])
        var plans: [Int: PlanRules] = [:]
        var controlled = ControlledAccounts.none
        // The approvers of each claim's round still open (dropped at its final approval, so the
        // pass keeps only undecided claims); a proposal's approvers; each batch's approval.
        var roundApprovers: [Int64: [String]] = [:]
        var proposals: [Int64: (proposer: String, approvers: [String], needed: Int64, lapsesOn: String, date: String, amountFen: Int64, decided: Bool)] = [:]
        var batches: [String: (seq: Int64, date: String, amountFen: Int64, approver: String, payers: Set<String>)] = [:]

        try context.reader.forEachStoredEvent(from: 1, through: nil) { stored in
            let event = try RecordedEvent(body: stored.body, signature: stored.signature)
            let actor = event.actor.value
            // A rejection of a proposed entry is dated by the day it was recorded, as it says.
            let rejection = event.kind == MutualAidKinds.entryRejected ? try EntryRejectedEvent(event: event) : nil
            let day = event.date?.text ?? rejection?.rejectedOn.text ?? String(event.time.text.prefix(10))
            let inPeriod = day >= from.text && day <= through.text
            let seqText = "\(event.seq)"
            func exception(_ item: String, _ amount: Int64?, _ detail: String) {
                guard inPeriod else { return }
                exceptions.add([.text(item), .text(seqText), .text(day), amount.map { .money(Money(fen: $0)) } ?? .empty, .text(who(actor)), .text(detail)])
            }
            func count(_ update: (inout Duties) -> Void) {
                guard inPeriod else { return }
                update(&duties[actor, default: Duties()])
            }
            switch event.kind {
            case MutualAidKinds.planPublished:
                if let rules = try? PlanRules(json: try PlanPublishedEvent(event: event).rules) {
                    plans[rules.year] = rules
                    controlled = PlanControls.controlledAccounts(plans: Array(plans.values))
                }
            case MutualAidKinds.claimFiled: count { $0.filed += 1 }
            case MutualAidKinds.claimReviewed: count { $0.reviewed += 1 }
            case MutualAidKinds.claimApproved:
                let approval = try ClaimApprovedEvent(event: event)
                let claim = approval.claim, amountFen = approval.amountFen, final = approval.final
                roundApprovers[claim, default: []].append(actor)
                count { $0.approved += 1; if final { $0.approvedFen += amountFen } }
                if final, let approvers = roundApprovers.removeValue(forKey: claim), approvers.count >= 2, inPeriod {
                    large.add([.text("理赔 \(claim) 双人审批"), .text(seqText), .text(day), .money(Money(fen: amountFen)),
                               .text(approvers.map(who).joined(separator: "、")), .empty])
                }
                if let reason = approval.reason { exception("理赔 \(claim) 核减审批", amountFen, reason) }
            case MutualAidKinds.claimRejected:
                count { $0.rejected += 1 }
            case MutualAidKinds.claimPaid:
                let payment = try ClaimPaidEvent(event: event)
                count { $0.paid += 1; $0.paidFen += payment.amountFen }
                if let name = payment.batch, batches[name] != nil { batches[name]?.payers.insert(actor) }
            case MutualAidKinds.claimApprovalRevoked:
                let revocation = try ClaimApprovalRevokedEvent(event: event)
                roundApprovers[revocation.claim] = nil
                exception("理赔 \(revocation.claim) 撤销审批", revocation.amountFen, revocation.reversal.reason)
            case MutualAidKinds.claimPaymentReturned:
                let returned = try ClaimPaymentReturnedEvent(event: event)
                exception("理赔 \(returned.claim) 支付退回", returned.amountFen, returned.reversal.reason)
            case MutualAidKinds.contributionReversed:
                let reversed = try ContributionReversedEvent(event: event)
                exception("冲销 seq \(reversed.reversal.reverses)（\(reversed.undone.kind)）", PlanControls.amount(of: reversed.reversal.postings).fen,
                          reversed.reversal.reason)
            case MutualAidKinds.subsidyReversed:
                let reversed = try SubsidyReversedEvent(event: event)
                exception("冲销 seq \(reversed.reversal.reverses)（\(MutualAidKinds.subsidyReceived)）", PlanControls.amount(of: reversed.reversal.postings).fen,
                          reversed.reversal.reason)
            case .entryReversed:
                let reversal = try EntryReversedEvent(event: event).reversal
                exception("冲销 seq \(reversal.reverses)（\(event.kind)）", PlanControls.amount(of: reversal.postings).fen, reversal.reason)
                count { $0.posted += 1 }
            case .entryPosted:
                let entry = try EntryPostedEvent(event: event)
                count { $0.posted += 1 }
                if let line = controlled.firstControlled(in: entry.postings) {
                    exception("单人记账（受控科目 \(line.account)）", PlanControls.amount(of: entry.postings).fen, entry.memo)
                }
            case MutualAidKinds.entryProposed:
                let proposed = try EntryProposedEvent(event: event)
                count { $0.proposed += 1 }
                proposals[event.seq] = (actor, [], proposed.approvalsNeeded, proposed.lapsesOn.text, day, proposed.amountFen, false)
            case MutualAidKinds.entryApproved:
                let approval = try EntryApprovedEvent(event: event)
                count { $0.entryApprovals += 1 }
                let seq = approval.proposal
                proposals[seq]?.approvers.append(actor)
                if approval.final, let proposal = proposals[seq] {
                    proposals[seq]?.decided = true
                    if proposal.approvers.count >= 2, inPeriod {
                        large.add([.text("凭证 \(seq) 双人审批"), .text(seqText), .text(day), .money(Money(fen: proposal.amountFen)),
                                   .text(proposal.approvers.map(who).joined(separator: "、")), .text(who(proposal.proposer))])
                    }
                }
            case MutualAidKinds.entryRejected:
                guard let rejection else { break }
                let seq = rejection.proposal
                proposals[seq]?.decided = true
                exception("凭证 \(seq) 驳回", proposals[seq]?.amountFen, rejection.reason)
            case MutualAidKinds.paymentBatchApproved:
                let approval = try PaymentBatchApprovedEvent(event: event)
                count { $0.batchApprovals += 1 }
                batches[approval.batch] = (event.seq, day, approval.amountFen, actor, [])
            case MutualAidKinds.refundApproved:
                count { $0.refundApprovals += 1 }
            case MutualAidKinds.contributionBilled, MutualAidKinds.contributionReceived, MutualAidKinds.subsidyReceived:
                count { $0.contributions += 1 }
            case MutualAidKinds.contributionRefunded:
                let refund = try ContributionRefundedEvent(event: event)
                count { $0.contributions += 1 }
                exception("退还单位互助金 \(refund.unit)", refund.amountFen, refund.reason)
            case MutualAidKinds.memberDetailsUpdated:
                let update = try MemberDetailsUpdatedEvent(event: event)
                if update.updated.contains("bankCard") {
                    exception("会员 \(update.member) 银行卡变更", nil, update.reason)
                }
            default:
                break
            }
            return true
        }
        // Batches at or over the threshold; the smaller ones an approver approved anyway are counted per key.
        let threshold = PlanControls.largeAmountThreshold(plans: Array(plans.values))
        for (name, batch) in batches.sorted(by: { $0.value.seq < $1.value.seq })
        where batch.date >= from.text && batch.date <= through.text && threshold.map({ batch.amountFen >= $0.fen }) ?? false {
            large.add([.text("支付批次 \(name)"), .text("\(batch.seq)"), .text(batch.date), .money(Money(fen: batch.amountFen)),
                       .text(who(batch.approver)), .text(batch.payers.sorted().map(who).joined(separator: "、"))])
        }
        // A proposal lapses after its lapse date; one lapsed by the period's end (or by today,
        // for the period still running) shows there. One still pending does not.
        let lapsedBy = min(through, EventTime.now().localDate).text
        for (seq, proposal) in proposals.sorted(by: { $0.key < $1.key })
        where !proposal.decided && proposal.lapsesOn < lapsedBy && proposal.lapsesOn >= from.text {
            exceptions.add([.text("凭证 \(seq) 逾期未审批（失效）"), .text("\(seq)"), .text(proposal.lapsesOn), .money(Money(fen: proposal.amountFen)),
                            .text(who(proposal.proposer)), .text("已审批 \(proposal.approvers.count)/\(proposal.needed)")])
        }

        var byHolder = ReportTable(key: "byHolder", title: "按人员（密钥）", columns: [
            ReportColumn("holder", "人员（密钥）"), ReportColumn("roles", "角色"), ReportColumn("filed", "受理", .count),
            ReportColumn("reviewed", "审核", .count), ReportColumn("approved", "审批", .count), ReportColumn("approvedAmount", "终审金额", .money),
            ReportColumn("rejected", "驳回", .count), ReportColumn("paid", "支付", .count), ReportColumn("paidAmount", "支付金额", .money),
            ReportColumn("posted", "记账", .count), ReportColumn("proposed", "提请凭证", .count), ReportColumn("entryApprovals", "凭证审批", .count),
            ReportColumn("batchApprovals", "批次审批", .count), ReportColumn("refundApprovals", "退款审批", .count),
            ReportColumn("contributions", "收缴记录", .count),
        ])
        for key in keys.sorted(by: { $0.registeredSeq < $1.registeredSeq }) {
            let done = duties[key.id.value] ?? Duties()
            byHolder.add([.text(who(key.id.value)), .text(key.roles.sorted().map(\.rawValue).joined(separator: ",")), .count(done.filed),
                          .count(done.reviewed), .count(done.approved), .money(Money(fen: done.approvedFen)), .count(done.rejected),
                          .count(done.paid), .money(Money(fen: done.paidFen)), .count(done.posted), .count(done.proposed),
                          .count(done.entryApprovals), .count(done.batchApprovals), .count(done.refundApprovals), .count(done.contributions)])
        }
        return ReportContent(tables: [byHolder, large, exceptions], notes: [
            "一人不得经办同一笔资金的全部环节：受理人不审核、不审批；提请人不审批；批次审批人不支付。大额（达到计划大额标准）须两名审批人。",
            "例外事项：冲销、撤销审批、支付退回、核减审批、驳回或失效的凭证，以及受控科目上的单人记账（审计报错）。",
        ])
    }
}
