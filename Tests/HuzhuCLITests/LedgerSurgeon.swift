import Foundation
import GRDB
import Ledger

/// Rewrites a ledger file as an insider who holds every private key could: edits an
/// event, then re-links, re-hashes and re-signs every event after it, re-signs the
/// checkpoints they carry, and rebuilds the Merkle nodes and the balances, so that only
/// what the edit itself breaks remains for the audit to find.
struct LedgerSurgeon {
    /// The fields of an event that an edit may change.
    struct Fields {
        var kind: EventKind
        var actor: KeyID
        var data: [String: JSONValue]
        var time: EventTime
    }

    let path: String
    let keys: [KeyID: SigningKey]
    let admin: SigningKey

    /// The surgeon for the ledger in `books`, holding its admin and clerk keys (and any more named).
    init(_ books: CLILedger, extraKeys: [String] = []) throws {
        path = books.database
        admin = try SigningKey.load(from: books.path("admin.key"))
        var keys: [KeyID: SigningKey] = [:]
        for name in ["admin.key", "clerk.key"] + extraKeys {
            let key = try SigningKey.load(from: books.path(name))
            keys[key.id] = key
        }
        self.keys = keys
    }

    func queue() throws -> DatabaseQueue {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            for table in ["events", "merkle_nodes", "checkpoints"] {
                try db.execute(sql: "DROP TRIGGER IF EXISTS \(table)_refuse_update; DROP TRIGGER IF EXISTS \(table)_refuse_delete;")
            }
        }
        return queue
    }

    /// Runs raw SQL with the append-only triggers dropped.
    func execute(_ sql: String) throws {
        try queue().write { try $0.execute(sql: sql) }
    }

    /// Edits event `seq` with `edit` (and, optionally, its canonical bytes with `raw`),
    /// then re-chains everything after it.
    func rewrite(_ seq: Int64, edit: (inout Fields) -> Void = { _ in }, raw: ((String) -> String)? = nil) throws {
        let queue = try queue()
        try queue.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT seq, body, hash FROM events ORDER BY seq")
            var frontier = MerkleFrontier()
            var previous = SHA256Hash.zero
            for row in rows {
                let rowSeq: Int64 = row[0]
                let body = Array(row[1] as Data)
                if rowSeq < seq {
                    let hash = try SHA256Hash(bytes: Array(row[2] as Data))
                    frontier.append(hash) { _, _, _ in }
                    previous = hash
                    continue
                }
                let event = try RecordedEvent(body: body, signature: [])
                var fields = Fields(kind: event.kind, actor: event.actor, data: event.data, time: event.time)
                if rowSeq == seq { edit(&fields) }
                if let signed = fields.data["checkpoint"] {
                    // Re-signed at the time it states, which the checkpoints table keeps too: the
                    // event's own time may be a second later.
                    let time = signed["time"]?.stringValue.flatMap { try? EventTime($0) } ?? event.time
                    let checkpoint = Checkpoint(ledgerID: event.ledgerID, treeSize: rowSeq - 1, rootHash: frontier.root,
                                                time: time, signer: admin)
                    fields.data["checkpoint"] = checkpoint.json
                    try db.execute(sql: "UPDATE checkpoints SET root = ?, signature = ? WHERE seq = ?",
                                   arguments: [Data(checkpoint.rootHash.bytes), Data(checkpoint.signature), rowSeq])
                }
                var bytes = try RecordedEvent.canonicalBody(ledgerID: event.ledgerID, seq: rowSeq, prev: previous, kind: fields.kind,
                                                            time: fields.time, actor: fields.actor, data: fields.data)
                if rowSeq == seq, let raw { bytes = Array(raw(String(decoding: bytes, as: UTF8.self)).utf8) }
                let hash = MerkleHashing.leafHash(bytes)
                let signer = keys[fields.actor]!
                try db.execute(sql: "UPDATE events SET body = ?, hash = ?, signature = ?, kind = ?, actor = ?, date = ? WHERE seq = ?",
                               arguments: [Data(bytes), Data(hash.bytes), Data(signer.sign(hash.bytes)), fields.kind.name,
                                           fields.actor.value, fields.data["date"]?.stringValue, rowSeq])
                frontier.append(hash) { _, _, _ in }
                previous = hash
            }
        }
        try rebuildMerkleNodes(queue)
        try rebuildTotals(queue)
    }

    /// Recomputes every stored Merkle node from the stored event hashes.
    func rebuildMerkleNodes(_ queue: DatabaseQueue) throws {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM merkle_nodes")
            var frontier = MerkleFrontier()
            for data in try Data.fetchAll(db, sql: "SELECT hash FROM events ORDER BY seq") {
                try frontier.append(try SHA256Hash(bytes: Array(data))) { level, index, hash in
                    guard MerkleStoredLevels.isKept(level) else { return }
                    try db.execute(sql: "INSERT INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)", arguments: [level, index, Data(hash.bytes)])
                }
            }
        }
    }

    /// Recomputes the per-day account totals from the events' postings.
    func rebuildTotals(_ queue: DatabaseQueue) throws {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM account_day_totals")
            for data in try Data.fetchAll(db, sql: "SELECT body FROM events ORDER BY seq") {
                let event = try RecordedEvent(body: Array(data), signature: [])
                guard let date = event.date, let postings = try? event.postings() else { continue }
                for posting in postings {
                    let debit = posting.side == .debit ? posting.amount.fen : 0
                    try db.execute(sql: """
                        INSERT INTO account_day_totals (account, day, debit_fen, credit_fen) VALUES (?, ?, ?, ?)
                        ON CONFLICT (account, day) DO UPDATE SET debit_fen = debit_fen + excluded.debit_fen,
                                                                 credit_fen = credit_fen + excluded.credit_fen
                        """, arguments: [posting.account.value, date.text, debit, posting.amount.fen - debit])
                }
            }
        }
    }
}
