import Ledger

/// Checkpoints obtained outside the bundle (a member's statement, the union's published
/// site, the audit committee's copy), checked against it: `huzhu verify --bundle DIR
/// --checkpoint FILE`.
///
/// A history rewritten by someone holding every key, every later event and checkpoint
/// re-signed, passes every check a bundle can make of itself. A checkpoint signed before
/// the rewrite and kept elsewhere cannot be rewritten: the bundle's events must give its
/// root at its size, so a bundle that withholds events it covers, or holds others in their
/// place, fails naming it.
public struct OutsideCheckpoints {
    public struct Evidence: Sendable {
        /// Where it came from, for the finding (a file name).
        public let source: String
        public let checkpoint: Checkpoint

        public init(source: String, checkpoint: Checkpoint) {
            self.source = source
            self.checkpoint = checkpoint
        }
    }

    public static let check = "checkpoints.outside"

    let evidence: [Evidence]

    public init(_ evidence: [Evidence]) {
        self.evidence = evidence
    }

    /// The findings for the bundle whose event hashes `leafHashes` yields in seq order, whose
    /// ledger is `ledgerID` and whose keys (as its events register them) are `keys`.
    func findings(ledgerID: String, keys: [KeyID: RegisteredKey],
                  leafHashes: (_ visit: (SHA256Hash) -> Void) throws -> Void) throws -> [Finding] {
        guard !evidence.isEmpty else { return [] }
        let sizes = Set(evidence.map(\.checkpoint.treeSize))
        var roots: [Int64: SHA256Hash] = [:]
        var frontier = MerkleFrontier()
        var size: Int64 = 0
        try leafHashes { hash in
            frontier.append(hash) { _, _, _ in }
            size += 1
            if sizes.contains(size) { roots[size] = frontier.root }
        }
        var findings: [Finding] = []
        for item in evidence {
            let checkpoint = item.checkpoint
            func fail(_ seqs: [Int64], _ text: String) {
                findings.append(Finding(.error, check: Self.check, seqs: seqs, "\(item.source): \(text) (BUNDLE §11)"))
            }
            guard checkpoint.ledgerID == ledgerID else {
                fail([], "the checkpoint is for ledger \(checkpoint.ledgerID), the bundle is ledger \(ledgerID)")
                continue
            }
            guard let key = keys[checkpoint.keyID], key.roles.contains(.admin), checkpoint.isSigned(by: key.publicKey) else {
                fail([], "the checkpoint of tree size \(checkpoint.treeSize) is not signed by an administrator key the bundle registers (key \(checkpoint.keyID)): a history rewritten from its key registrations on, or a checkpoint of another ledger")
                continue
            }
            guard checkpoint.treeSize <= size else {
                fail([size], "the checkpoint covers \(checkpoint.treeSize) events and the bundle holds \(size): it withholds events \(size + 1)–\(checkpoint.treeSize) that were signed")
                continue
            }
            guard let root = roots[checkpoint.treeSize], root == checkpoint.rootHash else {
                fail([checkpoint.treeSize], "the checkpoint states root \(checkpoint.rootHash.hex) at tree size \(checkpoint.treeSize), and the bundle's first \(checkpoint.treeSize) events give \(roots[checkpoint.treeSize]?.hex ?? "none"): the bundle rewrites what it covers")
                continue
            }
        }
        return findings
    }
}
