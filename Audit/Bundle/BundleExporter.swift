import Foundation
import Ledger

/// Writes an auditor's bundle: the whole log in canonical form with its hashes and
/// signatures, the checkpoints, the keys and roles, and a manifest, from one read
/// snapshot, so the bundle is one consistent tree however busy the ledger is.
///
/// An auditor checks it with `huzhu verify --bundle DIR`, with no database and no private
/// key, or with a verifier of their own written from docs/BUNDLE.md.
public struct BundleExporter {
    public let ledger: Ledger

    /// Bytes buffered before a write: large writes, flat memory.
    static let writeBufferSize = 1 << 20

    public init(ledger: Ledger) { self.ledger = ledger }

    /// What was exported.
    public struct Summary: Sendable {
        public let directory: String
        public let events: Int64
        public let rootHash: SHA256Hash
        public let checkpoints: Int
        public let keys: Int
    }

    /// Exports into `directory`, which must not exist or be empty.
    public func export(to directory: String, now: EventTime = .now()) throws -> Summary {
        let files = FileManager.default
        var isFolder: ObjCBool = false
        if files.fileExists(atPath: directory, isDirectory: &isFolder) {
            guard isFolder.boolValue, (try files.contentsOfDirectory(atPath: directory)).isEmpty else {
                throw LedgerInputError(field: "--out", value: directory, reason: "exists and is not an empty folder; choose a new one")
            }
        } else {
            try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        return try ledger.read { reader in
            let size = try reader.size()
            var events = try BufferedFile(path: directory + "/" + BundleLayout.events)
            var signatures = try BufferedFile(path: directory + "/" + BundleLayout.signatures)
            var frontier = MerkleFrontier()
            var expected: Int64 = 1
            try reader.forEachStoredEvent(from: 1, through: size) { stored in
                guard stored.seq == expected else {
                    throw LedgerInputError(field: "ledger", value: "seq \(expected)", reason: "event \(expected) is missing; run `huzhu audit`")
                }
                guard !stored.body.contains(0x0A) else {
                    throw LedgerInputError(field: "ledger", value: "seq \(stored.seq)",
                                           reason: "the event's body holds a raw newline, so it is not canonical and cannot be one line; run `huzhu audit`")
                }
                try events.write(stored.body)
                try events.write([0x0A])
                try signatures.write(Array("\(stored.seq)\t\(stored.hash.hex)\t\(Hex.encode(stored.signature))\n".utf8))
                frontier.append(MerkleHashing.leafHash(stored.body)) { _, _, _ in }
                expected += 1
                return true
            }
            try events.close()
            try signatures.close()

            let checkpoints = try reader.checkpoints().filter { $0.checkpoint.treeSize <= size && $0.seq <= size }
            var checkpointLines: [UInt8] = []
            for recorded in checkpoints {
                checkpointLines += try CanonicalJSON.encode(BundleExporter.json(recorded))
                checkpointLines.append(0x0A)
            }
            try Data(checkpointLines).write(to: URL(fileURLWithPath: directory + "/" + BundleLayout.checkpoints))

            let keys = try reader.keys().sorted { $0.registeredSeq < $1.registeredSeq }
            try BundleExporter.writeJSON(.array(keys.map(BundleExporter.json)), to: directory + "/" + BundleLayout.keys)

            let plans = try PlanFilesCheck.export(from: reader, to: directory)
            let info = try reader.ledgerInfo()
            let manifest: JSONValue = [
                "type": .string(BundleLayout.type),
                "ledger": .string(info?.id ?? ""),
                "name": .string(info?.name ?? ""),
                "events": .integer(frontier.size),
                "rootHash": .string(frontier.root.hex),
                "checkpoints": .integer(Int64(checkpoints.count)),
                "newestCheckpoint": checkpoints.last.map(BundleExporter.json) ?? .null,
                "keys": .integer(Int64(keys.count)),
                "plans": .integer(Int64(plans)),
                "files": .array(BundleLayout.dataFiles.map { .string($0) }),
                "exportedAt": .string(now.text),
            ]
            try BundleExporter.writeJSON(manifest, to: directory + "/" + BundleLayout.manifest)
            return Summary(directory: directory, events: frontier.size, rootHash: frontier.root, checkpoints: checkpoints.count, keys: keys.count)
        }
    }

    /// `{"checkpoint":<checkpoint JSON>,"seq":<recording event>}`.
    static func json(_ recorded: RecordedCheckpoint) -> JSONValue {
        ["seq": .integer(recorded.seq), "checkpoint": recorded.checkpoint.json]
    }

    static func json(_ key: RegisteredKey) -> JSONValue {
        ["keyId": .string(key.id.value), "publicKey": .string(key.publicKey.hex),
         "roles": .array(key.roles.sorted().map { .string($0.rawValue) }), "holder": .string(key.holder),
         "registeredSeq": .integer(key.registeredSeq), "revokedSeq": key.revokedSeq.map { .integer($0) } ?? .null]
    }

    static func writeJSON(_ value: JSONValue, to path: String) throws {
        var bytes = try CanonicalJSON.encode(value)
        bytes.append(0x0A)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}

/// A file written through a buffer of `BundleExporter.writeBufferSize` bytes.
struct BufferedFile {
    let handle: FileHandle
    var buffer: [UInt8] = []

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw LedgerInputError(field: "--out", value: path, reason: "cannot be written")
        }
        self.handle = handle
        buffer.reserveCapacity(BundleExporter.writeBufferSize)
    }

    mutating func write(_ bytes: [UInt8]) throws {
        buffer += bytes
        if buffer.count >= BundleExporter.writeBufferSize { try flush() }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func close() throws {
        try flush()
        try handle.close()
    }
}
