import Ledger

/// One event that moves money, as the journal exports write it: a posted entry, a
/// reversal, or any domain event with postings (a claim approved, a payment made).
public struct ExportedEntry: Sendable {
    public let seq: Int64
    public let kind: EventKind
    public let date: LedgerDate
    public let hash: SHA256Hash
    /// What the entry is for: the memo, or for a reversal "冲销 seq N：reason".
    public let narration: String
    public let reference: String?
    /// The seq this entry reverses, for `entry.reversed`.
    public let reverses: Int64?
    public let postings: [Posting]
    /// Each posting's account as the journal names it (`Assets:102:10201`), in order.
    public let accountNames: [String]

    /// The entry of `event`, or nil when it moves no money. `names` maps every account of
    /// the chart to its journal name.
    public init?(_ event: RecordedEvent, names: [AccountCode: String]) throws {
        let postings = try event.postings()
        guard !postings.isEmpty else { return nil }
        guard let date = event.date else {
            throw ExportError.undatedEntry(seq: event.seq)
        }
        self.seq = event.seq
        self.kind = event.kind
        self.date = date
        self.hash = event.hash
        self.postings = postings
        self.accountNames = try postings.map { posting in
            guard let name = names[posting.account] else { throw ExportError.unknownAccount(seq: event.seq, account: posting.account.value) }
            return name
        }
        self.reference = event.idempotencyKey
        self.reverses = event.data["reverses"]?.integerValue
        let memo = event.data["memo"]?.stringValue ?? event.data["reason"]?.stringValue ?? ""
        if let reverses {
            narration = "冲销 seq \(reverses)：" + (event.data["reason"]?.stringValue ?? "")
        } else {
            narration = memo.isEmpty ? event.kind.name : memo
        }
    }
}
