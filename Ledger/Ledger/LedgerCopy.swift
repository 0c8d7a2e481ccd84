import Foundation

/// Moves a ledger from one store to another (a ledger file into PostgreSQL, or back), byte
/// for byte: every event keeps its body, signature, seq and hash, so the Merkle root and
/// every checkpoint are the same, and the projections are rebuilt from the events as an
/// append builds them.
///
/// The whole copy is one write transaction on the target, checked before it commits: the
/// target's log is verified from what arrived there (hashes, links, signatures, Merkle
/// nodes, checkpoints), and its root and checkpoints must equal the source's. A copy that
/// fails any of this, or stops for any other reason, leaves the target as empty as it was.
///
/// ```swift
/// let copy = LedgerCopy(policy: HuzhuLedger.policy, projections: HuzhuLedger.projections)
/// let copied = try copy.copy(from: fileStore, to: postgresStore)
/// ```
public struct LedgerCopy {
    public let policy: RolePolicy
    public let projections: [any EventProjection]
    /// Copies what a domain keeps beside the log and no event rebuilds (members' personal
    /// data), after the log and in the same transaction.
    public var copyOffLog: ((_ source: any LedgerStoreReader, _ target: any LedgerStoreWriter) throws -> Void)?

    public init(policy: RolePolicy, projections: [any EventProjection],
                copyOffLog: ((_ source: any LedgerStoreReader, _ target: any LedgerStoreWriter) throws -> Void)? = nil) {
        self.policy = policy
        self.projections = projections
        self.copyOffLog = copyOffLog
    }

    /// What arrived, as the target's own verification found it.
    public struct Copied: Sendable {
        public let ledgerID: String
        public let eventCount: Int64
        public let rootHash: SHA256Hash
        public let checkpoints: Int
        public let signaturesVerified: Int64
    }

    /// Why a copy was refused: the target's log, verified after the copy, is not the source's.
    public struct Refused: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { "the copy was not kept: \(reason)" }
    }

    /// Copies the ledger in `source` into `target`, which must hold no event. `progress` is
    /// called now and then with the events copied so far and the total, then once with the
    /// events verified on arrival (`verifying` true).
    public func copy(from source: any LedgerStore, to target: any LedgerStore,
                     progress: ((_ done: Int64, _ total: Int64, _ verifying: Bool) -> Void)? = nil) throws -> Copied {
        try source.read { reader in
            guard let info = try reader.ledgerInfo() else { throw LedgerStoreError.notALedger("the source") }
            let total = try reader.size()
            let sourceRoot = try MerkleFrontier(size: total, source: StoreNodeSource(reader)).root
            let sourceCheckpoints = try reader.checkpoints()
            return try target.write(shape: .bulk) { writer in
                guard try writer.size() == 0, try writer.ledgerInfo() == nil else {
                    throw LedgerInputError(field: "to", value: "", reason: "the target already holds a ledger; copy into a new file or an empty database")
                }
                try copyLog(reader, total: total, into: writer, progress: progress)
                try copyOffLog?(reader, writer)
                let report = try LogVerifier.verify(reader: writer, policy: policy) { done, total in progress?(done, total, true) }
                if let failure = report.firstFailure {
                    throw Refused(reason: "seq \(failure.seq) does not verify in the target: \(failure.reason)")
                }
                guard report.ledgerID == info.id, report.eventCount == total, report.rootHash == sourceRoot else {
                    throw Refused(reason: "the target's root \(report.rootHash.hex) at \(report.eventCount) events is not the source's \(sourceRoot.hex) at \(total)")
                }
                let targetCheckpoints = try writer.checkpoints()
                guard targetCheckpoints == sourceCheckpoints else {
                    throw Refused(reason: "the target holds \(targetCheckpoints.count) checkpoints where the source holds \(sourceCheckpoints.count), or they differ")
                }
                return Copied(ledgerID: info.id, eventCount: total, rootHash: report.rootHash,
                              checkpoints: report.checkpointsVerified, signaturesVerified: report.signaturesVerified)
            }
        }
    }

    /// Writes each event as it was signed, its Merkle nodes, and what the projections make
    /// of it; the per-day balances are summed in memory and written once, as an append does.
    /// The index columns come from the bodies, not from the source's columns.
    func copyLog(_ reader: any LedgerStoreReader, total: Int64, into writer: any LedgerStoreWriter,
                 progress: ((Int64, Int64, Bool) -> Void)?) throws {
        let core = CoreProjection()
        var frontier = MerkleFrontier()
        var dayTotals = DayTotals()
        try reader.forEachStoredEvent(from: 1, through: total) { stored in
            let event: RecordedEvent
            do {
                event = try RecordedEvent(body: stored.body, signature: stored.signature)
            } catch {
                throw Refused(reason: "seq \(stored.seq) in the source is not an event: \(error)")
            }
            guard event.seq == frontier.size + 1 else {
                throw Refused(reason: "the source's event at position \(frontier.size + 1) says it is seq \(event.seq)")
            }
            try writer.insert(StoredEvent(seq: event.seq, hash: event.hash, body: stored.body, signature: stored.signature),
                              kind: event.kind, time: event.time, actor: event.actor, date: event.date,
                              idempotencyKey: event.idempotencyKey)
            try frontier.append(event.hash) { level, index, hash in try writer.insertMerkleNode(level: level, index: index, hash: hash) }
            let postings = event.data["postings"] == nil ? [] : try event.postings()
            if let date = event.date {
                for posting in postings { try dayTotals.add(posting, on: date) }
            }
            if core.mayApply(to: event.kind) { try core.apply(event, postings: postings, to: writer) }
            for projection in projections where projection.mayApply(to: event.kind) {
                try projection.apply(event, postings: postings, to: writer)
            }
            if event.seq % 16384 == 0 { progress?(event.seq, total, false) }
            return true
        }
        guard frontier.size == total else {
            throw Refused(reason: "the source says it holds \(total) events but \(frontier.size) were read")
        }
        try dayTotals.write(to: writer)
        progress?(total, total, false)
    }
}
