import ArgumentParser
import Foundation
import Ledger

struct DbInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Say which store holds the ledger, its schema version, its size and its head.",
        discussion: """
            Reads only; the head is the last event's seq, the Merkle root at that size and the latest \
            checkpoint, read in one snapshot.

            Examples:
              huzhu db info
              huzhu db info --db postgres://huzhu@db.example.org/huzhu --format json
            """
    )

    @OptionGroup var ledger: LedgerOptions

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let opened = try ledger.openLedger()
        let store = try opened.store.describe()
        let (size, root, lastTime, checkpoint, keys, closed) = try opened.read { reader in
            let size = try reader.size()
            let last = try reader.storedEvent(seq: size).map { try RecordedEvent(body: $0.body, signature: $0.signature) }
            return (size, try MerkleFrontier(size: size, source: StoreNodeSource(reader)).root, last?.time.text,
                    try reader.checkpoints().max { $0.checkpoint.treeSize < $1.checkpoint.treeSize },
                    try reader.keys().count, try reader.closedPeriods().keys.max())
        }
        switch format {
        case .json:
            try printJSON([
                "store": .string(store.kind), "location": .string(store.location), "engineVersion": .string(store.engineVersion),
                "schemaVersions": .array(store.schemaVersions.map { .string($0) }), "bytes": .integer(store.bytes),
                "ledger": .string(opened.info.id), "name": .string(opened.info.name),
                "head": ["seq": .integer(size), "rootHash": .string(root.hex), "time": lastTime.map { .string($0) } ?? .null],
                "latestCheckpoint": checkpoint.map { ["treeSize": .integer($0.checkpoint.treeSize), "seq": .integer($0.seq),
                                                      "time": .string($0.checkpoint.time.text)] } ?? .null,
                "keys": .integer(Int64(keys)), "latestClosedMonth": closed.map { .string($0.text) } ?? .null,
            ])
        case .text:
            print("store     \(store.kind) \(store.engineVersion), \(store.location)")
            print("schema    \(store.schemaVersions.joined(separator: ", "))")
            print("size      \(Self.bytes(store.bytes))")
            print("ledger    \(opened.info.name) (\(opened.info.id))")
            print("head      seq \(size), root \(root.hex)\(lastTime.map { ", last event \($0)" } ?? "")")
            if let checkpoint {
                print("signed    checkpoint at tree size \(checkpoint.checkpoint.treeSize) (seq \(checkpoint.seq), \(checkpoint.checkpoint.time.text))")
            } else {
                print("signed    no checkpoint yet")
            }
            print("keys      \(keys) registered; latest closed month: \(closed?.text ?? "none")")
        }
    }

    /// A size in MB with one decimal, or in kB below one megabyte.
    static func bytes(_ count: Int64) -> String {
        count >= 1_000_000 ? String(format: "%.1f MB", Double(count) / 1_000_000) : "\(count / 1000) kB"
    }
}
