import Foundation
import Ledger

/// What the last clean audit verified: the newest signed checkpoint it covered, so the
/// next `huzhu audit --since-checkpoint` reads only the events after it.
///
/// Kept in a small file next to the ledger (`huzhu.db.audit-state.json`, or wherever
/// `--state` says), not in the ledger file: the audit's memory should be the auditor's,
/// not something a clerk with write access to the books can reset in the same file, and
/// the ledger file stays exactly the log and its projections. It is not trusted blindly
/// either: the next audit requires the stored Merkle nodes to still give the recorded
/// root, and proves the events it needs from before it against that root, so a history
/// rewritten since the last audit is reported, not absorbed.
///
/// `{"ledger":…,"rootHash":…,"checkpointSeq":…,"treeSize":…,"auditedAt":…,"type":"huzhu-audit-state-v1"}`
public struct AuditState: Sendable, Hashable {
    public static let type = "huzhu-audit-state-v1"

    public let ledgerID: String
    public let treeSize: Int64
    public let rootHash: SHA256Hash
    /// The event that recorded the checkpoint.
    public let checkpointSeq: Int64
    public let auditedAt: EventTime

    public init(ledgerID: String, checkpoint: RecordedCheckpoint, auditedAt: EventTime) {
        self.ledgerID = ledgerID
        treeSize = checkpoint.checkpoint.treeSize
        rootHash = checkpoint.checkpoint.rootHash
        checkpointSeq = checkpoint.seq
        self.auditedAt = auditedAt
    }

    /// The default place for a ledger file's audit state.
    public static func defaultPath(forLedgerAt path: String) -> String { path + ".audit-state.json" }

    public var json: JSONValue {
        ["type": .string(AuditState.type), "ledger": .string(ledgerID), "treeSize": .integer(treeSize),
         "rootHash": .string(rootHash.hex), "checkpointSeq": .integer(checkpointSeq), "auditedAt": .string(auditedAt.text)]
    }

    /// Reads the state at `path`; nil when there is no file (no clean audit yet).
    public static func load(from path: String) throws -> AuditState? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let value = try? JSONParser.parse(data), value["type"]?.stringValue == type,
              let ledger = value["ledger"]?.stringValue, let size = value["treeSize"]?.integerValue, size >= 1,
              let rootHex = value["rootHash"]?.stringValue, let root = try? SHA256Hash(hex: rootHex),
              let seq = value["checkpointSeq"]?.integerValue, let timeText = value["auditedAt"]?.stringValue,
              let time = try? EventTime(timeText)
        else {
            throw LedgerInputError(field: "audit state", value: path, reason: "not a Huzhu audit state file; delete it to run a full audit")
        }
        return AuditState(ledgerID: ledger, treeSize: size, rootHash: root, checkpointSeq: seq, auditedAt: time)
    }

    init(ledgerID: String, treeSize: Int64, rootHash: SHA256Hash, checkpointSeq: Int64, auditedAt: EventTime) {
        self.ledgerID = ledgerID
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.checkpointSeq = checkpointSeq
        self.auditedAt = auditedAt
    }

    /// Writes the state atomically (a crash leaves the old state or the new, never half).
    public func write(to path: String) throws {
        var bytes = try CanonicalJSON.encode(json)
        bytes.append(0x0A)
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
