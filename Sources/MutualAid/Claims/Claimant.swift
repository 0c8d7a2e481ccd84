import GRDB
import Ledger

/// A member as the rules engine sees them when they claim: their sex and their enrolment
/// in each plan year.
///
/// Filing claims never changes either, so a batch may read them ahead of the filing thread
/// (`ClaimantLookup`). The caps already used, which every claim changes, are not part of
/// it: the filing thread reads them in its own transaction.
struct Claimant: Sendable {
    /// The member's enrolment for one plan year.
    struct Enrolment: Sendable {
        let year: Int
        let unit: String
        let coverageStart: String
        let leftOn: String?
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

    /// The member `member`, or nil when there is no such member.
    static func read(_ member: MemberID, db: Database) throws -> Claimant? {
        let rows = try db.rows(selection, [member.value])
        guard let first = rows.first else { return nil }
        let enrolments = rows.compactMap { row -> Enrolment? in
            guard let year: Int = row[1] else { return nil }
            return Enrolment(year: year, unit: row[2], coverageStart: row[3], leftOn: row[4])
        }
        return Claimant(sex: MemberSex(rawValue: first[0]) ?? .male, enrolments: enrolments)
    }

    /// The enrolment for plan `year`, if any.
    func enrolment(year: Int) -> Enrolment? {
        enrolments.first { $0.year == year }
    }
}

extension Claimant {
    /// A claimant read ahead by a `ClaimantLookup`, with the size of the log whose state
    /// it was read from: the filing session uses it only if it began from that same log.
    struct Prefetched: Sendable {
        /// Nil when the member does not exist.
        let claimant: Claimant?
        let logSize: Int64
    }
}
