import MutualAid

/// How claim states and rejection reasons read on the union's forms.
enum ClaimLabels {
    /// 已受理, 已审核, …: the state as a clerk names it.
    static func state(_ state: ClaimState) -> String {
        switch state {
        case .filed: return "已受理"
        case .reviewed: return "已审核"
        case .partlyApproved: return "待二次审批"
        case .approved: return "已审批"
        case .rejected: return "不予给付"
        case .paid: return "已支付"
        }
    }

    /// The code the claims table stores when an approver (not the rules) rejected a claim.
    static let approverRejectionCode = ClaimRejectionRecord.approverCode

    /// The heading a rejection is grouped under: the rule that refused it (by the stable
    /// `ClaimRejection.code`), or 审批不予给付 for an approver's decision.
    static func rejection(code: String) -> String {
        switch code {
        case approverRejectionCode: return "审批不予给付"
        case "not-enrolled": return "未参加本年度互助"
        case "contribution-unpaid": return "单位互助金未缴清"
        case "not-covered-on-service-date": return "就诊日尚未生效"
        case "service-date-outside-term": return "就诊日不在保障期内"
        case "in-waiting-period": return "等待期内"
        case "filed-after-deadline": return "超过申请期限"
        case "not-eligible": return "不符合项目条件"
        case "grade-not-in-table": return "伤残等级不在给付表内"
        case "nothing-to-pay": return "无可给付金额"
        case "below-minimum-payout": return "低于最低给付额"
        case "benefit-cap-used-up": return "已达项目年度限额"
        case "total-cap-used-up": return "已达年度总限额"
        case "duplicate": return "重复申请"
        default: return code
        }
    }
}
