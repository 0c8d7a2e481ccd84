import Ledger

/// A member's enrolment in a unit for a plan year, with their personal fields (nil once erased).
public struct EnrolmentRecord: Sendable, Hashable {
    public let member: String
    public let unit: String
    public let seq: Int64
    public let personal: [String: JSONValue]?
    public let enrolledOn: String
    public let coverageStart: String
    public let leftOn: String?

    public init(member: String, unit: String, seq: Int64, personal: [String: JSONValue]?, enrolledOn: String, coverageStart: String,
                leftOn: String?) {
        self.member = member
        self.unit = unit
        self.seq = seq
        self.personal = personal
        self.enrolledOn = enrolledOn
        self.coverageStart = coverageStart
        self.leftOn = leftOn
    }
}

/// A unit's year in figures: members enrolled and left, claims, rejections, approved and paid.
public struct UnitYearRecord: Sendable, Hashable {
    public var enrolled: Int64 = 0
    public var left: Int64 = 0
    public var claims: Int64 = 0
    public var rejected: Int64 = 0
    public var approved = Money.zero
    public var paid = Money.zero

    public init() {}
}

/// Units, enrolments, plans and a member's events, as reports and statements read them.
public protocol RegisterRecords {
    /// Units by id, at most `limit`.
    func units(limit: Int) throws -> [(id: String, name: String)]
    /// A unit's enrolments for `planYear`, in enrolment order, at most `limit`.
    func enrolments(unit: String, planYear: Int, limit: Int) throws -> [EnrolmentRecord]
    /// A unit's year in figures.
    func unitYear(unit: String, planYear: Int) throws -> UnitYearRecord
    /// A member's enrolment for `planYear`, or nil.
    func enrolment(member: String, planYear: Int) throws -> EnrolmentRecord?
    /// Every published plan's rules (JSON), by plan year, at most `limit`.
    func publishedPlanRules(limit: Int) throws -> [String]
    /// The seqs of every event a member's statement for `planYear` lists (FORMAT §10): the
    /// enrolment, the member's other member events, their claims of the year and those
    /// claims' steps, and their unit's contribution events for the year; in no order.
    func statementEventSeqs(member: String, unit: String, enrolmentSeq: Int64, planYear: Int) throws -> [Int64]
}
