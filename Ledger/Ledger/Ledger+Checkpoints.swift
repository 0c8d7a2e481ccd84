extension Ledger {
    /// Signs the current tree head and records it in the log as a `checkpoint.signed`
    /// event. The checkpoint covers the events before that one.
    public func signCheckpoint(signer: SigningKey) throws -> RecordedCheckpoint {
        try append(signer: signer) { session in
            let checkpoint = Checkpoint(ledgerID: info.id, treeSize: session.logSize, rootHash: session.root,
                                        time: EventTime.now(), signer: signer)
            let seq = try session.append(CheckpointSignedEvent(checkpoint: checkpoint).draft()).seq
            return RecordedCheckpoint(checkpoint: checkpoint, seq: seq)
        }
    }

    /// The root of the tree of the first `size` events.
    public func root(size: Int64) throws -> SHA256Hash {
        try read { try StoreNodeSource($0).root(size: size) }
    }
}

/// An inclusion proof a third party can check with hashes alone.
public struct InclusionProof: Sendable {
    public let ledgerID: String
    public let seq: Int64
    public let treeSize: Int64
    public let leafHash: SHA256Hash
    public let rootHash: SHA256Hash
    public let path: [SHA256Hash]

    public static let type = "huzhu-inclusion-proof-v1"

    public var leafIndex: Int64 { seq - 1 }

    public var json: JSONValue {
        ["type": .string(InclusionProof.type), "ledger": .string(ledgerID), "seq": .integer(seq), "leafIndex": .integer(leafIndex),
         "treeSize": .integer(treeSize), "leafHash": .string(leafHash.hex), "rootHash": .string(rootHash.hex),
         "proof": .array(path.map { .string($0.hex) })]
    }

    public func verify() -> Bool {
        MerkleProofVerifier.verifyInclusion(leafHash: leafHash, index: leafIndex, size: treeSize, proof: path, root: rootHash)
    }
}

/// A consistency proof between two tree sizes of one ledger.
public struct ConsistencyProof: Sendable {
    public let ledgerID: String
    public let oldSize: Int64
    public let newSize: Int64
    public let oldRoot: SHA256Hash
    public let newRoot: SHA256Hash
    public let path: [SHA256Hash]

    public static let type = "huzhu-consistency-proof-v1"

    public var json: JSONValue {
        ["type": .string(ConsistencyProof.type), "ledger": .string(ledgerID), "oldSize": .integer(oldSize),
         "newSize": .integer(newSize), "oldRootHash": .string(oldRoot.hex), "newRootHash": .string(newRoot.hex),
         "proof": .array(path.map { .string($0.hex) })]
    }

    public func verify() -> Bool {
        MerkleProofVerifier.verifyConsistency(oldSize: oldSize, newSize: newSize, oldRoot: oldRoot, newRoot: newRoot, proof: path)
    }
}

extension Ledger {
    /// Proves that event `seq` is in the tree of `treeSize` events (default: the whole log).
    public func inclusionProof(seq: Int64, treeSize: Int64? = nil) throws -> InclusionProof {
        try read { reader in
            let size = try treeSize ?? reader.size()
            guard seq >= 1, seq <= size else {
                throw LedgerInputError(field: "seq", value: "\(seq)", reason: "must be between 1 and the tree size \(size)")
            }
            guard size <= (try reader.size()) else {
                throw LedgerInputError(field: "tree size", value: "\(size)", reason: "the log has only \(try reader.size()) events")
            }
            let source = StoreNodeSource(reader)
            return InclusionProof(ledgerID: info.id, seq: seq, treeSize: size, leafHash: try source.node(level: 0, index: seq - 1),
                                  rootHash: try source.root(size: size), path: try source.inclusionProof(index: seq - 1, size: size))
        }
    }

    /// Proves that the log of `oldSize` events is a prefix of the log of `newSize` events.
    public func consistencyProof(oldSize: Int64, newSize: Int64) throws -> ConsistencyProof {
        try read { reader in
            let size = try reader.size()
            guard oldSize >= 1, oldSize <= newSize else {
                throw LedgerInputError(field: "old size", value: "\(oldSize)", reason: "must be at least 1 and at most the new size \(newSize)")
            }
            guard newSize <= size else {
                throw LedgerInputError(field: "new size", value: "\(newSize)", reason: "the log has only \(size) events")
            }
            let source = StoreNodeSource(reader)
            return ConsistencyProof(ledgerID: info.id, oldSize: oldSize, newSize: newSize, oldRoot: try source.root(size: oldSize),
                                    newRoot: try source.root(size: newSize),
                                    path: try source.consistencyProof(oldSize: oldSize, newSize: newSize))
        }
    }
}
