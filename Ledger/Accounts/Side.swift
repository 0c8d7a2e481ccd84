/// Which side of an account a posting goes to (借 debit, 贷 credit).
public enum Side: String, Sendable, Hashable, Codable, CaseIterable {
    case debit
    case credit

    /// The other side: a reversal swaps every posting's side.
    public var opposite: Side { self == .debit ? .credit : .debit }

    /// 借 or 贷, as union account books print it.
    public var chineseLabel: String { self == .debit ? "借" : "贷" }
}
