import Ledger

/// Each signed checkpoint is consistent with the one before it, and the newest with the
/// log as it stands: an RFC 6962 consistency proof, built from the stored Merkle nodes,
/// verifies between their roots. So the log only ever grew; no checkpointed history was
/// rewritten.
///
/// In a full audit the chain check already recomputes every checkpoint's root from the
/// events, which implies this; the proofs make the property explicit, and they are all
/// an incremental audit has to connect the checkpoint it rests on with the log of now.
public struct CheckpointConsistencyCheck: AuditCheck {
    public let name = "checkpoints"
    public init() {}

    public mutating func inspect(_ audited: AuditedEvent, into findings: inout [Finding]) {}

    public mutating func finish(_ context: AuditContext, into findings: inout [Finding]) throws {
        guard let reader = context.reader else { return }
        let source = StoreNodeSource(reader)
        var heads: [(size: Int64, root: SHA256Hash, seq: Int64, label: String)] = []
        if let prefix = context.prefix {
            heads.append((prefix.size, prefix.frontier.root, prefix.size + 1, "the checkpoint the last audit verified"))
        }
        for recorded in try reader.checkpoints() {
            let size = recorded.checkpoint.treeSize
            guard size >= 1, size <= context.lastSeq, size > (context.prefix?.size ?? 0) else { continue }
            heads.append((size, recorded.checkpoint.rootHash, recorded.seq, "checkpoint of tree size \(size)"))
        }
        if context.lastSeq >= 1 {
            heads.append((context.lastSeq, context.root, context.lastSeq, "the log now (\(context.lastSeq) events)"))
        }
        for (old, new) in zip(heads, heads.dropFirst()) where old.size <= new.size {
            let proof = try? source.consistencyProof(oldSize: old.size, newSize: new.size)
            let holds = proof.map {
                MerkleProofVerifier.verifyConsistency(oldSize: old.size, newSize: new.size, oldRoot: old.root, newRoot: new.root, proof: $0)
            } ?? false
            if !holds {
                findings.append(Finding(.error, check: name, seqs: [old.seq, new.seq], """
                    \(new.label) is not consistent with \(old.label): no consistency proof from the stored Merkle nodes \
                    connects root \(old.root.hex.prefix(16))… (size \(old.size)) to \(new.root.hex.prefix(16))… (size \(new.size))
                    """))
            }
        }
    }
}
