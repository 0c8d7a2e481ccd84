import Ledger

/// Reads a unit's roster (花名册) as spreadsheets in China export it: CSV in UTF-8 or
/// GB18030, with English or Chinese column names.
///
/// Columns: name/姓名, resident_id/身份证号, and optionally phone/手机号,
/// bank_card/银行卡号, enrolled_on/入会日期 (default: the date given to the command), and in
/// a renewal's changes file change/变动 (`RosterChange`).
public final class RosterReader {
    private let reader: CSVReader
    private let columns: (name: Int, id: Int, phone: Int?, card: Int?, date: Int?, change: Int?)
    private let defaultDate: LedgerDate
    /// The file, and its columns as the header spells them, for messages.
    private let path: String
    private let header: [String]

    static let aliases: [String: [String]] = [
        "name": ["name", "姓名"], "resident_id": ["resident_id", "身份证号", "身份证号码", "证件号码"],
        "phone": ["phone", "手机号", "手机", "联系电话"], "bank_card": ["bank_card", "银行卡号", "银行账号"],
        "enrolled_on": ["enrolled_on", "入会日期", "参加日期"], "change": ["change", "变动", "变动类型"],
    ]

    public init(path: String, defaultDate: LedgerDate) throws {
        reader = try CSVReader(path: path)
        guard let header = reader.header else {
            throw LedgerInputError(field: "roster", value: path, reason: "the file has no header row")
        }
        func column(_ key: String) -> Int? {
            RosterReader.aliases[key]!.lazy.compactMap { header.index(of: $0) }.first
        }
        guard let name = column("name"), let id = column("resident_id") else {
            throw LedgerInputError(field: "roster", value: path, reason: "the header needs the columns name (姓名) and resident_id (身份证号)")
        }
        columns = (name, id, column("phone"), column("bank_card"), column("enrolled_on"), column("change"))
        self.defaultDate = defaultDate
        self.path = path
        self.header = header.names
    }

    /// The next row, or nil at the end. A row the CSV reader cannot read stops the batch.
    public func next() throws -> EnrolmentRow? {
        try nextChange()?.row
    }

    /// The next row of a renewal's changes file and what it changes (a joiner when the
    /// file has no change/变动 column or the cell is empty), or nil at the end.
    public func nextChange() throws -> (row: EnrolmentRow, change: RosterChange)? {
        guard let row = try reader.next() else { return nil }
        var change = RosterChange.join
        if let index = columns.change {
            let cell = row[index].trimmingSpaces()
            guard let parsed = RosterChange(cell: cell) else {
                throw LedgerInputError(row: row.row, field: header[index], value: cell,
                                       reason: "a change is join (加入) or leave (退出)").inFile(path)
            }
            change = parsed
        }
        var date = defaultDate
        if let index = columns.date, !row[index].trimmingSpaces().isEmpty {
            do { date = try LedgerDate(row[index].trimmingSpaces()) } catch {
                throw LedgerInputError(row: row.row, field: header[index], value: error.value, reason: error.reason).inFile(path)
            }
        }
        return (EnrolmentRow(row: row.row, name: row[columns.name], residentID: row[columns.id],
                             phone: columns.phone.map { row[$0] } ?? "", bankCard: columns.card.map { row[$0] } ?? "",
                             enrolledOn: date), change)
    }
}

/// What a row of a renewal's changes file does: a joiner is enrolled for the new year, a
/// leaver (one of last year's members) is not renewed.
public enum RosterChange: String, Sendable {
    case join, leave

    /// The cell as offices write it; empty is a joiner.
    init?(cell: String) {
        switch cell.lowercased() {
        case "", "join", "加入", "新增", "增加": self = .join
        case "leave", "退出", "减少", "离开": self = .leave
        default: return nil
        }
    }
}
