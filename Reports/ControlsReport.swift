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
            let data = event.data
            let actor = event.actor.value
            let day = event.date?.text ?? data["approvedOn"]?.stringValue ?? data["rejectedOn"]?.stringValue ?? String(event.time.text.prefix(10))
            let inPeriod = day >= from.text && day <= through.text
            let amountFen = data["amountFen"]?.integerValue ?? 0
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
                if let rules = data["rules"].flatMap({ try? PlanRules(json: $0) }) {
                    plans[rules.year] = rules
                    controlled = PlanControls.controlledAccounts(plans: Array(plans.values))
                }
            case MutualAidKinds.claimFiled: count { $0.filed += 1 }
            case MutualAidKinds.claimReviewed: count { $0.reviewed += 1 }
            case MutualAidKinds.claimApproved:
                let claim = data["claim"]?.integerValue ?? 0
                roundApprovers[claim, default: []].append(actor)
                let final = data["final"]?.boolValue == true
                count { $0.approved += 1; if final { $0.approvedFen += amountFen } }
                if final, let approvers = roundApprovers.removeValue(forKey: claim), approvers.count >= 2, inPeriod {
                    large.add([.text("理赔 \(claim) 双人审批"), .text(seqText), .text(day), .money(Money(fen: amountFen)),
                               .text(approvers.map(who).joined(separator: "、")), .empty])
                }
                if let reason = data["reason"]?.stringValue { exception("理赔 \(claim) 核减审批", amountFen, reason) }
            case MutualAidKinds.claimRejected:
                count { $0.rejected += 1 }
            case MutualAidKinds.claimPaid:
                count { $0.paid += 1; $0.paidFen += amountFen }
                if let name = data["batch"]?.stringValue, batches[name] != nil { batches[name]?.payers.insert(actor) }
            case MutualAidKinds.claimApprovalRevoked:
                let claim = data["claim"]?.integerValue ?? 0
                roundApprovers[claim] = nil
                exception("理赔 \(claim) 撤销审批", amountFen, data["reason"]?.stringValue ?? "")
            case MutualAidKinds.claimPaymentReturned:
                exception("理赔 \(data["claim"]?.integerValue ?? 0) 支付退回", amountFen, data["reason"]?.stringValue ?? "")
            case MutualAidKinds.contributionReversed, MutualAidKinds.subsidyReversed, .entryReversed:
                let moved = (try? event.postings()).map { PlanControls.amount(of: $0).fen }
                exception("冲销 seq \(data["reverses"]?.integerValue ?? 0)（\(data["reversedKind"]?.stringValue ?? event.kind.name)）", moved,
                          data["reason"]?.stringValue ?? "")
                if event.kind == .entryReversed { count { $0.posted += 1 } }
            case .entryPosted:
                count { $0.posted += 1 }
                if let postings = try? event.postings(), let line = controlled.firstControlled(in: postings) {
                    exception("单人记账（受控科目 \(line.account)）", PlanControls.amount(of: postings).fen, data["memo"]?.stringValue ?? "")
                }
            case MutualAidKinds.entryProposed:
                count { $0.proposed += 1 }
                proposals[event.seq] = (actor, [], data["approvalsNeeded"]?.integerValue ?? 1, data["lapsesOn"]?.stringValue ?? "", day, amountFen, false)
            case MutualAidKinds.entryApproved:
                count { $0.entryApprovals += 1 }
                let seq = data["proposal"]?.integerValue ?? 0
                proposals[seq]?.approvers.append(actor)
                if data["final"]?.boolValue == true, let proposal = proposals[seq] {
                    proposals[seq]?.decided = true
                    if proposal.approvers.count >= 2, inPeriod {
                        large.add([.text("凭证 \(seq) 双人审批"), .text(seqText), .text(day), .money(Money(fen: proposal.amountFen)),
                                   .text(proposal.approvers.map(who).joined(separator: "、")), .text(who(proposal.proposer))])
                    }
                }
            case MutualAidKinds.entryRejected:
                let seq = data["proposal"]?.integerValue ?? 0
                proposals[seq]?.decided = true
                exception("凭证 \(seq) 驳回", proposals[seq]?.amountFen, data["reason"]?.stringValue ?? "")
            case MutualAidKinds.paymentBatchApproved:
                count { $0.batchApprovals += 1 }
                batches[data["batch"]?.stringValue ?? ""] = (event.seq, day, amountFen, actor, [])
            case MutualAidKinds.refundApproved:
                count { $0.refundApprovals += 1 }
            case MutualAidKinds.contributionBilled, MutualAidKinds.contributionReceived, MutualAidKinds.subsidyReceived:
                count { $0.contributions += 1 }
            case MutualAidKinds.contributionRefunded:
                count { $0.contributions += 1 }
                exception("退还单位互助金 \(data["unit"]?.stringValue ?? "")", amountFen, data["reason"]?.stringValue ?? "")
            case MutualAidKinds.memberDetailsUpdated:
                let updated = (data["updated"]?.arrayValue ?? []).compactMap(\.stringValue)
                if updated.contains("bankCard") {
                    exception("会员 \(data["member"]?.stringValue ?? "") 银行卡变更", nil, data["reason"]?.stringValue ?? "")
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
