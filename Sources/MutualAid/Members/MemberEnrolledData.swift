import GRDB
import Ledger

/// The data of a `member.enrolled` event, and what it adds to the register: the member
/// (once, at their first enrolment) and their enrolment for the plan year.
///
/// As with `ClaimFiledData`, a roster of a million rows writes each event's data straight to
/// canonical bytes (`encodedDraft`) and its rows from the values at hand (`project`), rather
/// than building, sorting and encoding a dictionary per member and reading it back. `draft`
/// gives the dictionary form; debug builds and tests hold the forms equal, and the register
/// equal to a replay of the log, which projects through `init(_:)` and `project`.
struct MemberEnrolledData {
    let member: String
    let unit: String
    let planYear: Int64
    /// The day the member was enrolled (the event's date).
    let date: LedgerDate
    /// The day their unbroken coverage began, carried over from earlier years.
    let coverageStart: String
    /// Whether this enrolment begins their coverage (and so any waiting period).
    let isNew: Bool
    let sex: String
    /// The commitment to the member's personal data, kept outside the log.
    let commitment: String

    var idempotencyKey: String { "enrol:\(planYear):\(member)" }

    init(member: String, unit: String, planYear: Int64, date: LedgerDate, coverageStart: String, isNew: Bool, sex: String,
         commitment: String) {
        self.member = member
        self.unit = unit
        self.planYear = planYear
        self.date = date
        self.coverageStart = coverageStart
        self.isNew = isNew
        self.sex = sex
        self.commitment = commitment
    }

    /// The data of a recorded `member.enrolled` event.
    init(_ data: EventData) throws {
        self.init(member: try data.string("member"), unit: try data.string("unit"), planYear: try data.int("planYear"),
                  date: try LedgerDate(try data.string("date")), coverageStart: try data.string("coverageStart"),
                  isNew: data.bool("isNew"), sex: try data.string("sex"), commitment: try data.string("commitment"))
    }

    /// The event as a draft, its data a dictionary.
    func draft() throws -> EventDraft {
        try EventDraft(kind: MutualAidKinds.memberEnrolled, date: date, idempotencyKey: idempotencyKey,
                       fields: ["member": .string(member), "unit": .string(unit), "planYear": .integer(planYear),
                                "coverageStart": .string(coverageStart), "isNew": .bool(isNew), "sex": .string(sex),
                                "commitment": .string(commitment)])
    }

    /// The draft with its data in canonical bytes, written in the keys' canonical order:
    /// commitment, coverageStart, date, idempotencyKey, isNew, member, planYear, sex, unit.
    func encodedDraft() throws -> EncodedDraft {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        bytes.append(contentsOf: #"{"commitment":"#.utf8)
        CanonicalJSON.write(commitment, into: &bytes)
        bytes.append(contentsOf: #","coverageStart":"#.utf8)
        CanonicalJSON.write(coverageStart, into: &bytes)
        bytes.append(contentsOf: #","date":"#.utf8)
        CanonicalJSON.write(date.text, into: &bytes)
        bytes.append(contentsOf: #","idempotencyKey":"#.utf8)
        CanonicalJSON.write(idempotencyKey, into: &bytes)
        bytes.append(contentsOf: isNew ? #","isNew":true"#.utf8 : #","isNew":false"#.utf8)
        bytes.append(contentsOf: #","member":"#.utf8)
        CanonicalJSON.write(member, into: &bytes)
        bytes.append(contentsOf: #","planYear":"#.utf8)
        do { try CanonicalJSON.write(planYear, into: &bytes) } catch {
            throw LedgerInputError(field: "plan year", value: "\(planYear)", reason: error.description)
        }
        bytes.append(contentsOf: #","sex":"#.utf8)
        CanonicalJSON.write(sex, into: &bytes)
        bytes.append(contentsOf: #","unit":"#.utf8)
        CanonicalJSON.write(unit, into: &bytes)
        bytes.append(UInt8(ascii: "}"))
        assert((try? CanonicalJSON.encode(.object(draft().data))) == bytes,
               "member.enrolled bytes differ from its data: \(String(decoding: bytes, as: UTF8.self))")
        return try EncodedDraft(kind: MutualAidKinds.memberEnrolled, date: date, idempotencyKey: idempotencyKey, encodedData: bytes)
    }

    /// The two statements that write an enrolment into the register. A roster prepares them
    /// once rather than finding them in GRDB's cache, which hashes each statement's text.
    struct Statements {
        let insertMember: Statement
        let insertEnrolment: Statement

        init(db: Database) throws {
            // A member enrolling again commits to their details as they now stand.
            insertMember = try db.cachedStatement(sql: """
                INSERT INTO members (member_id, sex, commitment, first_seq) VALUES (?, ?, ?, ?)
                ON CONFLICT (member_id) DO UPDATE SET commitment = excluded.commitment
                """)
            insertEnrolment = try db.cachedStatement(sql: """
                INSERT INTO enrolments (member_id, plan_year, unit_id, enrolled_on, coverage_start, is_new, seq)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
        }
    }

    /// Writes the member (if new to the register; else their latest commitment) and the
    /// enrolment of the event at `seq`:
    /// the one place both a roster's typed values and a replay of the log write them.
    func project(seq: Int64, db: Database, statements: Statements? = nil) throws {
        let statements = try statements ?? Statements(db: db)
        try statements.insertMember.run([member, sex, commitment, seq])
        try statements.insertEnrolment.run([member, planYear, unit, date.text, coverageStart, isNew ? 1 : 0, seq])
    }
}
