/// An event the Ledger refuses to record: the input was well-formed, but the books'
/// rules forbid it. Nothing is written when one is thrown.
public enum LedgerRuleError: Error, Equatable, CustomStringConvertible {
    case unknownAccount(AccountCode)
    case closedAccount(AccountCode)
    case parentAccount(AccountCode)
    case accountExists(AccountCode)
    case unregisteredKey(KeyID)
    case revokedKey(KeyID, revokedSeq: Int64)
    case roleNotPermitted(KeyID, kind: EventKind, needs: [Role], has: [Role])
    case periodClosed(Period, date: LedgerDate)
    case noSuchEvent(seq: Int64)
    case notReversible(seq: Int64, reason: String)
    case alreadyReversed(seq: Int64, by: Int64)
    case idempotencyConflict(key: String, seq: Int64)
    case dateRequired(EventKind)
    case keyAlreadyRegistered(KeyID)
    case wrongLedger(expected: String, found: String)
    /// A plain entry (`entry.posted`, `entry.reversed`) with a line on an account a domain
    /// controls (`AccountControl`); `hint` says how the domain moves it instead.
    case controlledAccount(AccountCode, name: String, kind: EventKind, hint: String)
    /// The books' total of debits would pass ±(2^53 − 1) fen, past which a month's closing
    /// totals can no longer be written exactly in canonical JSON.
    case totalsOutOfRange(totalFen: Int64, addingFen: Int64)
    /// The event at `seq` is not what its signer signed (its row edited in the file, or a
    /// row no registered key signed), found by a domain about to act on it.
    case unsignedEvent(seq: Int64, reason: String)

    public var description: String {
        switch self {
        case let .unknownAccount(code):
            return "account \(code) does not exist; see `huzhu account list` or open it with `huzhu account open`"
        case let .closedAccount(code):
            return "account \(code) is closed and takes no postings"
        case let .parentAccount(code):
            return "account \(code) has sub-accounts; post to one of them instead"
        case let .accountExists(code):
            return "account \(code) is already open"
        case let .unregisteredKey(id):
            return "key \(id) is not registered in this ledger; an administrator registers it with `huzhu key register`"
        case let .revokedKey(id, seq):
            return "key \(id) was revoked at seq \(seq) and can no longer sign"
        case let .roleNotPermitted(id, kind, needs, has):
            let hasText = has.isEmpty ? "no role" : has.map(\.rawValue).joined(separator: ", ")
            return "key \(id) (\(hasText)) may not record \(kind); that needs the role \(needs.map(\.rawValue).joined(separator: " or "))"
        case let .periodClosed(period, date):
            return "the month \(period) is closed, so nothing dated \(date) can be recorded; date the correction in an open month"
        case let .noSuchEvent(seq):
            return "there is no event with seq \(seq)"
        case let .notReversible(seq, reason):
            return "event \(seq) cannot be reversed: \(reason)"
        case let .alreadyReversed(seq, by):
            return "event \(seq) was already reversed by event \(by)"
        case let .idempotencyConflict(key, seq):
            return "the idempotency key \"\(key)\" was already used by event \(seq) with different content"
        case let .dateRequired(kind):
            return "a \(kind) event that moves money needs a date"
        case let .keyAlreadyRegistered(id):
            return "key \(id) is already registered"
        case let .wrongLedger(expected, found):
            return "this event belongs to ledger \(found), not \(expected)"
        case let .totalsOutOfRange(total, adding):
            return "the books already hold \(Money(fen: total).formatted()) of debits; another \(Money(fen: adding).formatted()) would take them past \(Money(fen: JSONValue.integerMagnitudeMax).formatted()), the most a month's closing totals can state exactly"
        case let .unsignedEvent(seq, reason):
            return "event \(seq) \(reason): the ledger file has been changed outside huzhu; nothing was recorded; run `huzhu verify` and `huzhu audit`"
        case let .controlledAccount(code, name, kind, hint):
            return "account \(code) (\(name)) is one of the plan's controlled accounts, which a plain \(kind) signed by one key may not move; \(hint)"
        }
    }
}
