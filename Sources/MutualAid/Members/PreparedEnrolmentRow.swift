import Ledger

/// A roster row checked before it reaches the enrolling thread: its resident ID and name,
/// or why they are refused, and the personal data (salt and commitment included) the
/// person gets if they are new to the register.
///
/// None of this depends on the register, so a roster import prepares rows on its reading
/// thread (see `Prefetcher`) and the thread that must append in order only decides what
/// the register makes of each row.
public struct PreparedEnrolmentRow: Sendable {
    public let row: EnrolmentRow
    let checked: Result<Checked, EnrolmentReport.Rejected>

    struct Checked: Sendable {
        let id: ResidentID
        let name: String
        /// The personal fields of a newcomer; a person already on the register keeps theirs.
        let newcomerData: PersonalData
    }
}

/// Prepares roster rows: checks each one and draws its salt. Used by one thread at a
/// time (a roster's reading thread), like the reader it follows.
public final class EnrolmentRowPreparer {
    /// Found once: finding the local day takes a system call.
    private let today = ResidentID.Day.today()
    private var salts = SaltSource()

    public init() {}

    public func prepare(_ row: EnrolmentRow) -> PreparedEnrolmentRow {
        PreparedEnrolmentRow(row: row, checked: Result { () throws(EnrolmentReport.Rejected) in try check(row) })
    }

    private func check(_ row: EnrolmentRow) throws(EnrolmentReport.Rejected) -> PreparedEnrolmentRow.Checked {
        let id: ResidentID
        do { id = try ResidentID(validating: row.residentID.trimmingSpaces(), today: today) } catch {
            throw EnrolmentReport.Rejected(row: row.row, reason: "resident ID \(Masking.residentID(row.residentID)): \(error)")
        }
        // A phone or card may be missing (a payment then waits for one), never malformed.
        let name: String, phone: String, card: String
        do {
            name = try ContactDetails.name(row.name)
            phone = row.phone.trimmingSpaces().isEmpty ? "" : try ContactDetails.phone(row.phone)
            card = row.bankCard.trimmingSpaces().isEmpty ? "" : try ContactDetails.bankCard(row.bankCard)
        } catch {
            throw EnrolmentReport.Rejected(row: row.row, reason: "\(error.field) \(error.value): \(error.reason)")
        }
        let personal = PersonalData(fields: ["name": name, "residentId": id.value, "phone": phone, "bankCard": card], salt: salts.next())
        return .init(id: id, name: name, newcomerData: personal)
    }
}
