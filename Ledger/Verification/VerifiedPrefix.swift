/// The state of a verification pass after the first `size` events, so a later pass can
/// start at `size + 1` instead of re-reading the whole log (an incremental audit).
///
/// Rebuilt from a store against a root that an earlier, complete verification accepted
/// (normally a signed checkpoint). Nothing the store says is taken on trust unless it is
/// bound to that root: the stored Merkle subtrees must fold to it, and the last event
/// and every key event used must be proved included in it.
///
/// What it cannot see: an edit of an event before `size` that leaves its stored hash and
/// the stored nodes alone (the `kind` column, say). A full verification finds those;
/// run one regularly.
public struct VerifiedPrefix: Sendable {
    public let ledgerID: String
    public let size: Int64
    public let frontier: MerkleFrontier
    public let lastHash: SHA256Hash
    public let keys: [KeyID: RegisteredKey]

    /// Rebuilds the state at `size` events with Merkle root `root`. Throws
    /// `VerifiedPrefixError` naming what does not match the root.
    public static func rebuild(reader: any LedgerStoreReader, ledgerID: String, size: Int64,
                               root: SHA256Hash) throws -> VerifiedPrefix {
        guard size >= 1, size <= (try reader.size()) else {
            throw VerifiedPrefixError(seq: size, reason: "the log no longer holds \(size) events")
        }
        let source = StoreNodeSource(reader)
        let frontier: MerkleFrontier
        do {
            frontier = try MerkleFrontier(size: size, source: source)
        } catch {
            throw VerifiedPrefixError(seq: size, reason: "the stored Merkle nodes of the first \(size) events cannot be read: \(error)")
        }
        guard frontier.root == root else {
            throw VerifiedPrefixError(seq: size, reason: "the stored Merkle nodes of the first \(size) events no longer give the verified root \(root.hex.prefix(16))…")
        }
        /// Reads event `seq` and proves it is leaf `seq − 1` of the verified tree.
        func provenEvent(_ seq: Int64) throws -> RecordedEvent {
            guard let stored = try reader.storedEvent(seq: seq),
                  let event = try? RecordedEvent(body: stored.body, signature: stored.signature), event.seq == seq
            else { throw VerifiedPrefixError(seq: seq, reason: "event \(seq) cannot be read") }
            let proof = try source.inclusionProof(index: seq - 1, size: size)
            guard MerkleProofVerifier.verifyInclusion(leafHash: event.hash, index: seq - 1, size: size, proof: proof, root: root) else {
                throw VerifiedPrefixError(seq: seq, reason: "event \(seq) is not the event the verified root covers (it was altered)")
            }
            return event
        }
        let lastHash = try provenEvent(size).hash
        var keys: [KeyID: RegisteredKey] = [:]
        var keySeqs = try reader.seqs(ofKind: .ledgerCreated) + reader.seqs(ofKind: .keyRegistered) + reader.seqs(ofKind: .keyRevoked)
        keySeqs = keySeqs.filter { $0 <= size }.sorted()
        var pass = LogVerificationPass(ledgerID: ledgerID, policy: RolePolicy([:]), checkpoints: [])
        for seq in keySeqs {
            pass.applyKeyChanges(try provenEvent(seq))
        }
        keys = pass.keys
        return VerifiedPrefix(ledgerID: ledgerID, size: size, frontier: frontier, lastHash: lastHash, keys: keys)
    }
}

/// Why a verified prefix could not be rebuilt: the store no longer matches the root.
public struct VerifiedPrefixError: Error, CustomStringConvertible {
    public let seq: Int64
    public let reason: String
    public var description: String { "seq \(seq): \(reason)" }
}
