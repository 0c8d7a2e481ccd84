import GRDB
import Ledger

/// A member as the rules engine sees them when they claim: their sex and their enrolment
/// in each plan year. The caps they have used are read beside it (`capsSelection`).
struct Claimant: Sendable {
    /// The member's enrolment for one plan year.
    struct Enrolment: Sendable {
        let year: Int
        let unit: String
        let coverageStart: String
        let leftOn: String?
    }

    /// Caps used under one benefit in one plan year.
    struct CapUsed: Sendable {
        let year: Int
        let benefit: String
        let usedFen: Int64
    }

    let sex: MemberSex
    let enrolments: [Enrolment]

    /// The member's sex and enrolments, a row per enrolment (one row of NULL enrolment
    /// columns for a member never enrolled), no rows for no such member.
    static let selection = """
        SELECT m.sex, e.plan_year, e.unit_id, e.coverage_start, e.left_on
        FROM members m LEFT JOIN enrolments e ON e.member_id = m.member_id
        WHERE m.member_id = ?
        """

    /// Every cap the member has used, in every plan year.
    static let capsSelection = "SELECT plan_year, benefit, used_fen FROM cap_usage WHERE member_id = ?"

    /// The member `member`, or nil when there is no such member.
    static func read(_ member: MemberID, db: Database) throws -> Claimant? {
        Claimant(rows: try db.rows(selection, [member.value]))
    }

    /// The member `selection` gave as `rows`, or nil for no rows (no such member).
    init?(rows: [FetchedRow]) {
        guard let first = rows.first else { return nil }
        sex = MemberSex(rawValue: first[0]) ?? .male
        enrolments = rows.compactMap { row -> Enrolment? in
            guard let year: Int = row[1] else { return nil }
            return Enrolment(year: year, unit: row[2], coverageStart: row[3], leftOn: row[4])
        }
    }

    /// The caps `capsSelection` gave as `rows`.
    static func capsUsed(_ rows: [FetchedRow]) -> [CapUsed] {
        rows.map { CapUsed(year: $0[0], benefit: $0[1], usedFen: $0[2]) }
    }

    /// The enrolment for plan `year`, if any.
    func enrolment(year: Int) -> Enrolment? {
        enrolments.first { $0.year == year }
    }
}
