import Ledger
import Testing
@testable import Audit

/// The one walk over a statement index's leaves that gives its root and the audit paths a
/// statement carries: each path verifies as an RFC 6962 inclusion proof, for every size of
/// tree up to a few levels and every leaf.
@Suite("the statement index's root and audit paths in one walk")
struct StatementIndexWalkTests {
    @Test("every leaf's path, of trees of 1 to 40 leaves, proves the leaf to the root the plain fold gives")
    func pathsVerify() throws {
        for size in 1...40 {
            let leaves = (0..<size).map { MerkleHashing.leafHash(Array("subject \($0)".utf8)) }
            let walked = StatementIndex.root(of: leaves[...], paths: Set(0..<size))
            #expect(walked.root == StatementIndex.root(of: leaves[...]))
            for index in 0..<size {
                let path = try #require(walked.paths[index])
                #expect(MerkleProofVerifier.verifyInclusion(leafHash: leaves[index], index: Int64(index), size: Int64(size), proof: path,
                                                            root: walked.root), "leaf \(index) of \(size)")
            }
            // A few leaves asked for, of a slice that does not start at 0: the same paths.
            let some = StatementIndex.root(of: ([SHA256Hash.zero] + leaves).dropFirst(), paths: [0, size - 1])
            #expect(some.root == walked.root && some.paths[0] == walked.paths[0] && some.paths[size - 1] == walked.paths[size - 1])
        }
    }
}
