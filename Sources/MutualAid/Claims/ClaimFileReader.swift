import Ledger

/// Reads a batch of claims from a CSV of insurance settlements (医保结算清单).
///
/// Columns: member, benefit, settlement_id (or invoice and hospital), service_date,
/// filed_on (default: the date given), total_cost, covered, own_share, loss, grade,
/// documents (separated by ';'), diagnosis. Amounts in yuan.
public final class ClaimFileReader {
    private let reader: CSVReader
    private let defaultFiledOn: LedgerDate

    public init(path: String, defaultFiledOn: LedgerDate) throws {
        reader = try CSVReader(path: path)
        guard let header = reader.header, header.index(of: "member") != nil, header.index(of: "benefit") != nil,
              header.index(of: "service_date") != nil
        else {
            throw LedgerInputError(field: "file", value: path, reason: "the header needs at least member, benefit and service_date")
        }
        self.defaultFiledOn = defaultFiledOn
    }

    public func next() throws -> ClaimInput? {
        guard let row = try reader.next() else { return nil }
        func text(_ column: String) -> String { row[column]?.trimmingSpaces() ?? "" }
        func money(_ column: String) throws -> Money? {
            let value = text(column)
            guard !value.isEmpty else { return nil }
            do { return try Money(parsing: value) } catch {
                throw LedgerInputError(row: row.row, field: column, value: value, reason: error.description)
            }
        }
        do {
            let filed = text("filed_on")
            var grade: Int?
            if !text("grade").isEmpty {
                guard let value = Int(text("grade")) else { throw LedgerInputError(field: "grade", value: text("grade"), reason: "a whole number") }
                grade = value
            }
            return try ClaimInput(
                row: row.row, member: MemberID(text("member")), benefit: text("benefit"), settlementID: text("settlement_id"),
                invoiceNumber: text("invoice"), hospital: text("hospital"), serviceDate: LedgerDate(text("service_date")),
                filedOn: filed.isEmpty ? defaultFiledOn : LedgerDate(filed), totalCost: money("total_cost"),
                insuranceCovered: money("covered"), ownShare: money("own_share"), loss: money("loss"), grade: grade,
                documents: text("documents").split(separator: ";").map { String($0).trimmingSpaces() },
                diagnosis: text("diagnosis"))
        } catch let error as LedgerInputError {
            throw error.row == nil ? error.at(row: row.row) : error
        }
    }
}
