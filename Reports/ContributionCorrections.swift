import GRDB
import Ledger
import MutualAid

/// The bills, receipts, refunds and subsidies reversed in a span of days
/// (`contribution.reversed`, `subsidy.reversed` dated in it), summed by what they undo.
///
/// A reversal posts its step's lines on the opposite sides, so on the accounts alone a
/// reversed receipt looks like a bill (a debit of the units' receivable) and a reversed
/// bill like a receipt. The fund report takes these sums out of its lines billed, received
/// and refunded, which then say what their names say, net of corrections, in the month of
/// the correction. Read through the partial index `events_contribution_reversals_by_date`.
struct ContributionCorrections: Sendable {
    /// The unit's part of bills reversed, and the union subsidy's part.
    var billUnit = Money.zero
    var billSubsidy = Money.zero
    var receipts = Money.zero
    var refunds = Money.zero
    var subsidies = Money.zero

    static let sql = """
        SELECT json_extract(CAST(body AS TEXT), '$.data.reversedKind'),
               sum(coalesce(json_extract(CAST(body AS TEXT), '$.data.unitFen'), 0)),
               sum(coalesce(json_extract(CAST(body AS TEXT), '$.data.subsidyFen'), 0)),
               sum(coalesce(json_extract(CAST(body AS TEXT), '$.data.amountFen'), 0))
        FROM events WHERE kind IN ('contribution.reversed', 'subsidy.reversed') AND date >= ? AND date <= ?
        GROUP BY 1
        """

    init() {}

    init(db: Database, from: LedgerDate, through: LedgerDate) throws {
        for row in try Row.fetchAll(db, sql: ContributionCorrections.sql, arguments: [from.text, through.text]) {
            let unitFen: Int64 = row[1], subsidyFen: Int64 = row[2], amount = Money(fen: row[3])
            switch row[0] as String? {
            case MutualAidKinds.contributionBilled.name:
                billUnit = Money(fen: unitFen)
                billSubsidy = Money(fen: subsidyFen)
            case MutualAidKinds.contributionReceived.name: receipts = amount
            case MutualAidKinds.contributionRefunded.name: refunds = amount
            case MutualAidKinds.subsidyReceived.name: subsidies = amount
            default: break
            }
        }
    }
}
