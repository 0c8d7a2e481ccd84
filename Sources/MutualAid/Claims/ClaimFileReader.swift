import Ledger

/// Reads a batch of claims from a CSV of insurance settlements (医保结算清单).
///
/// Columns: member, benefit, settlement_id (or invoice and hospital), service_date,
/// filed_on (default: the date given), total_cost, covered, own_share, loss, grade,
/// documents (separated by ';'), diagnosis. Amounts in yuan.
public final class ClaimFileReader {
    private let reader: CSVReader
    private let defaultFiledOn: LedgerDate
    /// Each column's position, found once in the header rather than for every field of every row.
    private let columns: [String: Int]

    public init(path: String, defaultFiledOn: LedgerDate) throws {
        reader = try CSVReader(path: path)
        guard let header = reader.header, header.index(of: "member") != nil, header.index(of: "benefit") != nil,
              header.index(of: "service_date") != nil
        else {
            throw LedgerInputError(field: "file", value: path, reason: "the header needs at least member, benefit and service_date")
        }
        self.defaultFiledOn = defaultFiledOn
        columns = Dictionary(uniqueKeysWithValues: ["member", "benefit", "settlement_id", "invoice", "hospital", "service_date", "filed_on",
                                                    "total_cost", "covered", "own_share", "loss", "grade", "documents", "diagnosis"]
            .compactMap { name in header.index(of: name).map { (name, $0) } })
    }

    public func next() throws -> ClaimInput? {
        guard let row = try reader.next() else { return nil }
        // The field of each column, trimmed; "" for a column the file lacks.
        func field(_ column: String) -> String {
            guard let index = columns[column], index < row.fields.count else { return "" }
            return row.fields[index].trimmingSpaces()
        }
        let member = field("member"), benefit = field("benefit"), settlement = field("settlement_id"), invoice = field("invoice")
        let hospital = field("hospital"), service = field("service_date"), filed = field("filed_on"), grade = field("grade")
        let documents = field("documents"), diagnosis = field("diagnosis")
        func money(_ column: String) throws -> Money? {
            let value = field(column)
            guard !value.isEmpty else { return nil }
            do { return try Money(parsing: value) } catch {
                throw LedgerInputError(row: row.row, field: column, value: value, reason: error.description)
            }
        }
        do {
            var disabilityGrade: Int?
            if !grade.isEmpty {
                guard let value = Int(grade) else { throw LedgerInputError(field: "grade", value: grade, reason: "a whole number") }
                disabilityGrade = value
            }
            return try ClaimInput(
                row: row.row, member: MemberID(member), benefit: benefit, settlementID: settlement,
                invoiceNumber: invoice, hospital: hospital, serviceDate: LedgerDate(service),
                filedOn: filed.isEmpty ? defaultFiledOn : LedgerDate(filed), totalCost: money("total_cost"),
                insuranceCovered: money("covered"), ownShare: money("own_share"), loss: money("loss"), grade: disabilityGrade,
                documents: documents.isEmpty ? [] : documents.split(separator: ";").map { String($0).trimmingSpaces() },
                diagnosis: diagnosis)
        } catch let error as LedgerInputError {
            throw error.row == nil ? error.at(row: row.row) : error
        }
    }
}
