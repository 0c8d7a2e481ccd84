import ArgumentParser
import Foundation
import Audit
import Ledger

struct ProofCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proof",
        abstract: "Print RFC 6962 inclusion and consistency proofs as JSON, and check them offline.",
        subcommands: [Inclusion.self, Consistency.self, Check.self]
    )

    struct Inclusion: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove that event SEQ is in the log.",
            discussion: """
                By default the proof is against the newest checkpoint that covers SEQ (and includes that
                signed checkpoint), or against the whole log when none does.

                Examples:
                  huzhu proof inclusion 1234 > proof.json
                  huzhu proof inclusion 1234 --size 5000
                """
        )

        @OptionGroup var ledger: LedgerOptions

        @Argument(help: "The event's seq.")
        var seq: Int64

        @Option(help: "The tree size to prove against.")
        var size: Int64?

        func run() throws {
            let opened = try ledger.openLedger()
            let checkpoints = try opened.read { try $0.checkpoints() }
            let checkpoint = size == nil
                ? checkpoints.last(where: { $0.checkpoint.treeSize >= seq })?.checkpoint
                : checkpoints.first(where: { $0.checkpoint.treeSize == size })?.checkpoint
            let proof = try opened.inclusionProof(seq: seq, treeSize: size ?? checkpoint?.treeSize)
            guard case var .object(json) = proof.json else { return }
            if let checkpoint { json["checkpoint"] = checkpoint.json }
            try printJSON(.object(json))
        }
    }

    struct Consistency: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove that the log of OLD events is a prefix of the log of NEW events.",
            discussion: "Example:\n  huzhu proof consistency 1000 2000"
        )

        @OptionGroup var ledger: LedgerOptions

        @Argument(help: "The older tree size.")
        var old: Int64

        @Argument(help: "The newer tree size.")
        var new: Int64

        func run() throws {
            try printJSON(try ledger.openLedger().consistencyProof(oldSize: old, newSize: new).json)
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a proof JSON file offline, with no ledger file.",
            discussion: """
                Recomputes the root from the proof. With --public-key, also checks the signature of an
                embedded checkpoint and that the proof's root is the checkpoint's.

                Examples:
                  huzhu proof check proof.json
                  huzhu proof check proof.json --public-key 3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29
                """
        )

        @Argument(help: "The proof file.")
        var file: String

        @Option(help: "The administrator public key (hex) expected to sign the embedded checkpoint.")
        var publicKey: String?

        func run() throws {
            let json = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: file))))
            let valid: Bool
            switch json["type"]?.stringValue {
            case InclusionProof.type?:
                let proof = try ProofJSON.inclusion(json)
                valid = proof.verify()
                print(valid ? "ok: event \(proof.seq) (leaf \(proof.leafHash.hex)) is in the tree of \(proof.treeSize) events with root \(proof.rootHash.hex)"
                            : "FAIL: the inclusion proof does not verify")
                if valid, let checkpointJSON = json["checkpoint"] {
                    try checkCheckpoint(Checkpoint(json: checkpointJSON), size: proof.treeSize, root: proof.rootHash, ledger: proof.ledgerID)
                }
            case ConsistencyProof.type?:
                let proof = try ProofJSON.consistency(json)
                valid = proof.verify()
                print(valid ? "ok: the tree of \(proof.oldSize) events is a prefix of the tree of \(proof.newSize) events"
                            : "FAIL: the consistency proof does not verify")
            case MemberStatement.type?:
                let result = try MemberStatement.check(json, administrator: try publicKey.map(PublicKey.init(hex:)))
                valid = result.problems.isEmpty
                for problem in result.problems { print("FAIL \(problem)") }
                if valid {
                    print("ok: \(result.lines) statement lines are in the tree of \(result.checkpoint.treeSize) events with root \(result.checkpoint.rootHash.hex)"
                          + (publicKey == nil ? " (pass --public-key to check the checkpoint's signature)" : ", checkpoint signed by \(result.checkpoint.keyID)"))
                }
            default:
                throw LedgerInputError(field: "file", value: file, reason: "not a Huzhu proof (type \(InclusionProof.type) or \(ConsistencyProof.type))")
            }
            if !valid { throw CheckFailed(message: "the proof in \(file) does not verify") }
        }

        func checkCheckpoint(_ checkpoint: Checkpoint, size: Int64, root: SHA256Hash, ledger: String) throws {
            guard checkpoint.treeSize == size, checkpoint.rootHash == root, checkpoint.ledgerID == ledger else {
                throw CheckFailed(message: "the embedded checkpoint is for another tree (size \(checkpoint.treeSize))")
            }
            guard let publicKey else {
                print("checkpoint signed by key \(checkpoint.keyID) at \(checkpoint.time) (pass --public-key to check its signature)")
                return
            }
            guard checkpoint.isSigned(by: try PublicKey(hex: publicKey)) else {
                throw CheckFailed(message: "the checkpoint's signature does not verify with the given public key")
            }
            print("ok: checkpoint signed by \(checkpoint.keyID) at \(checkpoint.time)")
        }
    }
}
