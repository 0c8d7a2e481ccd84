import Foundation
import Ledger

/// One person to enrol, as a roster row gives them.
public struct EnrolmentRow: Sendable {
    /// Where the row came from (its spreadsheet row), for messages.
    public let row: Int
    public let name: String
    public let residentID: String
    public let phone: String
    public let bankCard: String
    public let enrolledOn: LedgerDate

    public init(row: Int, name: String, residentID: String, phone: String = "", bankCard: String = "", enrolledOn: LedgerDate) {
        self.row = row
        self.name = name
        self.residentID = residentID
        self.phone = phone
        self.bankCard = bankCard
        self.enrolledOn = enrolledOn
    }
}

/// What an enrolment batch did, row by row.
public struct EnrolmentReport: Sendable {
    public struct Rejected: Sendable, Error, CustomStringConvertible {
        public let row: Int
        public let reason: String
        /// Row 0 is one of last year's members put forward by a renewal, not a file's row.
        public var description: String { row > 0 ? "row \(row): \(reason)" : "renewing last year's member: \(reason)" }
    }

    /// How many were enrolled, and the last of them (the one, for a single enrolment).
    /// Counts rather than lists, so a roster of a million rows keeps memory flat.
    public var enrolledCount = 0
    public var lastEnrolled: (member: MemberID, seq: Int64)?
    /// Already enrolled in this unit for the year: nothing new was recorded.
    public var alreadyEnrolledCount = 0
    /// Members on the register before whose roster row changed their personal details
    /// (a new bank card, a new phone): the enrolment commits to the details as updated.
    public var detailsUpdatedCount = 0
    /// Rejected rows with reasons; at most `rejectedKeptMax` are kept, the rest counted.
    public var rejected: [Rejected] = []
    public var rejectedCount = 0

    public static let rejectedKeptMax = 100_000

    mutating func reject(_ rejection: Rejected) {
        rejectedCount += 1
        if rejected.count < EnrolmentReport.rejectedKeptMax { rejected.append(rejection) }
    }
}

/// A batch with rejected rows, refused whole (nothing written).
public struct EnrolmentRejected: Error, CustomStringConvertible {
    public let rejected: [EnrolmentReport.Rejected]
    /// The roster's name, when the rows came from one.
    public private(set) var file: String?

    init(rejected: [EnrolmentReport.Rejected]) {
        self.rejected = rejected
    }

    /// The same refusal, naming the roster at `path`.
    public func inFile(_ path: String) -> EnrolmentRejected {
        var copy = self
        copy.file = LedgerInputError.fileName(path)
        return copy
    }

    public var description: String {
        let shown = rejected.prefix(20).map(\.description).joined(separator: "\n  ")
        let more = rejected.count > 20 ? "\n  … and \(rejected.count - 20) more" : ""
        return (file.map { "\($0): " } ?? "")
            + "\(rejected.count) row(s) rejected, nothing enrolled (pass --skip-invalid to enrol the good rows):\n  \(shown)\(more)"
    }
}

extension MutualAidBook {
    /// Enrols a unit's roster for a plan year in one transaction.
    ///
    /// Each row's resident ID is checked (length, birth date, check digit). A person
    /// already enrolled through this unit is reported and skipped (a roster may be sent
    /// twice); one enrolled through another unit, or listed twice, is rejected. With
    /// `skipInvalid` false, any rejected row refuses the whole batch. A member enrolling
    /// again takes the row's name, phone and bank card where the row gives them (an empty
    /// cell keeps what is on file).
    public func enroll(unit: UnitID, year: Int, rows: [EnrolmentRow], skipInvalid: Bool,
                       signer: SigningKey) throws -> EnrolmentReport {
        var iterator = rows.makeIterator()
        let preparer = EnrolmentRowPreparer()
        return try enroll(unit: unit, year: year, next: { iterator.next().map(preparer.prepare) }, skipInvalid: skipInvalid,
                          signer: signer)
    }

    /// Enrols rows read one at a time by `next` (a roster file of any size), each checked
    /// by an `EnrolmentRowPreparer` (on the reading thread, for a file). A roster file passes
    /// `shape: .bulk`.
    public func enroll(unit: UnitID, year: Int, next: () throws -> PreparedEnrolmentRow?, skipInvalid: Bool,
                       signer: SigningKey, shape: WriteShape = .command,
                       progress: ((Int) -> Void)? = nil) throws -> EnrolmentReport {
        try ledger.append(signer: signer, shape: shape) { session in
            try MutualAidBook.enrol(unit: unit, year: year, next: next, skipInvalid: skipInvalid, session: session, progress: progress)
        }
    }

