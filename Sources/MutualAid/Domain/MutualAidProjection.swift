import Ledger

/// Keeps the mutual-aid tables in step with the log, inside the same transaction.
///
/// A pure function of the events: replaying the log into an empty file rebuilds every
/// table here exactly (the personal-data tables excepted, which are not projections).
public struct MutualAidProjection: EventProjection {
    public init() {}

    /// The domain's kinds: everything it records is named by one of these prefixes.
    public func mayApply(to kind: EventKind) -> Bool {
        ["plan.", "unit.", "member.", "contribution.", "subsidy.", "claim."].contains { kind.name.hasPrefix($0) }
    }

    public func apply(_ event: RecordedEvent, postings: [Posting], to writer: any LedgerStoreWriter) throws {
        guard mayApply(to: event.kind), let type = MutualAidEvents.byKind[event.kind] else { return }
        try Self.project(type, event, postings: postings, writer: writer)
    }

    /// Reads `event` as a `Value` and projects it; generic, so the value is not boxed as
    /// an existential for each of a batch's million events.
    private static func project<Value: MutualAidEvent>(_ type: Value.Type, _ event: RecordedEvent, postings: [Posting],
                                                       writer: any LedgerStoreWriter) throws {
        try Value(EventFields(event, postings: postings)).project(event, tables: try mutualAidTables(writer), writer: writer)
    }
}
