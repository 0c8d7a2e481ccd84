import Ledger

/// What renewing a unit's members for the next plan year did.
public struct RenewalReport: Sendable {
    /// The enrolments recorded: last year's members renewed, and the joiners.
    public let enrolment: EnrolmentReport
    /// Last year's members put forward for renewal.
    public let renewing: Int
    /// Last year's members not renewed: left during the year, leaving by the changes file,
    /// or erased (their personal data is gone, so nothing can be enrolled for them).
    public let leftDuringYear: Int
    public let leaving: Int
    public let erased: Int
    /// Joiners in the changes file.
    public let joining: Int
}

extension MutualAidBook {
    /// Enrols a unit's members of plan year `from` for `year` (the next), with the unit's
    /// changes: `changes` rows marked `.leave` are last year's members who are not renewed,
    /// and rows marked `.join` are enrolled as a roster's would be. All in one transaction,
    /// refused whole when a row is rejected (unless `skipInvalid`).
    ///
    /// A renewed member's enrolment continues the one before (`enrol`: the coverage start of
    /// their unbroken coverage, not new), so no waiting period starts again; a member who
    /// left during the year is not renewed, and one who joins again later starts anew.
    public func renew(unit: UnitID, from: Int, year: Int, date: LedgerDate, changes: [(row: EnrolmentRow, change: RosterChange)],
                      skipInvalid: Bool, signer: SigningKey) throws -> RenewalReport {
        guard year == from + 1 else {
            throw LedgerInputError(field: "year", value: "\(year)",
                                   reason: "a renewal enrols the members of one year for the next: --from \(year - 1) --year \(year)")
        }
        return try ledger.append(signer: signer, shape: .bulk) { session in
            let register = try MutualAidBook.tables(session)
            let plan = try MutualAidBook.requirePlan(year: year, in: register).rules
            guard try register.unitName(unit.value) != nil else {
                throw LedgerInputError(field: "unit", value: unit.value, reason: "no such unit; add it with `huzhu unit add`")
            }
            guard date >= plan.enrolment.start, date <= plan.term.end else {
                throw LedgerInputError(field: "date", value: date.text,
                                       reason: "the \(year) plan enrols from \(plan.enrolment.start) to \(plan.term.end)")
            }
            let last = try register.enrolments(unit: unit.value, planYear: from, limit: .max)
            guard !last.isEmpty else {
                throw LedgerInputError(field: "from", value: "\(from)", reason: "unit \(unit) has no members enrolled for \(from)")
            }
            let lastYears = Set(last.compactMap { $0.personal?["residentId"]?.stringValue })
            var leavers: Set<String> = []
            var joiners: [EnrolmentRow] = []
            var rejected: [EnrolmentReport.Rejected] = []
            for (row, change) in changes {
                switch change {
                case .join: joiners.append(row)
                case .leave:
                    // Read as a roster's ID is (a lower-case x is an X), to match the one on file.
                    let id: ResidentID
                    do { id = try ResidentID(validating: row.residentID.trimmingSpaces()) } catch {
                        rejected.append(.init(row: row.row, reason: "resident ID \(Masking.residentID(row.residentID)): \(error)"))
                        continue
                    }
                    if lastYears.contains(id.value) {
                        leavers.insert(id.value)
                    } else {
                        rejected.append(.init(row: row.row, reason: "resident ID \(id.masked) is leaving, but was not enrolled for \(from) through unit \(unit)"))
                    }
                }
            }
            if !rejected.isEmpty && !skipInvalid { throw EnrolmentRejected(rejected: rejected) }

            var renewing: [EnrolmentRow] = []
            var leftDuringYear = 0, erased = 0
            for record in last {
                guard let personal = record.personal, let id = personal["residentId"]?.stringValue else {
                    erased += 1
                    continue
                }
                if record.leftOn != nil {
                    leftDuringYear += 1
                    continue
                }
                if leavers.contains(id) { continue }
                // Empty phone and card keep what is on file (`enrol`); the name is the one on file.
                renewing.append(EnrolmentRow(row: 0, name: personal["name"]?.stringValue ?? "", residentID: id, enrolledOn: date))
            }
            var rows = (renewing + joiners).makeIterator()
            let preparer = EnrolmentRowPreparer()
            var report = try MutualAidBook.enrol(unit: unit, year: year, next: { rows.next().map(preparer.prepare) }, skipInvalid: skipInvalid,
                                                 session: session, progress: nil)
            for rejection in rejected { report.reject(rejection) }
            return RenewalReport(enrolment: report, renewing: renewing.count, leftDuringYear: leftDuringYear, leaving: leavers.count,
                                 erased: erased, joining: joiners.count)
        }
    }
}
