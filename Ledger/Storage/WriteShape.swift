/// What a write transaction is, as the code that makes it knows it: a command's few events,
/// or a file's worth. A fact about the work, not a mode of any store: each store decides
/// what a shape asks of it. The SQLite store's `SQLiteLedgerStore.BulkWriteModes` say what
/// a file's worth gets there (the rollback journal, pages released as it goes); the
/// PostgreSQL store writes every shape alike.
public enum WriteShape: Sendable, Equatable {
    /// A command's events: other processes go on reading the ledger meanwhile.
    case command
    /// A file's worth of events whose pages the next commands read again (a unit's roster,
    /// whose members every claim then looks up; a journal file, which `huzhu verify` reads
    /// back; a ledger copied in).
    case bulk
    /// A file's worth of events whose pages are not soon read again (a settlement file's claims).
    case bulkWrittenOnce
}
