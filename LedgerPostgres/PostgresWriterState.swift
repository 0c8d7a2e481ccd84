import Ledger
import PostgresNIO

/// What an append reads as it begins, read in one statement once the write holds
/// `ledger_lock`: the last event (to check the head the lock's row keeps), the closed
/// months, the keys and the accounts. On a server every read is a round trip, and an
/// append of one entry would otherwise spend five on them (the head, the months, the
/// signer's key, and each posting's account and its subaccounts). The tables are small (a
/// chart's accounts, an office's keys), and no other writer can change them while this one
/// holds the lock; this transaction's own changes are applied to the copy as it makes them.
struct PostgresWriterState {
    var last: (seq: Int64, hash: SHA256Hash)?
    var closedPeriods: [Period: Int64] = [:]
    var keys: [KeyID: RegisteredKey] = [:]
    var accounts: [String: Account] = [:]

    /// One tagged row per fact: (tag, a, b, c, bytes, n1, n2).
    static let sql = """
        SELECT 'head' AS tag, NULL::text AS a, NULL::text AS b, NULL::text AS c, hash AS h, seq AS n1, NULL::bigint AS n2
          FROM (SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1) AS last
        UNION ALL SELECT 'period', period, NULL, NULL, NULL, seq, NULL FROM closed_periods
        UNION ALL SELECT 'key', key_id, roles, holder, public_key, registered_seq, revoked_seq FROM keys
        UNION ALL SELECT 'account', code, name, type, NULL, opened_seq, closed_seq FROM accounts
        """

    init(rows: [PostgresRandomAccessRow]) throws {
        for row in rows {
            let n1 = try row[5].decode(Int64?.self), n2 = try row[6].decode(Int64?.self)
            switch try row[0].decode(String.self) {
            case "head":
                last = (n1 ?? 0, try SHA256Hash(bytes: try PostgresLedgerStore.Transaction.bytes(row[4])))
            case "period":
                if let period = try? Period(try row[1].decode(String.self)), let n1 { closedPeriods[period] = n1 }
            case "key":
                let id = try KeyID(try row[1].decode(String.self))
                keys[id] = RegisteredKey(id: id, publicKey: try PublicKey(rawBytes: try PostgresLedgerStore.Transaction.bytes(row[4])),
                                         roles: PostgresLedgerStore.Transaction.roles(try row[2].decode(String.self)), holder: try row[3].decode(String.self), registeredSeq: n1 ?? 0, revokedSeq: n2)
            default:
                let code = try row[1].decode(String.self)
                accounts[code] = Account(code: try AccountCode(code), name: try row[2].decode(String.self),
                                         type: AccountType(rawValue: try row[3].decode(String.self)) ?? .asset, openedSeq: n1 ?? 0, closedSeq: n2)
            }
        }
    }

    /// Whether an account's code is the prefix of a longer one, compared as the store's
    /// SQL compares them (bytes, `code > c AND code < c || ':'`).
    func hasSubaccounts(_ code: String) -> Bool {
        let low = Array(code.utf8), high = Array((code + ":").utf8)
        return accounts.keys.contains { other in
            let bytes = Array(other.utf8)
            return bytes.count > low.count && low.lexicographicallyPrecedes(bytes) && bytes.lexicographicallyPrecedes(high)
        }
    }
}
