/// Whether a write transaction lets other processes read the ledger file while it runs:
/// what the SQLite store makes of a write's `WriteShape` under its `BulkWriteModes`.
///
/// A command that appends a few events keeps the file open to readers. A batch read from
/// a file (a settlement file of a million claims, a unit's roster) writes far more than the
/// page cache holds, and in SQLite's WAL mode writes every page twice: into the WAL as the
/// cache spills, then into the database file when the WAL is checkpointed at the commit.
/// Taking the file for itself, the batch writes each page once, straight into the
/// database file, journalling only the pages it changes (rollback journal).
enum WriteSharing: Sendable, Equatable {
    /// Readers in other processes go on reading the last commit while the transaction runs.
    case concurrentReaders
    /// When no other connection has the file open, the transaction takes it for itself:
    /// others wait for the commit (up to `SQLiteLedgerStore.busyTimeout`) and then see the
    /// batch whole. When the file is in use, the transaction runs as `concurrentReaders`
    /// rather than wait. A failure or a crash still leaves the ledger as it was; the journal
    /// rolls the file back.
    case exclusiveWhenAlone
    /// `exclusiveWhenAlone`, and the batch's pages are written out and dropped from the page
    /// cache as it goes (`BatchPageRelease`). For a batch whose pages are not soon read
    /// again: a settlement file's claims. Not for a roster, whose members every claim then
    /// looks up, nor for journal entries, which `huzhu verify` reads back; measured on
    /// 2026-12-02 (docs/PERFORMANCE.md as of that day, in git: `git log -- docs/PERFORMANCE.md`).
    case exclusiveWhenAloneReleasingPages
}
