import Ledger

/// The closing balances of a month: each account's cumulative debits and credits through
/// the month's last day, and the digest a `period.closed` event records of them.
///
/// The digest is SHA-256 of the canonical JSON
/// `{"accounts":[{"account":…,"creditFen":…,"debitFen":…},…],"period":"YYYY-MM","type":"huzhu-closing-balances-v1"}`,
/// accounts in code order, only accounts with a movement. An auditor recomputes it from
/// the events dated on or before the month's last day (docs/BUNDLE.md), so a closed
/// month's balances can be reproduced byte for byte, whatever happened since.
public struct ClosingBalances: Sendable, Hashable {
    public static let type = "huzhu-closing-balances-v1"

    public let period: Period
    public let totals: [AccountCode: AccountTotals]

    public init(period: Period, totals: [AccountCode: AccountTotals]) {
        self.period = period
        self.totals = totals.filter { $0.value.debit != .zero || $0.value.credit != .zero }
    }

    /// The balances the store holds through the month's last day.
    public init(period: Period, reader: any LedgerStoreReader) throws {
        self.init(period: period, totals: try reader.totals(from: nil, through: period.lastDay))
    }

    public var body: JSONValue {
        let accounts = totals.keys.sorted().map { code -> JSONValue in
            let line = totals[code]!
            return ["account": .string(code.value), "debitFen": .integer(line.debit.fen), "creditFen": .integer(line.credit.fen)]
        }
        return ["type": .string(ClosingBalances.type), "period": .string(period.text), "accounts": .array(accounts)]
    }

    public var digest: SHA256Hash {
        get throws { SHA256Hash.of(try CanonicalJSON.encode(body)) }
    }

    /// Total debits and credits over all accounts; equal when the books balance.
    public func sums() throws -> (debit: Money, credit: Money) {
        var debit = Money.zero
        var credit = Money.zero
        for line in totals.values {
            debit = try debit.adding(line.debit)
            credit = try credit.adding(line.credit)
        }
        return (debit, credit)
    }

    /// The summary a `period.closed` event carries.
    public var summary: JSONValue {
        get throws {
            let (debit, credit) = try sums()
            return ["digest": .string(try digest.hex), "accounts": .integer(Int64(totals.count)), "through": .string(period.lastDay.text),
                    "debitFen": .integer(debit.fen), "creditFen": .integer(credit.fen)]
        }
    }
}
