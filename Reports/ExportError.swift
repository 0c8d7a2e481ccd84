/// Why an export could not be written.
public enum ExportError: Error, Equatable, CustomStringConvertible {
    case undatedEntry(seq: Int64)
    case unknownAccount(seq: Int64, account: String)
    /// The sums of the log's postings differ from the balance projection.
    case projectionMismatch(account: String, logFen: Int64, projectionFen: Int64)

    public var description: String {
        switch self {
        case let .undatedEntry(seq):
            return "event seq \(seq) moves money but has no date in the books; the log is damaged, run `huzhu verify`"
        case let .unknownAccount(seq, account):
            return "event seq \(seq) posts to account \(account), which is not in the chart; the log is damaged, run `huzhu verify`"
        case let .projectionMismatch(account, logFen, projectionFen):
            return "account \(account): the log's postings sum to \(logFen) fen but the balance projection holds \(projectionFen) fen; run `huzhu verify`"
        }
    }
}