    /// Enrols the rows `next` reads within `session` (an enrolment, or a renewal's).
    static func enrol(unit: UnitID, year: Int, next: () throws -> PreparedEnrolmentRow?, skipInvalid: Bool, session: AppendSession,
                      progress: ((Int) -> Void)?) throws -> EnrolmentReport {
        let register = try MutualAidBook.tables(session)
        let plan = try MutualAidBook.requirePlan(year: year, in: register).rules
        guard try register.unitName(unit.value) != nil else {
            throw LedgerInputError(field: "unit", value: unit.value, reason: "no such unit; add it with `huzhu unit add`")
        }
        var report = EnrolmentReport()
        let batchStart = session.logSize
        // Most ledgers have erased no one: then no newcomer's ID is hashed and looked up.
        let anyErased = try register.anyErasedResidents()
        var count = 0
        // A chunk's resident IDs are looked up in one go (`MutualAidTables.readAhead(residents:)`).
        var rows = ReadAheadChunks<PreparedEnrolmentRow>()
        while let prepared = try rows.next(from: next, readAhead: { chunk in
            try register.readAhead(residents: chunk.compactMap { try? $0.checked.get().id.value })
        }) {
            let row = prepared.row
            count += 1
            if count % 1_000 == 0 { progress?(count) }
            do {
                let checked = try prepared.checked.get()
                let id = checked.id, name = checked.name
                guard row.enrolledOn >= plan.enrolment.start, row.enrolledOn <= plan.term.end else {
                    throw EnrolmentReport.Rejected(row: row.row, reason: "enrolment date \(row.enrolledOn) is outside \(plan.enrolment.start) to \(plan.term.end)")
                }

                let member: MemberID
                var personal: PersonalData
                let seenBefore: Bool
                if let existing = try register.personal(residentID: id.value) {
                    member = MemberID(trusted: existing.member)
                    seenBefore = true
                    let fields = try JSONParser.parse(existing.personal.fields).objectValue?.compactMapValues(\.stringValue) ?? [:]
                    personal = PersonalData(fields: fields, salt: existing.personal.salt)
                    if let enrolled = try register.enrolmentTerms(member: member.value, planYear: year) {
                        // Enrolled earlier in this very batch: the roster lists the person twice.
                        if enrolled.seq > batchStart {
                            throw EnrolmentReport.Rejected(row: row.row, reason: "resident ID \(id.masked) is listed twice in this roster")
                        }
                        if enrolled.unit == unit.value {
                            report.alreadyEnrolledCount += 1
                            continue
                        }
                        throw EnrolmentReport.Rejected(row: row.row, reason: "\(Masking.name(name)) (\(id.masked)) is already enrolled for \(year) through unit \(enrolled.unit)")
                    }
                    // The row's details, where it gives them, replace those on file under
                    // a new salt; the events before keep their commitments to the old ones
                    // (as after an erasure, the chain holds only commitments).
                    let updated = personal.fields.merging(checked.newcomerData.fields) { _, fromRow in fromRow }
                    if updated != personal.fields {
                        personal = PersonalData(fields: updated)
                        try register.updatePersonal(member: member.value, personal: personal)
                        report.detailsUpdatedCount += 1
                    }
                } else {
                    // Erased before: enrolled again as someone new, but not for a year the
                    // erased member was already enrolled for.
                    for erased in try anyErased ? register.erasedResidents(hash: ResidentTombstone.hash(residentID: id.value, ledgerID: session.ledgerID)) : [] {
                        if try register.enrolmentTerms(member: erased.member, planYear: year) != nil {
                            throw EnrolmentReport.Rejected(row: row.row, reason: "resident ID \(id.masked) was enrolled for \(year) as member \(erased.member), whose personal data was erased at seq \(erased.erasedSeq); the same person is not enrolled twice in a year")
                        }
                    }
                    member = MemberID(enrolmentSeq: session.logSize + 1)
                    seenBefore = false
                    personal = checked.newcomerData
                    try register.insertPersonal(member: member.value, residentID: id.value, personal: personal)
                }
                // Continuing members keep the date their unbroken coverage began, so a
                // waiting period is served once, not every year.
                let coverageStart: LedgerDate
                let isNew: Bool
                // A person new to the register has no earlier year to continue.
                if seenBefore, let previous = try register.enrolmentTerms(member: member.value, planYear: year - 1),
                   previous.leftOn == nil, let since = try? LedgerDate(previous.coverageStart) {
                    coverageStart = since
                    isNew = false
                } else {
                    coverageStart = max(row.enrolledOn, plan.term.start)
                    isNew = true
                }
                let enrolment = MemberEnrolledEvent(member: member.value, unit: unit.value, planYear: Int64(year), date: row.enrolledOn,
                                                   coverageStart: coverageStart.text, isNew: isNew, sex: MemberSex(id).rawValue,
                                                   commitment: personal.commitment)
                // A newcomer's id is this event's seq: no earlier enrolment can name it.
                let seq = try session.append(try enrolment.encodedDraft(), keyIsUnused: !seenBefore) { seq, _ in
                    try register.insertEnrolment(enrolment, seq: seq)
                }.seq
                report.enrolledCount += 1
                report.lastEnrolled = (member, seq)
            } catch let rejected as EnrolmentReport.Rejected {
                report.reject(rejected)
            }
        }
        if !report.rejected.isEmpty && !skipInvalid {
            throw EnrolmentRejected(rejected: report.rejected)
        }
        return report
    }
}
