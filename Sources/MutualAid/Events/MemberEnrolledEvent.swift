import Ledger

/// The data of a `member.enrolled` event, and what it adds to the register: the member
/// (once, at their first enrolment) and their enrolment for the plan year.
///
/// As with `ClaimFiledData` (which files `ClaimFiledEvent`), a roster of a million rows writes each event's data straight to
/// canonical bytes (`encodedDraft`) and its rows from the values at hand (`MutualAidTables.insertEnrolment`), rather
/// than building, sorting and encoding a dictionary per member and reading it back. `draft`
/// gives the dictionary form; debug builds and tests hold the forms equal, and the register
/// equal to a replay of the log, which projects through `init(_:)` and the same `insertEnrolment`.
public struct MemberEnrolledEvent: MutualAidEvent {
    public static let kind = MutualAidKinds.memberEnrolled
    public let member: String
    public let unit: String
    public let planYear: Int64
    /// The day the member was enrolled (the event's date).
    public let date: LedgerDate
    /// The day their unbroken coverage began, carried over from earlier years.
    public let coverageStart: String
    /// Whether this enrolment begins their coverage (and so any waiting period).
    public let isNew: Bool
    public let sex: String
    /// The commitment to the member's personal data, kept outside the log.
    public let commitment: String

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
    public init(_ fields: EventFields) throws {
        self.init(member: try fields.string("member"), unit: try fields.string("unit"), planYear: try fields.int("planYear"),
                  date: try fields.date(), coverageStart: try fields.string("coverageStart"),
                  isNew: try fields.bool("isNew"), sex: try fields.string("sex"), commitment: try fields.string("commitment"))
        guard try fields.idempotencyKey() == idempotencyKey else { throw fields.badField("is not keyed \(idempotencyKey)") }
    }

    /// The event as a draft, its data a dictionary.
    public func draft() throws(LedgerInputError) -> EventDraft {
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

    func project(_ event: RecordedEvent, tables: any MutualAidTables, writer: any LedgerStoreWriter) throws {
        try tables.insertEnrolment(self, seq: event.seq)
    }
}
