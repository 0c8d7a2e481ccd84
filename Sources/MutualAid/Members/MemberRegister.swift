import Foundation
import GRDB
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
}

extension MutualAidBook {
    /// Records that a member left (退出) on `date`; coverage ends that day.
    @discardableResult
    public func leave(member: MemberID, year: Int, date: LedgerDate, reason: String, signer: SigningKey) throws -> Int64 {
        try ledger.append(signer: signer) { session in
            let db = try MutualAidBook.database(session)
            guard let left = try Row.fetchOne(db, sql: "SELECT left_on FROM enrolments WHERE member_id = ? AND plan_year = ?",
                                              arguments: [member.value, year]) else {
                throw MutualAidRuleError("member \(member) is not enrolled for \(year)")
            }
            if let on = left[0] as String? { throw MutualAidRuleError("member \(member) already left on \(on)") }
            return try session.append(EventDraft(kind: MutualAidKinds.memberLeft, date: date, idempotencyKey: "leave:\(year):\(member.value)",
                                                 fields: ["member": .string(member.value), "planYear": .integer(Int64(year)),
                                                          "reason": .string(reason)])).seq
        }
    }

    /// Erases a member's personal fields and salt (PIPL 删除权). The events keep only the
    /// commitment, so the chain still verifies; an `member.erased` event records who
    /// erased whom and when.
    @discardableResult
    public func erase(member: MemberID, reason: String, signer: SigningKey) throws -> Int64 {
        try ledger.append(signer: signer) { session in
            let db = try MutualAidBook.database(session)
            guard let erased = try db.row("SELECT erased_seq FROM members WHERE member_id = ?", [member.value]) else {
                throw MutualAidRuleError("there is no member \(member)")
            }
            if let seq = erased[0] as Int64? { throw MutualAidRuleError("member \(member) was already erased at seq \(seq)") }
            if let residentID = try String.fetchOne(db, sql: "SELECT resident_id FROM member_personal WHERE member_id = ?", arguments: [member.value]) {
                try db.run("INSERT INTO erased_residents (resident_hash, member_id, erased_seq) VALUES (?, ?, ?)",
                           [ResidentTombstone.hash(residentID: residentID, ledgerID: session.ledgerID), member.value, session.logSize + 1])
            }
            try db.run("DELETE FROM member_personal WHERE member_id = ?", [member.value])
            try db.run("DELETE FROM claim_personal WHERE member_id = ?", [member.value])
            return try session.append(EventDraft(kind: MutualAidKinds.memberErased,
                                                 fields: ["member": .string(member.value), "reason": .string(reason)])).seq
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
        try read { db in
            var sql = """
                SELECT e.member_id, e.unit_id, e.plan_year, p.fields, m.sex, e.coverage_start, e.left_on, m.erased_seq
                FROM enrolments e JOIN members m ON m.member_id = e.member_id
                LEFT JOIN member_personal p ON p.member_id = e.member_id
                WHERE e.plan_year = ?
                """
            var arguments: [(any SQLBindable)?] = [year]
            if let unit { sql += " AND e.unit_id = ?"; arguments.append(unit.value) }
            sql += " ORDER BY e.unit_id, e.seq"
            if let limit { sql += " LIMIT \(limit)" }
            try db.forEachRow(sql, SQLArguments(arguments)) { row in
                let fields = (row[3] as String?).flatMap { try? JSONParser.parse($0).objectValue } ?? [:]
                try body(MemberListing(member: row[0], unit: row[1], year: Int(row[2] as Int64),
                                       maskedName: fields["name"]?.stringValue.map(Masking.name) ?? "(erased)",
                                       maskedResidentID: fields["residentId"]?.stringValue.map(Masking.residentID) ?? "(erased)",
                                       sex: row[4], coverageStart: row[5], leftOn: row[6], erased: (row[7] as Int64?) != nil))
            }
        }
    }

    /// Proves that `fields` are the personal data behind member `member`'s commitment.
    public func commitmentMatches(member: MemberID, fields: [String: String], salt: [UInt8]) throws -> Bool {
        let recorded = try read { try String.fetchOne($0, sql: "SELECT commitment FROM members WHERE member_id = ?", arguments: [member.value]) }
        return recorded == PersonalData(fields: fields, salt: salt).commitment
    }
}
