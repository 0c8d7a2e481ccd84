import Ledger

/// Reads a decisions file: the claims an approver decides in one batch, one per row.
///
/// Columns: `claim` (its id), and optionally `amount` (yuan: a lower approved amount than
/// the assessment) and `reason` (why it is lower, why the claim is rejected, or the
/// reviewer's note). A row that names a claim twice, or an amount for any decision but
/// an approval, is refused naming its row, before anything is recorded.
public enum ClaimDecisionFileReader {
    public static func read(path: String, kind: ClaimDecisionKind) throws -> [NamedClaimDecision] {
        var decisions: [NamedClaimDecision] = []
        try ClaimRowsReader(path: path, columns: "amount, reason").forEach { row, claim in
            var amount: Money?
            if let text = row.optionalText("amount") {
                guard kind == .approve else { throw LedgerInputError(field: "amount", value: text, reason: "only an approval takes an amount") }
                do { amount = try Money(parsing: text) } catch { throw LedgerInputError(field: "amount", value: text, reason: "\(error)") }
            }
            decisions.append(NamedClaimDecision(claim: claim, amount: amount, reason: row.optionalText("reason"), row: row.row))
        }
        return decisions
    }
}
