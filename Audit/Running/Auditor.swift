import Foundation
import Ledger

/// Runs the full-coverage audit of a ledger: one streaming pass over the log through the
/// chain rules and every check, then each check's conclusions, in one read snapshot.
///
/// ```swift
/// let report = try Auditor(ledger: ledger).run()
/// print(report.text)
/// if !report.hasErrors, let checkpoint = report.checkpoint { … save AuditState … }
/// ```
///
/// Cost: signatures are checked on every core while the pass reads on; everything else
/// is one sequential read, plus, in a full audit, the replay of the projections (balances
/// in memory, the rest written to a scratch file) and one SQL comparison per table. An incremental audit (`since`) reads only the events
/// after the checkpoint an earlier audit verified, and skips the replay.
public struct Auditor {
    public struct Options {
        /// Resume after the checkpoint this state records (`--since-checkpoint`); nil for a full audit.
        public var since: AuditState?
        /// Compare every projection with a fresh replay (full audits only).
        public var replay = true
        /// Where the replay's scratch file goes; the system's temporary folder when nil.
        public var scratchDirectory: String?
        /// Tables of the ledger file that are not projections of the log.
        public var tablesNotReplayed: Set<String> = []
        /// Prepares the replay's fresh store before any event (a domain creating its tables).
        public var prepareReplay: ((SQLiteLedgerStore) throws -> Void)?
        /// Checks beyond the ledger's own: the mutual-aid domain's claims, contributions, coverage.
        public var domainChecks: [any AuditCheck] = []
        /// The typed values of the kinds the ledger records, which `events.format` holds every event to.
        public var eventValues = EventValueCatalog.ledgerCore
        /// Called now and then with the events read so far and the log's size, then once
        /// with (size, size) when the checks draw their conclusions.
        public var progress: ((_ done: Int64, _ total: Int64) -> Void)?

        public init() {}
    }

    public let ledger: Ledger
    public let options: Options

    /// The alias the replay file is attached under in the audit's read connection.
    static let replayAlias = "replay"

    public init(ledger: Ledger, options: Options = Options()) {
        self.ledger = ledger
        self.options = options
    }

    /// The checks of a general signed double-entry ledger, in report order (after `chain`).
    public static func ledgerChecks() -> [any AuditCheck] {
        [CheckpointConsistencyCheck(), EntryBalanceCheck(), ReversalCheck(), TrialBalanceCheck(), PeriodCheck(), CanonicalBodyCheck(),
         EventFormatCheck(), IdempotencyKeyCheck()]
    }

    public func run() throws -> AuditReport {
        let started = Date()
        let sqlite = ledger.store as? SQLiteLedgerStore
        var replay: ReplayStore?
        if options.replay, options.since == nil {
            replay = try ReplayStore(directory: options.scratchDirectory, projections: ledger.projections, prepare: options.prepareReplay)
        }
        defer { replay?.remove() }
        let audit = { (reader: any LedgerStoreReader) throws -> AuditReport in
            try self.audit(reader, replay: replay, started: started)
        }
        if let sqlite, let replay {
            return try sqlite.read(attaching: replay.path, as: Auditor.replayAlias) { try audit($0) }
        }
        return try ledger.store.read(audit)
    }

    func audit(_ reader: any LedgerStoreReader, replay: ReplayStore?, started: Date) throws -> AuditReport {
        let ledgerID = try reader.ledgerInfo()?.id ?? ""
        let size = try reader.size()
        let checkpoints = try reader.checkpoints()
        var opening: [Finding] = []
        var prefix: VerifiedPrefix?
        if let state = options.since {
            guard state.ledgerID == ledgerID else {
                throw LedgerInputError(field: "audit state", value: state.ledgerID,
                                       reason: "records an audit of another ledger; pass --state for this ledger's, or audit in full")
            }
            do {
                prefix = try VerifiedPrefix.rebuild(reader: reader, ledgerID: ledgerID, size: state.treeSize, root: state.rootHash)
            } catch let error as VerifiedPrefixError {
                opening.append(Finding(.error, check: "checkpoints", seqs: [error.seq], """
                    the log no longer matches the checkpoint the last audit verified (tree size \(state.treeSize), root \
                    \(state.rootHash.hex.prefix(16))…): \(error.reason); the history was rewritten since. Audited in full instead
                    """))
            }
        }
        var checks = Auditor.ledgerChecks() + options.domainChecks
        var skipped: [String] = []
        if let replay, prefix == nil {
            checks.append(ProjectionReplayCheck(replay: replay, attachedAs: Auditor.replayAlias, tablesNotReplayed: options.tablesNotReplayed))
        } else {
            skipped.append("books.replay")
            opening.append(Finding(.info, check: "books.replay", prefix != nil
                ? "not run in an incremental audit: a full audit compares every projection with a replay of the log"
                : "not run (disabled)"))
        }
        let verification = LogVerificationPass(ledgerID: ledgerID, policy: ledger.policy, checkpoints: checkpoints,
                                               storedNodes: StoreNodeSource(reader), resuming: prefix)
        var pass = AuditPass(verification: verification, checks: checks, eventValues: options.eventValues)
        pass.findings = opening
        let firstSeq = (prefix?.size ?? 0) + 1
        try pass.begin(AuditContext(reader: reader, ledgerID: ledgerID, firstSeq: firstSeq, prefix: prefix, lastSeq: firstSeq - 1,
                                    root: prefix?.frontier.root ?? MerkleHashing.emptyRoot, chainIntact: true))
        if prefix == nil {
            // The replay and the idempotency check compare the events' index columns with their bodies as they pass.
            try reader.forEachStoredEventWithColumns(from: firstSeq, through: size) {
                let keepGoing = pass.feed($0, columns: $1)
                if $0.seq % 4096 == 0 { options.progress?($0.seq - firstSeq + 1, size - firstSeq + 1) }
                return keepGoing
            }
        } else {
            try reader.forEachStoredEvent(from: firstSeq, through: size) {
                let keepGoing = pass.feed($0)
                if $0.seq % 4096 == 0 { options.progress?($0.seq - firstSeq + 1, size - firstSeq + 1) }
                return keepGoing
            }
        }
        options.progress?(size - firstSeq + 1, size - firstSeq + 1)
        let intact = !pass.verification.chainBroken
        let verified = try pass.finish(claimedSize: size) { report in
            AuditContext(reader: reader, ledgerID: ledgerID, firstSeq: firstSeq, prefix: prefix, lastSeq: report.eventCount,
                         root: report.rootHash, chainIntact: intact)
        }
        let restsOn = checkpoints.last { $0.checkpoint.treeSize <= verified.eventCount && $0.seq <= verified.eventCount }
        return AuditReport(ledgerID: ledgerID, scope: prefix.map { .sinceCheckpoint(treeSize: $0.size) } ?? .full,
                           firstSeq: firstSeq, treeSize: verified.eventCount, rootHash: verified.rootHash, checkpoint: restsOn,
                           checks: pass.checkNames + skipped, findings: pass.findings,
                           signaturesVerified: verified.signaturesVerified, checkpointsVerified: verified.checkpointsVerified,
                           seconds: Date().timeIntervalSince(started))
    }
}

extension AuditState {
    /// The state a clean audit leaves for the next incremental one: the checkpoint the
    /// report rests on. Nil when the report has errors (nothing was verified to rest on)
    /// or no checkpoint.
    public init?(after report: AuditReport, at time: EventTime = .now()) {
        guard !report.hasErrors, let checkpoint = report.checkpoint else { return nil }
        self.init(ledgerID: report.ledgerID, checkpoint: checkpoint, auditedAt: time)
    }
}
