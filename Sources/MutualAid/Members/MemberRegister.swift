import Foundation
import Ledger

/// A member as lists show them: personal fields masked.
public struct MemberListing: Sendable {
    public let member: String
    public let unit: String
    public let year: Int
    public let maskedName: String
    public let maskedResidentID: String
    public let sex: String
    public let coverageStart: String
    public let leftOn: String?
    public let erased: Bool

    /// A listing of a member whose personal fields are stored as `storedFields` (nil once
    /// erased), masked as every list masks them.
    public init(member: String, unit: String, year: Int, storedFields: String?, sex: String, coverageStart: String, leftOn: String?,
                erased: Bool) {
        let fields = StoredPersonal.object(storedFields) ?? [:]
        self.member = member
        self.unit = unit
        self.year = year
        maskedName = fields["name"]?.stringValue.map(Masking.name) ?? "(erased)"
        maskedResidentID = fields["residentId"]?.stringValue.map(Masking.residentID) ?? "(erased)"
        self.sex = sex
        self.coverageStart = coverageStart
        self.leftOn = leftOn
        self.erased = erased
    }
}

extension MutualAidBook {
    /// Records that a member left (退出) on `date`; coverage ends that day.
    @discardableResult
    public func leave(member: MemberID, year: Int, date: LedgerDate, reason: String, signer: SigningKey) throws -> Int64 {
        try ledger.append(signer: signer) { session in
            let register = try MutualAidBook.tables(session)
            guard let enrolment = try register.enrolmentTerms(member: member.value, planYear: year) else {
                throw MutualAidRuleError("member \(member) is not enrolled for \(year)")
            }
            if let on = enrolment.leftOn { throw MutualAidRuleError("member \(member) already left on \(on)") }
            return try session.append(MemberLeftEvent(member: member.value, planYear: Int64(year), reason: reason, date: date).draft()).seq
        }
    }

    /// Erases a member's personal fields and salt (PIPL 删除权). The events keep only the
    /// commitment, so the chain still verifies; an `member.erased` event records who
    /// erased whom and when.
    @discardableResult
    public func erase(member: MemberID, reason: String, signer: SigningKey) throws -> Int64 {
        try ledger.append(signer: signer) { session in
            let register = try MutualAidBook.tables(session)
            guard let (standing, personal) = try register.memberOnFile(member.value) else {
                throw MutualAidRuleError("there is no member \(member)")
            }
            if let seq = standing.erasedSeq { throw MutualAidRuleError("member \(member) was already erased at seq \(seq)") }
            if let residentID = personal?.residentID {
                try register.insertErasedResident(hash: ResidentTombstone.hash(residentID: residentID, ledgerID: session.ledgerID),
                                                  member: member.value, seq: session.logSize + 1)
            }
            try register.erasePersonal(member: member.value)
            return try session.append(MemberErasedEvent(member: member.value, reason: reason).draft()).seq
        }
    }

    /// Members enrolled for `year`, optionally of one unit, personal fields masked.
    public func members(year: Int, unit: UnitID? = nil, limit: Int? = nil) throws -> [MemberListing] {
        var found: [MemberListing] = []
        try forEachMember(year: year, unit: unit, limit: limit) { found.append($0) }
        return found
    }

    /// Calls `body` with each member enrolled for `year` (of one unit when given), by unit
    /// and enrolment, read one row at a time on one snapshot, so a city's roster is never
    /// held whole.
    public func forEachMember(year: Int, unit: UnitID? = nil, limit: Int? = nil, _ body: (MemberListing) throws -> Void) throws {
        try read { try $0.forEachMember(planYear: year, unit: unit?.value, limit: limit, body) }
    }

    /// Proves that `fields` are the personal data behind member `member`'s commitment.
    public func commitmentMatches(member: MemberID, fields: [String: String], salt: [UInt8]) throws -> Bool {
        let recorded = try read { try $0.memberOnFile(member.value)?.standing.commitment }
        return recorded == PersonalData(fields: fields, salt: salt).commitment
    }
}
