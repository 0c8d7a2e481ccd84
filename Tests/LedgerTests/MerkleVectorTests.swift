import Foundation
import Testing
@testable import Ledger

/// RFC 6962 vectors from transparency-dev/merkle (see Fixtures/rfc6962/README.md):
/// every happy path verifies and every corrupted proof is rejected.
@Suite("Merkle log: RFC 6962 vectors")
struct MerkleVectorTests {
    static let root = Fixtures.directory.appendingPathComponent("rfc6962")

    static func files(_ kind: String) -> [String] {
        let base = root.appendingPathComponent(kind)
        let enumerator = FileManager.default.enumerator(atPath: base.path)!
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") }.sorted().map { kind + "/" + $0 }
    }

    static func load(_ file: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent(file))) as! [String: Any]
    }

    static func bytes(_ value: Any?) -> [UInt8] {
        Array(Data(base64Encoded: value as? String ?? "") ?? Data())
    }

    @Test("the fixtures are all there")
    func counts() {
        #expect(Self.files("inclusion").count == 98)
        #expect(Self.files("consistency").count == 98)
    }

    @Test("inclusion proofs", arguments: MerkleVectorTests.files("inclusion"))
    func inclusion(file: String) throws {
        let vector = try Self.load(file)
        let proof = (vector["proof"] as? [Any] ?? []).map(Self.bytes)
        let verified = MerkleProofVerifier.verifyInclusion(
            leafHash: Self.bytes(vector["leafHash"]), index: (vector["leafIdx"] as! NSNumber).int64Value,
            size: (vector["treeSize"] as! NSNumber).int64Value, proof: proof, root: Self.bytes(vector["root"]))
        #expect(verified == !(vector["wantErr"] as! Bool), "\(file): \(vector["desc"] ?? "")")
    }

    @Test("consistency proofs", arguments: MerkleVectorTests.files("consistency"))
    func consistency(file: String) throws {
        let vector = try Self.load(file)
        let proof = (vector["proof"] as? [Any] ?? []).map(Self.bytes)
        let verified = MerkleProofVerifier.verifyConsistency(
            oldSize: (vector["size1"] as! NSNumber).int64Value, newSize: (vector["size2"] as! NSNumber).int64Value,
            oldRoot: Self.bytes(vector["root1"]), newRoot: Self.bytes(vector["root2"]), proof: proof)
        #expect(verified == !(vector["wantErr"] as! Bool), "\(file): \(vector["desc"] ?? "")")
    }

    @Test("roots of trees of 0 to 8 leaves")
    func roots() throws {
        let data = try Data(contentsOf: Self.root.appendingPathComponent("trees.json"))
        let trees = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let leaves = (trees["leafInputsHex"] as! [String]).map { Hex.decode($0)! }
        let expected = trees["rootHashesHexBySize"] as! [String]
        var frontier = MerkleFrontier()
        var source = InMemoryNodes()
        #expect(frontier.root.hex == expected[0])
        for (index, leaf) in leaves.enumerated() {
            let hash = MerkleHashing.leafHash(leaf)
            source.leaves.append(hash)
            frontier.append(hash) { level, position, node in source.nodes[[level, Int(position)]] = node }
            #expect(frontier.root.hex == expected[index + 1])
            #expect(try source.root(size: Int64(index + 1)).hex == expected[index + 1])
        }
    }
}

/// Complete subtree hashes kept in memory, as the store keeps them on disk.
struct InMemoryNodes: MerkleNodeSource {
    var leaves: [SHA256Hash] = []
    var nodes: [[Int]: SHA256Hash] = [:]

    func node(level: Int, index: Int64) throws -> SHA256Hash {
        if level == 0 { return leaves[Int(index)] }
        guard let node = nodes[[level, Int(index)]] else { throw LedgerStoreError.missingMerkleNode(level: level, index: index) }
        return node
    }

    /// RFC 6962's recursive definition, straight from §2.1, for comparison.
    func naiveRoot(_ range: Range<Int>) -> SHA256Hash {
        if range.count == 1 { return leaves[range.lowerBound] }
        let split = Int(largestPowerOfTwo(below: Int64(range.count)))
        return MerkleHashing.nodeHash(naiveRoot(range.lowerBound..<range.lowerBound + split),
                                      naiveRoot(range.lowerBound + split..<range.upperBound))
    }
}

@Suite("Merkle log: proofs from stored subtrees")
struct MerkleProofTests {
    func tree(_ count: Int) -> InMemoryNodes {
        var source = InMemoryNodes()
        var frontier = MerkleFrontier()
        for index in 0..<count {
            let hash = MerkleHashing.leafHash(Array("leaf \(index)".utf8))
            source.leaves.append(hash)
            frontier.append(hash) { level, position, node in source.nodes[[level, Int(position)]] = node }
        }
        return source
    }

    @Test("roots, inclusion and consistency proofs for every size up to 70")
    func everySize() throws {
        let source = tree(70)
        for size in 1...70 {
            let root = try source.root(size: Int64(size))
            #expect(root == source.naiveRoot(0..<size))
            for index in 0..<size {
                let path = try source.inclusionProof(index: Int64(index), size: Int64(size))
                #expect(MerkleProofVerifier.verifyInclusion(leafHash: source.leaves[index], index: Int64(index), size: Int64(size),
                                                            proof: path, root: root))
                // The same proof must not verify another leaf.
                let other = source.leaves[(index + 1) % 70]
                #expect(!MerkleProofVerifier.verifyInclusion(leafHash: other, index: Int64(index), size: Int64(size), proof: path, root: root))
            }
            for old in 1...size {
                let proof = try source.consistencyProof(oldSize: Int64(old), newSize: Int64(size))
                let oldRoot = try source.root(size: Int64(old))
                #expect(MerkleProofVerifier.verifyConsistency(oldSize: Int64(old), newSize: Int64(size), oldRoot: oldRoot, newRoot: root, proof: proof))
                if old < size {
                    let wrong = MerkleHashing.leafHash([1, 2, 3])
                    #expect(!MerkleProofVerifier.verifyConsistency(oldSize: Int64(old), newSize: Int64(size), oldRoot: wrong, newRoot: root, proof: proof))
                }
            }
        }
    }

    @Test("the frontier rebuilt from stored nodes continues the same tree")
    func frontierResumes() throws {
        let source = tree(37)
        var resumed = try MerkleFrontier(size: 37, source: source)
        var reference = MerkleFrontier()
        for leaf in source.leaves { reference.append(leaf) { _, _, _ in } }
        #expect(resumed.root == reference.root)
        let next = MerkleHashing.leafHash([9])
        resumed.append(next) { _, _, _ in }
        reference.append(next) { _, _, _ in }
        #expect(resumed.root == reference.root)
    }
}
