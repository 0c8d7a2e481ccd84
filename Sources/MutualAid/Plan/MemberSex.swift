/// A member's sex as the plan's eligibility rules need it, and nothing more.
///
/// Some benefits are for one sex only: women's special diseases (女职工特殊疾病) pay
/// female members only. The member register holds this (usually derived from the
/// resident ID number) and the caller passes it in; the rules engine never sees the ID.
public enum MemberSex: String, Sendable, Hashable, CaseIterable {
    case female
    case male

    /// The sex recorded in a resident ID number (the 17th digit: even for female).
    public init(_ residentID: ResidentID) {
        self = residentID.isFemale ? .female : .male
    }
}
