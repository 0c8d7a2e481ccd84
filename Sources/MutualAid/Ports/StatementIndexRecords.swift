import Ledger

/// One subject's entry in a statement index (FORMAT §10) as the books keep it: its place
/// among the index's leaves and its canonical JSON, whose leaf hash is the leaf there.
public struct KeptStatementEntry: Sendable, Hashable {
    public let subject: String
    public let entry: [UInt8]
    public let leaf: SHA256Hash

    public init(subject: String, entry: [UInt8], leaf: SHA256Hash) {
        self.subject = subject
        self.entry = entry
        self.leaf = leaf
    }
}

/// The newest statement index, kept beside its `statements.indexed` event so that a
/// member's statement proves its entry without recounting the log (a million members'
/// entries are read in well under a second; a recount reads every event).
///
/// Nothing here is trusted: a statement uses the kept leaves only when they give the root
/// the index event signed, and an entry only when it hashes to its leaf; otherwise it
/// recounts from the log, as it does for a ledger whose index was recorded before the books
/// kept one.
public protocol StatementIndexRecords {
    /// The kept index's leaves in order, when the books keep the index of `indexSeq`; else nil.
    func keptStatementLeaves(indexSeq: Int64) throws -> [SHA256Hash]?
    /// A subject's place and entry in the kept index of `indexSeq`, or nil.
    func keptStatementEntry(subject: String, indexSeq: Int64) throws -> (position: Int, entry: [UInt8])?
}
