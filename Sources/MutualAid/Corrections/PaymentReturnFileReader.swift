import Ledger

/// One payment the bank sent back: a line of its return file (退票清单).
public struct ReturnedPayment: Sendable {
    public let claim: Int64
    /// Why the bank returned it (a closed account, a wrong card), as the books record it.
    public let reason: String
    /// The amount the bank says it returned; when given, it must be the payment's.
    public let amount: Money?
    /// The payment batch the bank names; when given, the payment must be of it.
    public let batch: String?
    /// The file's row, for errors; nil for a claim named on the command line.
    public let row: Int?

    public init(claim: Int64, reason: String, amount: Money? = nil, batch: String? = nil, row: Int? = nil) {
        self.claim = claim
        self.reason = reason
        self.amount = amount
        self.batch = batch
        self.row = row
    }
}

/// Reads the bank's return file: the payment file's lines the bank could not pay, each
/// with why.
///
/// Columns: `claim`, and optionally `reason` (else the reason given for the whole file),
/// `amount` (yuan) and `batch`, which are checked against the claim's payment. The
/// payment file's other columns (member, name, bank_card) may be left in; they are not
/// read, since the claim names the payment.
public enum PaymentReturnFileReader {
    public static func read(path: String, reason defaultReason: String?) throws -> [ReturnedPayment] {
        var lines: [ReturnedPayment] = []
        try ClaimRowsReader(path: path, columns: "reason, amount, batch").forEach { row, claim in
            guard let reason = row.optionalText("reason") ?? defaultReason?.trimmingSpaces(), !reason.isEmpty else {
                throw LedgerInputError(field: "reason", value: "", reason: "say why the bank returned it (a reason column, or --reason)")
            }
            var amount: Money?
            if let text = row.optionalText("amount") {
                do { amount = try Money(parsingPositive: text) } catch { throw LedgerInputError(field: "amount", value: text, reason: "\(error)") }
            }
            lines.append(ReturnedPayment(claim: claim, reason: reason, amount: amount, batch: row.optionalText("batch"), row: row.row))
        }
        return lines
    }
}
