import Foundation
import GRDB
@testable import Ledger
import Testing

/// The SQLite store keeps every fourth level of Merkle nodes and computes the others; a
/// computed node, root or proof must be exactly what the whole tree gives.
@Suite("Merkle log: kept and computed levels in SQLite")
struct MerkleStorageTests {
    @Test("every node, root and proof read from the store matches the tree of the event hashes")
    func computedNodesMatch() throws {
        let test = try TestLedger()
        // A little over 256 events: level 8 (kept) and levels 1–7 above the event hashes.
        _ = try test.ledger.post((1...300).map { try test.entry(fen: Int64($0), ref: "M-\($0)") }, signer: test.clerk)
        let eventHashes = try DatabaseQueue(path: test.path).read { db in
            try Data.fetchAll(db, sql: "SELECT hash FROM events ORDER BY seq").map { try SHA256Hash(bytes: Array($0)) }
        }
        var memory = InMemoryNodes()
        var frontier = MerkleFrontier()
        for hash in eventHashes {
            memory.leaves.append(hash)
            frontier.append(hash) { level, index, node in memory.nodes[[level, Int(index)]] = node }
        }
        #expect(eventHashes.count > 256)

        try test.ledger.store.read { reader in
            let source = StoreNodeSource(reader)
            for (key, node) in memory.nodes {
                #expect(try reader.merkleNode(level: key[0], index: Int64(key[1])) == node, "level \(key[0]) index \(key[1])")
            }
            let size = Int64(eventHashes.count)
            for treeSize in stride(from: Int64(1), through: size, by: 7) {
                let root = try source.root(size: treeSize)
                #expect(root == memory.naiveRoot(0..<Int(treeSize)))
                let index = treeSize / 2
                let path = try source.inclusionProof(index: index, size: treeSize)
                #expect(MerkleProofVerifier.verifyInclusion(leafHash: eventHashes[Int(index)], index: index, size: treeSize,
                                                            proof: path, root: root))
                let proof = try source.consistencyProof(oldSize: treeSize, newSize: size)
                #expect(MerkleProofVerifier.verifyConsistency(oldSize: treeSize, newSize: size, oldRoot: root,
                                                              newRoot: try source.root(size: size), proof: proof))
            }
        }

        let levels = try DatabaseQueue(path: test.path).read { try Int.fetchAll($0, sql: "SELECT DISTINCT level FROM merkle_nodes ORDER BY level") }
        #expect(levels == [4, 8], "only the kept levels are written down")
        #expect(try test.verify().failures.isEmpty)
    }

    @Test("a missing kept node is reported, not folded from nothing")
    func missingNode() throws {
        let test = try TestLedger()
        _ = try test.ledger.post((1...40).map { try test.entry(fen: Int64($0), ref: "N-\($0)") }, signer: test.clerk)
        try test.ledger.store.read { reader in
            // Level 7 index 0 would be folded from level-4 nodes 0–7 (128 events); the log
            // holds between 64 and 127, so level 6 index 0 exists and level 7 does not.
            let size = try reader.size()
            #expect(size >= 64 && size < 128)
            #expect(throws: LedgerStoreError.self) { try reader.merkleNode(level: 7, index: 0) }
            _ = try reader.merkleNode(level: 6, index: 0)
        }
    }
}
