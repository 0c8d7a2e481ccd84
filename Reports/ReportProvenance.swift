import Ledger

/// What a report's figures rest on: the newest signed checkpoint and, when the log has
/// grown past it, the current tree size and root.
///
/// An auditor re-derives a report from the log the checkpoint commits to; a member checks
/// an inclusion proof against it. When entries were recorded after the newest checkpoint,
/// the figures include them, so the report says so and quotes the tree they do rest on;
/// signing a checkpoint (`huzhu checkpoint`) before printing makes the two the same.
public struct ReportProvenance: Sendable, Hashable {
    public let ledgerID: String
    public let ledgerName: String
    /// The newest checkpoint recorded in the log, if any was ever signed.
    public let checkpoint: RecordedCheckpoint?
    /// The number of events when the report was made; the figures include all of them.
    public let treeSize: Int64
    /// The Merkle root over those events.
    public let rootHash: SHA256Hash

    public init(ledger: LedgerInfo, checkpoint: RecordedCheckpoint?, treeSize: Int64, rootHash: SHA256Hash) {
        self.ledgerID = ledger.id
        self.ledgerName = ledger.name
        self.checkpoint = checkpoint
        self.treeSize = treeSize
        self.rootHash = rootHash
    }

    /// Reads the newest checkpoint and the current tree head from one snapshot.
    public init(reader: any LedgerStoreReader, ledger: LedgerInfo) throws {
        let size = try reader.size()
        let newest = try reader.checkpoints().max { $0.seq < $1.seq }
        self.init(ledger: ledger, checkpoint: newest, treeSize: size, rootHash: try StoreNodeSource(reader).root(size: size))
    }

    /// Events recorded after the checkpoint's own `checkpoint.signed` event. The checkpoint
    /// event itself is not counted: it cannot cover itself, and it moves no money.
    public var eventsSinceCheckpoint: Int64 {
        guard let checkpoint else { return treeSize }
        return max(0, treeSize - checkpoint.seq)
    }

    /// Whether the figures rest on exactly the checkpointed log.
    public var isCurrent: Bool { checkpoint != nil && eventsSinceCheckpoint == 0 }

    /// One line per fact, in Chinese with the figures a verifier needs.
    public var lines: [String] {
        var result: [String] = []
        if let recorded = checkpoint {
            let head = recorded.checkpoint
            result.append("依据检查点 (checkpoint): 树大小 \(head.treeSize), 根哈希 \(head.rootHash.hex), 签署于 \(head.time.text), 签署密钥 \(head.keyID.value), 记录于 seq \(recorded.seq)")
            if eventsSinceCheckpoint > 0 {
                result.append("注意: 该检查点之后日志又增加了 \(eventsSinceCheckpoint) 个事件 (the log has grown since); 本表数字包含全部事件: 当前树大小 \(treeSize), 当前根哈希 \(rootHash.hex)")
            }
        } else {
            result.append("尚未签署检查点 (no checkpoint signed yet); 本表数字依据当前日志: 树大小 \(treeSize), 根哈希 \(rootHash.hex)")
        }
        return result
    }

    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "ledgerId": .string(ledgerID), "ledgerName": .string(ledgerName),
            "treeSize": .integer(treeSize), "rootHash": .string(rootHash.hex),
            "eventsSinceCheckpoint": .integer(eventsSinceCheckpoint), "current": .bool(isCurrent),
        ]
        if let recorded = checkpoint {
            object["checkpoint"] = ["treeSize": .integer(recorded.checkpoint.treeSize), "rootHash": .string(recorded.checkpoint.rootHash.hex),
                                    "time": .string(recorded.checkpoint.time.text), "keyId": .string(recorded.checkpoint.keyID.value),
                                    "seq": .integer(recorded.seq)]
        } else {
            object["checkpoint"] = .null
        }
        return .object(object)
    }
}
