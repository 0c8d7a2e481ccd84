import Ledger

/// Reconciles the bank account (银行存款余额调节) against the bank's own statement: every
/// movement the books record on the account should appear on the statement and the
/// other way round, and the balances should agree.
///
/// Lines are matched on date and signed amount (money in positive), which is what a bank
/// statement reliably carries; a movement in the books without a line is a warning (the
/// bank may not have booked it yet), as is a line without a movement; a difference in
/// the totals is an error.
public struct BankReconciliationCheck: AuditCheck {
    public let name = "bank"

    /// One line of the statement: money in is positive, money out negative.
    public struct StatementLine: Sendable, Hashable {
        public let row: Int
        public let date: LedgerDate
        public let amount: Money
        public let reference: String
    }

    let account: AccountCode
    let statement: [StatementLine]
    var movements: [(seq: Int64, date: LedgerDate, fen: Int64)] = []

    /// Lines kept in memory: a year of a busy office's statement is well under this.
    public static let statementLinesMax = 2_000_000

    public init(account: AccountCode, statement: [StatementLine]) {
        self.account = account
        self.statement = statement
    }

    /// Reads a statement CSV with the columns date, amount (signed yuan) and reference.
    public static func readStatement(path: String) throws -> [StatementLine] {
        let reader = try CSVReader(path: path)
        var lines: [StatementLine] = []
        while let row = try reader.next() {
            guard lines.count < statementLinesMax else {
                throw LedgerInputError(field: "statement", value: path, reason: "more than \(statementLinesMax) lines")
            }
            do {
                let date = try LedgerDate(try row.value("date").trimmingCharacters(in: .whitespaces))
                let text = try row.value("amount")
                let amount: Money
                do { amount = try Money(parsing: text, allowSign: true) } catch {
                    throw LedgerInputError(field: "amount", value: text, reason: error.description)
                }
                lines.append(StatementLine(row: row.row, date: date, amount: amount, reference: row["reference"] ?? ""))
            } catch let error as LedgerInputError {
                throw error.at(row: row.row)
            }
        }
        return lines
    }

    public mutating func inspect(_ audited: AuditedEvent, into findings: inout [Finding]) {
        guard audited.claimsPostings, let postings = try? audited.postings.get(), let date = audited.event.date else { return }
        let fen = postings.filter { $0.account == account }.reduce(Int64(0)) { $0 + ($1.side == .debit ? $1.amount.fen : -$1.amount.fen) }
        if fen != 0 { movements.append((audited.seq, date, fen)) }
    }

    public mutating func finish(_ context: AuditContext, into findings: inout [Finding]) throws {
        struct Key: Hashable { let date: LedgerDate; let fen: Int64 }
        var unmatchedLines: [Key: [StatementLine]] = [:]
        for line in statement { unmatchedLines[Key(date: line.date, fen: line.amount.fen), default: []].append(line) }
        var unmatchedMovements: [(seq: Int64, date: LedgerDate, fen: Int64)] = []
        for movement in movements {
            let key = Key(date: movement.date, fen: movement.fen)
            if var lines = unmatchedLines[key], !lines.isEmpty {
                lines.removeFirst()
                unmatchedLines[key] = lines
            } else {
                unmatchedMovements.append(movement)
            }
        }
        for movement in unmatchedMovements {
            findings.append(Finding(.warning, check: name, seqs: [movement.seq],
                                    "\(Money(fen: movement.fen).formatted()) on \(movement.date) in the books is not on the bank statement"))
        }
        for line in unmatchedLines.values.flatMap({ $0 }).sorted(by: { $0.row < $1.row }) {
            findings.append(Finding(.warning, check: name,
                                    "statement row \(line.row): \(line.amount.formatted()) on \(line.date) (\(line.reference)) is not in the books"))
        }
        let books = movements.reduce(Int64(0)) { $0 + $1.fen }
        let bank = statement.reduce(Int64(0)) { $0 + $1.amount.fen }
        if books != bank {
            findings.append(Finding(.error, check: name,
                                    "the books show \(Money(fen: books).formatted()) on \(account), the bank statement \(Money(fen: bank).formatted()): a difference of \(Money(fen: books - bank).formatted())"))
        }
    }
}
