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
                By default the proof is against the newest checkpoint that covers SEQ (and includes that \
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
            discussion: """
                The checkpoints the ledger recorded for either size are embedded (oldCheckpoint, \
                newCheckpoint); `huzhu proof check` needs a signed one for each size.

                Example:
                  huzhu proof consistency 1000 2000
                """
        )

        @OptionGroup var ledger: LedgerOptions

        @Argument(help: "The older tree size.")
        var old: Int64

        @Argument(help: "The newer tree size.")
        var new: Int64

        func run() throws {
            let opened = try ledger.openLedger()
            let checkpoints = try opened.read { try $0.checkpoints() }.map(\.checkpoint)
            guard case var .object(json) = try opened.consistencyProof(oldSize: old, newSize: new).json else { return }
            // The checkpoints recorded for either size, which bind the proof to its sizes (`proof check`).
            if let checkpoint = checkpoints.first(where: { $0.treeSize == old }) { json["oldCheckpoint"] = checkpoint.json }
            if let checkpoint = checkpoints.first(where: { $0.treeSize == new }) { json["newCheckpoint"] = checkpoint.json }
            try printJSON(.object(json))
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a proof or a member's statement offline, with no ledger file, against signed checkpoints.",
            discussion: """
                A proof is bound to the tree sizes it names only by a checkpoint the administrator signed for \
                each: the hashes alone fit several sizes. So every size a proof names (an inclusion proof's \
                tree size; a consistency proof's old and new sizes; a statement's checkpoint) must be stated, \
                with the same root, by a checkpoint signed by a --public-key given: one embedded in the proof \
                (`huzhu proof inclusion` and `consistency` embed those the ledger recorded) or one given with \
                --checkpoint (`huzhu checkpoint` prints one; a statement or the union's site carries one). \
                Without --public-key nothing is checked and the command fails.

                A statement's lines must each be this ledger's event at its seq, in the checkpoint's tree, \
                listed once, of the kind it says, and about this member: their enrolment, their claims and \
                those claims' steps, their unit's contributions for the statement's year.

                Examples:
                  huzhu proof check proof.json --public-key 3b6a27bc…(the key's 64 hex digits)
                  huzhu proof check consistency.json --public-key 3b6a27bc… \\
                      --checkpoint old.json --checkpoint new.json
                  huzhu proof check statement.json --public-key 3b6a27bc…
                """
        )

        @Argument(help: "The proof or statement file.")
        var file: String

        @Option(name: .customLong("public-key"), help: ArgumentHelp("An administrator's public key (hex); repeatable.", valueName: "hex"))
        var publicKeys: [String] = []

        @Option(name: .customLong("checkpoint"), help: ArgumentHelp("A signed checkpoint JSON file for a size the proof names; repeatable.", valueName: "file"))
        var checkpointFiles: [String] = []

        func run() throws {
            let json = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: file))))
            guard !publicKeys.isEmpty else {
                throw LedgerInputError(field: "--public-key", value: "", reason: """
                    required: a proof rests on checkpoints an administrator signed, and without the key no signature \
                    is checked and the proof proves nothing; `huzhu key list` shows it, and the union publishes it
                    """)
            }
            let keys = try publicKeys.map(PublicKey.init(hex:))
            var checkpoints = try checkpointFiles.map(CheckpointFile.read)
            for member in ["checkpoint", "oldCheckpoint", "newCheckpoint"] {
                if let embedded = json[member], !MemberStatement.types.contains(json["type"]?.stringValue ?? "") { checkpoints.append(try Checkpoint(json: embedded)) }
            }
            var problems: [String] = []
            /// The signed checkpoint that states `size` with `root` for `ledger`, or a problem saying there is none.
            func signed(_ ledger: String, size: Int64, root: SHA256Hash) -> Checkpoint? {
                let stating = checkpoints.filter { $0.ledgerID == ledger && $0.treeSize == size }
                guard let match = stating.first(where: { checkpoint in checkpoint.rootHash == root && keys.contains { checkpoint.isSigned(by: $0) } }) else {
                    problems.append(stating.isEmpty
                        ? "no checkpoint states tree size \(size) of ledger \(ledger): the proof's size is not bound to anything signed (pass --checkpoint FILE)"
                        : "no checkpoint for tree size \(size) with root \(root.hex) is signed by a given key")
                    return nil
                }
                return match
            }
            switch json["type"]?.stringValue {
            case InclusionProof.type?:
                let proof = try ProofJSON.inclusion(json)
                if !proof.verify() { problems.append("the inclusion proof does not verify") }
                let checkpoint = signed(proof.ledgerID, size: proof.treeSize, root: proof.rootHash)
                if problems.isEmpty, let checkpoint {
                    print("ok: event \(proof.seq) (leaf \(proof.leafHash.hex)) is in the tree of \(proof.treeSize) events with root \(proof.rootHash.hex), checkpoint signed by \(checkpoint.keyID) at \(checkpoint.time)")
                }
            case ConsistencyProof.type?:
                let proof = try ProofJSON.consistency(json)
                if !proof.verify() { problems.append("the consistency proof does not verify") }
                let old = signed(proof.ledgerID, size: proof.oldSize, root: proof.oldRoot)
                let new = signed(proof.ledgerID, size: proof.newSize, root: proof.newRoot)
                if problems.isEmpty, old != nil, new != nil {
                    print("ok: the tree of \(proof.oldSize) events is a prefix of the tree of \(proof.newSize) events, both sizes signed")
                }
            case let type? where MemberStatement.types.contains(type):
                let result = try MemberStatement.check(json, administrators: keys)
                problems += result.problems
                if problems.isEmpty {
                    print("ok: \(result.lines) statement lines are in the tree of \(result.checkpoint.treeSize) events with root \(result.checkpoint.rootHash.hex), checkpoint signed by \(result.checkpoint.keyID)")
                    if let through = result.completeThrough {
                        print("complete: no event of the member's, or of their unit's for the year, up to seq \(through) is left out (the statement index, FORMAT §10)")
                    } else {
                        print("note: the statement does not prove it is complete: it carries no statement index (an administrator records one with `huzhu member index`)")
                    }
                }
            default:
                throw LedgerInputError(field: "file", value: file, reason: "not a Huzhu proof (type \(InclusionProof.type), \(ConsistencyProof.type) or \(MemberStatement.type))")
            }
            for problem in problems { print("FAIL \(problem)") }
            if !problems.isEmpty { throw CheckFailed(message: "the proof in \(file) does not verify") }
        }
    }
}
