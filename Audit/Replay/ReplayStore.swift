import Foundation
import Ledger

/// A fresh, temporary ledger file that the log is replayed into: the core and domain
/// projections applied to every event exactly as the append path applies them, so its
/// tables are what the log says the ledger's tables must be.
///
/// The events themselves are not copied (the log is the ledger file's own; the audit
/// compares each event's index columns with its body as it reads), and the per-day
/// balances are summed in memory and written once at the end, as the append path does:
/// an event that touches no other projection costs a few dictionary updates.
///
/// Writes go in batches of `batchSize` events, one transaction each, so memory stays flat
/// whatever the size of the log. The file is removed by `remove()`.
public final class ReplayStore {
    public let path: String
    public let store: SQLiteLedgerStore
    let projections: [any EventProjection]
    let directory: String
    let prepare: ((SQLiteLedgerStore) throws -> Void)?
    let core = CoreProjection()
    var pending: [AuditedEvent] = []
    var dayTotals = DayTotals()
    /// Why an event could not be applied, by seq: the log holds something its projections refuse.
    public private(set) var failures: [(seq: Int64, reason: String)] = []

    /// Events per replay transaction: large enough that commits are a small part of the
    /// cost, small enough that a batch's bodies stay a few megabytes.
    public static let batchSize = 4096

    /// Creates the file in `directory` (a new temporary folder when nil). `prepare` runs
    /// on the new store before any event, for a domain that must create its tables.
    public init(directory: String?, projections: [any EventProjection],
                prepare: ((SQLiteLedgerStore) throws -> Void)? = nil) throws {
        let folder = directory ?? NSTemporaryDirectory()
        path = folder + "/huzhu-replay-" + UUID().uuidString + ".db"
        store = try SQLiteLedgerStore(path: path, create: true)
        self.projections = projections
        self.directory = folder
        self.prepare = prepare
        try prepare?(store)
    }

    /// A second fresh file with the replay's tables, filled with the rows `source` holds in
    /// them but `skipping`: a ledger that is not in a file (PostgreSQL) is compared with the
    /// replay through it, by the same comparison as a ledger file. The caller removes it.
    public func mirror(of source: any TableRowReader, skipping: Set<String>) throws -> SQLiteLedgerStore {
        let mirror = try SQLiteLedgerStore(path: directory + "/huzhu-mirror-" + UUID().uuidString + ".db", create: true)
        do {
            try prepare?(mirror)
            try mirror.copyRows(from: source, skipping: skipping)
            return mirror
        } catch {
            mirror.removeFiles()
            throw error
        }
    }

    /// Adds one event's postings to the day totals, and queues it for the projections
    /// that act on its kind (none, for a plain entry); writes a batch when enough are queued.
    public func add(_ audited: AuditedEvent) throws {
        let event = audited.event
        if let date = event.date, case let .success(postings) = audited.postings {
            for posting in postings {
                try? dayTotals.add(posting, on: date)
            }
        }
        guard core.mayApply(to: event.kind) || projections.contains(where: { $0.mayApply(to: event.kind) }) else { return }
        pending.append(audited)
        if pending.count >= ReplayStore.batchSize { try flush() }
    }

    /// Writes everything queued, and the per-day account totals, which the append path
    /// also writes once per transaction.
    public func finish() throws {
        try flush()
        try store.write { writer in try dayTotals.write(to: writer) }
    }

    func flush() throws {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        var failed: [(Int64, String)] = []
        try store.write { writer in
            for audited in batch {
                let event = audited.event
                let postings = (try? audited.postings.get()) ?? []
                do {
                    try core.apply(event, postings: postings, to: writer)
                    for projection in projections { try projection.apply(event, postings: postings, to: writer) }
                } catch {
                    failed.append((event.seq, "\(error)"))
                }
            }
        }
        failures += failed
    }

    /// Deletes the file and its WAL companions.
    public func remove() {
        store.removeFiles()
    }
}
