/// The five account classes of union accounting (工会会计制度), each with a normal side.
///
/// The normal side decides the sign of a balance: an asset's balance is debits minus
/// credits, a liability's is credits minus debits.
public enum AccountType: String, Sendable, Hashable, Codable, CaseIterable {
    /// 资产类, e.g. 102 银行存款.
    case asset
    /// 负债类, e.g. 225 其他应付款.
    case liability
    /// 净资产类, e.g. 321 专用基金.
    case netAssets
    /// 收入类, 401…408.
    case revenue
    /// 支出类, 501…508.
    case expense

    public var normalSide: Side {
        switch self {
        case .asset, .expense: return .debit
        case .liability, .netAssets, .revenue: return .credit
        }
    }

    public var chineseName: String {
        switch self {
        case .asset: return "资产"
        case .liability: return "负债"
        case .netAssets: return "净资产"
        case .revenue: return "收入"
        case .expense: return "支出"
        }
    }
}
