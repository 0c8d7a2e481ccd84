import Ledger

/// Reads a batch of claims from a CSV of insurance settlements (医保结算清单).
///
/// Columns: member, benefit, settlement_id (or invoice and hospital), service_date,
/// filed_on (default: the date given), total_cost, covered, own_share, loss, grade,
/// documents (separated by ';'), diagnosis. Amounts in yuan.
public final class ClaimFileReader {
    private let reader: CSVReader
    private let defaultFiledOn: LedgerDate
    /// Each column's position, found once in the header rather than for every field of every
    /// row; nil for a column the file lacks.
    private let columns: Columns

    private struct Columns {
        let member, benefit, settlementID, invoice, hospital, serviceDate, filedOn: Int?
        let totalCost, covered, ownShare, loss, grade, documents, diagnosis: Int?
    }

    /// The file, for messages.
    private let path: String

    public init(path: String, defaultFiledOn: LedgerDate) throws {
        reader = try CSVReader(path: path)
        self.path = path
        guard let header = reader.header, header.index(of: "member") != nil, header.index(of: "benefit") != nil,
              header.index(of: "service_date") != nil
        else {
            throw LedgerInputError(field: "file", value: path, reason: "the header needs at least member, benefit and service_date")
        }
        self.defaultFiledOn = defaultFiledOn
        columns = Columns(member: header.index(of: "member"), benefit: header.index(of: "benefit"),
                          settlementID: header.index(of: "settlement_id"), invoice: header.index(of: "invoice"),
                          hospital: header.index(of: "hospital"), serviceDate: header.index(of: "service_date"),
                          filedOn: header.index(of: "filed_on"), totalCost: header.index(of: "total_cost"),
                          covered: header.index(of: "covered"), ownShare: header.index(of: "own_share"), loss: header.index(of: "loss"),
                          grade: header.index(of: "grade"), documents: header.index(of: "documents"),
                          diagnosis: header.index(of: "diagnosis"))
    }

    public func next() throws -> ClaimInput? {
        guard let row = try reader.next() else { return nil }
        // The field of a column, trimmed; "" for a column the file lacks.
        func field(_ column: Int?) -> String {
            guard let column, column < row.fields.count else { return "" }
            return row.fields[column].trimmingSpaces()
        }
        let member = field(columns.member), benefit = field(columns.benefit), settlement = field(columns.settlementID)
        let invoice = field(columns.invoice), hospital = field(columns.hospital), service = field(columns.serviceDate)
        let filed = field(columns.filedOn), grade = field(columns.grade), documents = field(columns.documents)
        let diagnosis = field(columns.diagnosis)
        // A date named by its column, as the file's header spells it.
        func date(_ text: String, _ name: String) throws -> LedgerDate {
            do { return try LedgerDate(text) } catch { throw LedgerInputError(row: row.row, field: name, value: text, reason: error.reason) }
        }
        func money(_ column: Int?, _ name: String) throws -> Money? {
            let value = field(column)
            guard !value.isEmpty else { return nil }
            do { return try Money(parsing: value) } catch {
                throw LedgerInputError(row: row.row, field: name, value: value, reason: error.description)
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
                invoiceNumber: invoice, hospital: hospital, serviceDate: date(service, "service_date"),
                filedOn: filed.isEmpty ? defaultFiledOn : date(filed, "filed_on"), totalCost: money(columns.totalCost, "total_cost"),
                insuranceCovered: money(columns.covered, "covered"), ownShare: money(columns.ownShare, "own_share"),
                loss: money(columns.loss, "loss"), grade: disabilityGrade,
                documents: documents.isEmpty ? [] : documents.split(separator: ";").map { String($0).trimmingSpaces() },
                diagnosis: diagnosis)
        } catch let error as LedgerInputError {
            throw error.at(row: row.row).inFile(path)
        }
    }
}
