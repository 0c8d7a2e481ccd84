import Ledger

/// Every projection equals a fresh replay of the log: the pass replays each event through
/// the core and the domain projections into a new temporary ledger file, and then every
/// table of the ledger is compared row by row with the replay's (a database's tables are
/// first read into a second temporary file, so both stores are compared the same way). The events table's
/// index columns (kind, time, actor, date, idempotency key) are compared with each body as
/// the pass reads it, so the replay need not copy the log itself.
///
/// Generic by design: a domain's tables (members, claims, caps used) are compared the same
/// way as balances and keys, with no code here that knows them. A table the log does not
/// rebuild (members' personal data, erased on request) is named in `tablesNotReplayed`.
/// Event bodies, hashes and signatures are left to the chain check.
public struct ProjectionReplayCheck: AuditCheck {
    public let name = "books.replay"
    let replay: ReplayStore
    let attachedAs: String
    let tablesNotReplayed: Set<String>

    /// Differences reported per table and side; more only repeat the point.
    public static let differencesPerTableMax = 20
    /// Tables not compared in SQL: the Merkle nodes are checked one by one against the
    /// events by the chain check, and the events' columns against their bodies in `inspect`,
    /// which is cheaper than a second copy of either.
    public static let tablesCheckedElsewhere: Set<String> = ["merkle_nodes", "events"]

    /// `replay` must be attached to the reader the audit's `finish` gets, as `attachedAs`.
    public init(replay: ReplayStore, attachedAs: String, tablesNotReplayed: Set<String>) {
        self.replay = replay
        self.attachedAs = attachedAs
        self.tablesNotReplayed = tablesNotReplayed
    }

    public mutating func inspect(_ audited: AuditedEvent, into findings: inout [Finding]) {
        if let stored = audited.storedColumns {
            let expected = StoredEventColumns(of: audited.event)
            if stored != expected { findings.append(columnsFinding(stored: stored, expected: expected, seq: audited.seq)) }
        }
        do {
            try replay.add(audited)
        } catch {
            findings.append(Finding(.error, check: name, seqs: [audited.seq], "the replay could not write this event: \(error)"))
        }
    }

    public mutating func finish(_ context: AuditContext, into findings: inout [Finding]) throws {
        try replay.finish()
        for failure in replay.failures {
            findings.append(Finding(.error, check: name, seqs: [failure.seq], "the projections refuse this event on replay: \(failure.reason)"))
        }
        guard context.chainIntact else {
            findings.append(Finding(.info, check: name, "projections not compared: the chain is broken, so the replay stops early"))
            return
        }
        let skipping = ProjectionReplayCheck.tablesCheckedElsewhere.union(tablesNotReplayed)
        let limit = ProjectionReplayCheck.differencesPerTableMax
        let differences: [TableDifference]
        if let transaction = context.reader as? SQLiteLedgerStore.Transaction {
            differences = try transaction.differences(against: attachedAs, skipping: skipping, omitting: [:], limit: limit)
        } else if let rows = context.reader as? any TableRowReader {
            // A database's tables, read in the audit's snapshot, go into a file beside the replay.
            let mirror = try replay.mirror(of: rows, skipping: skipping)
            defer { mirror.removeFiles() }
            differences = try mirror.read(attaching: replay.path, as: attachedAs) {
                try $0.differences(against: attachedAs, skipping: skipping, omitting: [:], limit: limit)
            }
        } else {
            findings.append(Finding(.info, check: name, "projection comparison needs a store whose tables can be read; not run"))
            return
        }
        for difference in differences {
            let row = difference.row.joined(separator: ", ")
            switch difference.side {
            case .onlyInLedger:
                findings.append(Finding(.error, check: name, seqs: difference.seqs,
                                        "\(difference.table): the ledger has a row a replay of the log does not produce: \(row)"))
            case .onlyInReplay:
                findings.append(Finding(.error, check: name, seqs: difference.seqs,
                                        "\(difference.table): a replay of the log produces a row the ledger lacks: \(row)"))
            case .tableNotReplayed:
                findings.append(Finding(.warning, check: name, """
                    \(difference.table): no projection rebuilds this table from the log; if it is not a projection, \
                    name it among the tables not replayed
                    """))
            }
        }
    }

    /// An event whose stored index columns say something its body does not: a scan by kind,
    /// date or idempotency key would find the wrong events.
    func columnsFinding(stored: StoredEventColumns, expected: StoredEventColumns, seq: Int64) -> Finding {
        let pairs: [(String, String?, String?)] = [
            ("kind", stored.kind, expected.kind), ("time", stored.time, expected.time), ("actor", stored.actor, expected.actor),
            ("date", stored.date, expected.date), ("idempotency_key", stored.idempotencyKey, expected.idempotencyKey),
        ]
        let differing = pairs.filter { $0.1 != $0.2 }
            .map { "\($0.0) is \($0.1.map { "'\($0)'" } ?? "null") where the body says \($0.2.map { "'\($0)'" } ?? "null")" }
        return Finding(.error, check: name, seqs: [seq], "events: the stored columns differ from the event's body: " + differing.joined(separator: "; "))
    }
}
