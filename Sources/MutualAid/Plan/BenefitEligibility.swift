/// Which members a benefit is open to.
///
/// Written in a plan file as `eligibility = "all"` (the default), `"female"` or
/// `"male"`. Women's special diseases (女职工特殊疾病互助金) are `"female"`: a claim
/// by a male member is rejected as not eligible rather than computed.
public enum BenefitEligibility: String, Sendable, Hashable, CaseIterable {
    case all
    case female
    case male

    /// Whether a member of sex `sex` may claim this benefit.
    public func admits(_ sex: MemberSex) -> Bool {
        switch self {
        case .all: true
        case .female: sex == .female
        case .male: sex == .male
        }
    }

    /// A phrase for rejection sentences: "female members only".
    public var phrase: String {
        switch self {
        case .all: "all members"
        case .female: "female members only"
        case .male: "male members only"
        }
    }
}
