import GRDB

/// The claims register's secondary indexes, set aside while a large batch of claims is
/// filed and rebuilt once at its end, inside the same transaction.
///
/// Each filed claim would otherwise insert an entry into every index on `claims` (by
/// member, state, filing day and unit), each a search from the root of its B-tree. In a
/// batch of a million claims, among the event and cap writes, those four searches cost
/// about 10 µs a claim: more than a quarter of the filing thread. `CREATE INDEX` instead
/// sorts the table once and fills the pages in order: 1.9–2.3 s for all four over a
/// million claims (docs/PERFORMANCE.md).
///
/// Rebuilding covers every claim in the table, not only the batch's, so it pays only when
/// the batch is at least as large as what was there before it: `shouldSuspend` waits until
/// the batch has filed `minimumBatch` claims and as many as the table held when it began.
/// Nothing in the filing path reads these indexes. Because the drop and the rebuild are
/// part of the batch's transaction, a batch that fails rolls back to the indexes as they
/// were, and other connections never see the table without them.
struct DeferredClaimIndexes {
    /// The smallest batch worth a rebuild: below 20,000 claims the saving is a fraction of
    /// a second. Tests lower it for the batches they file (`$smallestBatch.withValue`).
    @TaskLocal static var smallestBatch = 20_000

    let minimumBatch: Int

    init() {
        minimumBatch = Self.smallestBatch
        precondition(minimumBatch > 0, "a batch files at least one claim before it can set indexes aside")
    }

    /// The `CREATE INDEX` statements of the indexes set aside, exactly as the schema had
    /// them, so the rebuild restores what migrations made.
    private var suspended: [String] = []
    /// Whether indexes are set aside, to be rebuilt.
    var isSuspended: Bool { !suspended.isEmpty }
    private var hasSuspended = false
    /// Claims in the table before the batch began; counted once, when the batch first
    /// reaches `minimumBatch`.
    private var claimsBefore: Int?

    /// Whether the batch, having recorded `filed` new claims so far (repeats of claims on
    /// file add no rows), should set the indexes aside now. Cheap to call after every
    /// claim: it looks only at every thousandth, and counts the table once.
    mutating func shouldSuspend(filed: Int, db: Database) throws -> Bool {
        guard !hasSuspended, filed >= minimumBatch, filed % min(1_000, minimumBatch) == 0 else { return false }
        let before: Int
        if let claimsBefore {
            before = claimsBefore
        } else {
            before = max(0, (try Int.fetchOne(db, sql: "SELECT count(*) FROM claims") ?? 0) - filed)
            claimsBefore = before
        }
        return filed >= before
    }

    /// Drops every full index on `claims` that a schema statement made, remembering how to
    /// make each again. The primary key stays, and so do partial indexes (claims approved,
    /// claims paid): a newly filed claim has no entry in them, so they cost a batch nothing.
    mutating func suspend(db: Database) throws {
        hasSuspended = true
        let indexes = try Row.fetchAll(db, sql: """
            SELECT s.name, s.sql FROM pragma_index_list('claims') i JOIN sqlite_schema s ON s.name = i.name
            WHERE i.origin = 'c' AND i.partial = 0 ORDER BY s.name
            """)
        for index in indexes {
            let name: String = index[0]
            try db.execute(sql: "DROP INDEX \(name.quotedDatabaseIdentifier)")
            suspended.append(index[1])
        }
    }

    /// Builds again every index `suspend` dropped.
    mutating func rebuild(db: Database) throws {
        for statement in suspended { try db.execute(sql: statement) }
        suspended.removeAll()
    }
}
