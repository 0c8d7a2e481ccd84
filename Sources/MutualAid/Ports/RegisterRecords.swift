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
    /// Every published plan's rules (JSON) as they stand, its amendments applied: the
    /// newest publication of each plan id and year, by year and id, at most `limit`.
    func publishedPlanRules(limit: Int) throws -> [String]
    /// The seqs of every event a member's statement for `planYear` lists (FORMAT §10): the
    /// enrolment, the member's other member events, their claims of the year and those
    /// claims' steps, and their unit's contribution events for the year; in no order.
    func statementEventSeqs(member: String, unit: String, enrolmentSeq: Int64, planYear: Int) throws -> [Int64]

    // MARK: What the domain's rules read

    /// Every publication of a plan for `year` (first publications and amendments, of every
    /// plan id), by seq.
    func publishedPlans(year: Int) throws -> [PublishedPlanRecord]
    /// A unit's name, or nil when there is no such unit.
    func unitName(_ unit: String) throws -> String?
    /// Every unit by id, with its members enrolled for `planYear` who have not left.
    func unitSummaries(planYear: Int) throws -> [(id: String, name: String, members: Int)]
    /// The number of a unit's enrolments for `planYear`, those who left included.
    func enrolledCount(unit: String, planYear: Int) throws -> Int
    /// A member's enrolment for `planYear` without their personal fields, or nil.
    func enrolmentTerms(member: String, planYear: Int) throws -> EnrolmentTerms?
    /// A member's sex and every enrolment, or nil when the member is not on the register.
    func claimant(member: String) throws -> Claimant?
    /// A member's standing on the register with their personal data on file (nil when
    /// erased), in one read; nil when the member is not on the register.
    func memberOnFile(_ member: String) throws -> (standing: MemberStanding, personal: StoredPersonal?)?
    /// Calls `body` with each member enrolled for `planYear` (of one unit when given), by
    /// unit and enrolment, at most `limit`, one row at a time.
    func forEachMember(planYear: Int, unit: String?, limit: Int?, _ body: (MemberListing) throws -> Void) throws
}

/// A member's enrolment for a plan year, as the rules read it.
public struct EnrolmentTerms: Sendable, Hashable {
    public let unit: String
    public let coverageStart: String
    public let leftOn: String?
    /// The seq of the `member.enrolled` event.
    public let seq: Int64

    public init(unit: String, coverageStart: String, leftOn: String?, seq: Int64) {
        self.unit = unit
        self.coverageStart = coverageStart
        self.leftOn = leftOn
        self.seq = seq
    }
}

/// A member on the register: the commitment the log holds to their personal data, their
/// first event, and whether (at which seq) they were erased.
public struct MemberStanding: Sendable, Hashable {
    public let commitment: String
    public let firstSeq: Int64
    public let erasedSeq: Int64?

    public init(commitment: String, firstSeq: Int64, erasedSeq: Int64?) {
        self.commitment = commitment
        self.firstSeq = firstSeq
        self.erasedSeq = erasedSeq
    }
}

/// One publication of a plan's rules (`plan.published`), as the register keeps it.
public struct PublishedPlanRecord: Sendable, Hashable {
    public let seq: Int64
    public let year: Int
    public let planID: String
    /// The day an amendment takes effect; nil for a plan's first publication.
    public let effective: String?
    /// The rules in canonical JSON.
    public let rules: String

    public init(seq: Int64, year: Int, planID: String, effective: String?, rules: String) {
        self.seq = seq
        self.year = year
        self.planID = planID
        self.effective = effective
        self.rules = rules
    }
}
