/// Store failures that are not bad input: the file is not what the Ledger wrote.
public enum LedgerStoreError: Error, CustomStringConvertible {
    case missingMerkleNode(level: Int, index: Int64)
    case notALedger(String)
    /// A write to a ledger this process may only read.
    case readOnly(String)
    /// A read-only ledger whose tables an older Huzhu wrote.
    case needsUpgrade(String)
    /// The store lacks what a caller needs of it (a domain's tables), said in full.
    case unsupported(String)

    public var description: String {
        switch self {
        case let .readOnly(path):
            return "\(path) is read-only for this user: commands that only read it (verify, audit, reports, lists) work, this one writes; run it where the ledger is writable"
        case let .needsUpgrade(path):
            return "\(path) was written by an older huzhu and is read-only for this user; open it once where it is writable (any command upgrades it), then read it here"
        case let .missingMerkleNode(level, index):
            return "the Merkle node at level \(level), index \(index) is missing from the store"
        case let .unsupported(sentence):
            return sentence
        case let .notALedger(path):
            return "\(path) is not a Huzhu ledger (it has no ledger.created event)"
        }
    }
}
