import Ledger
import MutualAid

/// What lets a member's statement prove it is complete (FORMAT §10, "The statement index").
///
/// Every event a statement can list belongs to one subject: a member (`member:ID`: their
/// enrolments, their other member events, their claims and those claims' steps) or a unit
/// (`unit:ID`: its contributions, and `unit.added` so every unit has an entry). Per subject
/// the index keeps, for each plan year and for the events of no year ("other"), a tally: how
/// many events and a chained digest of their leaf hashes in seq order,
/// `d₀ = 32 zero bytes, dᵢ = SHA-256(dᵢ₋₁ ‖ leaf hashᵢ)`.
///
/// A `statements.indexed` event, signed by an administrator, records the RFC 6962 root over
/// every subject's entry (sorted by subject) as of the events before it. The audit recomputes
/// that root from the log (`StatementIndexCheck`), so a member given their entry and its proof
/// to the root can recount their statement: the same tallies mean nothing of theirs up to
/// the index was left out, and nothing added.
///
/// Cost: one entry per member and unit in memory while the index is built or checked (about
/// 200 bytes each with the claims' owners, 40 MB for 200,000 members), and one full read of
/// the log for each `huzhu member index`, which keeps the entries beside the index event
/// (`StatementIndexRecords`) so a member's statement reads its entry and the leaves instead.
public struct StatementIndex: Sendable {
    /// A count and chained digest of a subject's events in one part (a year, or "other").
    public struct Tally: Sendable, Hashable {
        public var count: Int64 = 0
        public var digest = SHA256Hash.zero

        public init() {}

        mutating func add(_ leaf: SHA256Hash) {
            count += 1
            digest = SHA256Hash.of(digest.bytes + leaf.bytes)
        }

        var json: JSONValue { ["count": .integer(count), "digest": .string(digest.hex)] }
    }

    /// One subject's tallies.
    public struct Entry: Sendable, Hashable {
        public var years: [Int64: Tally] = [:]
        public var other = Tally()

        /// The leaf's canonical JSON: `{"other":{…},"subject":"member:…","years":{"2026":{…}}}`.
        public func json(subject: String) -> JSONValue {
            ["subject": .string(subject), "other": other.json,
             "years": .object(Dictionary(uniqueKeysWithValues: years.map { (String($0.key), $0.value.json) }))]
        }
    }

    /// Where an event goes in the index: its subject, and its plan year (nil for "other").
    public struct Place: Sendable, Hashable {
        public let subject: String
        public let year: Int64?
    }


    public static func member(_ id: String) -> String { "member:" + id }
    public static func unit(_ id: String) -> String { "unit:" + id }

    /// The one definition of which subject an event belongs to, shared by the index, the
    /// audit's check of it and the statement. `claimOwner` gives the member and year of a
    /// claim by the seq of its filing.
    public static func place(of event: RecordedEvent, claimOwner: (Int64) -> (member: String, year: Int64)?) -> Place? {
        place(of: EventSubject(event), claimOwner: claimOwner)
    }

    static func place(of subject: EventSubject?, claimOwner: (Int64) -> (member: String, year: Int64)?) -> Place? {
        switch subject {
        case let .member(member, year): Place(subject: Self.member(member), year: year)
        case let .unit(unit, year): Place(subject: Self.unit(unit), year: year)
        case let .claimStep(claim): claimOwner(claim).map { Place(subject: Self.member($0.member), year: $0.year) }
        case nil: nil
        }
    }

    public private(set) var entries: [String: Entry] = [:]
    var claimOwners: [Int64: (member: String, year: Int64)] = [:]

    public init() {}

    /// Adds an event, in seq order.
    public mutating func add(_ event: RecordedEvent) {
        // The lookup reads `claimOwners` in place: a copy held across the insert below would
        // make Swift copy the whole dictionary at every claim filed.
        let subject = EventSubject(event)
        guard let place = Self.place(of: subject, claimOwner: { claimOwners[$0] }) else { return }
        if event.kind == MutualAidKinds.claimFiled, case let .member(member, year?) = subject {
            claimOwners[event.seq] = (member, year)
        }
        if let year = place.year {
            entries[place.subject, default: Entry()].years[year, default: Tally()].add(event.hash)
        } else {
            entries[place.subject, default: Entry()].other.add(event.hash)
        }
    }

    /// The subjects in the index's order (their leaves' order in the tree).
    public var subjects: [String] { entries.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) } }

    /// Every entry in the index's order, with its canonical JSON and leaf hash: what
    /// `huzhu member index` keeps beside the index event.
    public func keptEntries() throws -> [KeptStatementEntry] {
        try subjects.map { subject in
            let bytes = try CanonicalJSON.encode(entries[subject]!.json(subject: subject))
            return KeptStatementEntry(subject: subject, entry: bytes, leaf: MerkleHashing.leafHash(bytes))
        }
    }

    /// The RFC 6962 root over every entry, sorted by subject.
    public func root() throws -> SHA256Hash { Self.root(of: try keptEntries().map(\.leaf)[...]) }

    static func root(of leaves: ArraySlice<SHA256Hash>) -> SHA256Hash {
        if leaves.isEmpty { return MerkleHashing.emptyRoot }
        if leaves.count == 1 { return leaves.first! }
        let split = Self.split(leaves.count)
        return MerkleHashing.nodeHash(root(of: leaves.prefix(split)), root(of: leaves.dropFirst(split)))
    }

    /// The root of `leaves` and, in the same walk, the RFC 6962 §2.1.1 audit path of each
    /// leaf at `targets` (positions counted from the slice's start): one hash per node, so
    /// a million leaves cost a second however many paths are asked for.
    static func root(of leaves: ArraySlice<SHA256Hash>, paths targets: Set<Int>) -> (root: SHA256Hash, paths: [Int: [SHA256Hash]]) {
        guard !targets.isEmpty else { return (root(of: leaves), [:]) }
        guard leaves.count > 1 else { return (root(of: leaves), Dictionary(uniqueKeysWithValues: targets.map { ($0, []) })) }
        let split = Self.split(leaves.count)
        let left = root(of: leaves.prefix(split), paths: targets.filter { $0 < split })
        let right = root(of: leaves.dropFirst(split), paths: Set(targets.filter { $0 >= split }.map { $0 - split }))
        var paths: [Int: [SHA256Hash]] = [:]
        for (target, path) in left.paths { paths[target] = path + [right.root] }
        for (target, path) in right.paths { paths[target + split] = path + [left.root] }
        return (MerkleHashing.nodeHash(left.root, right.root), paths)
    }

    /// The largest power of two smaller than `count`.
    static func split(_ count: Int) -> Int {
        var k = 1
        while k << 1 < count { k <<= 1 }
        return k
    }

    /// A subject's entry, its place among the leaves and its audit path to the index's root.
    public typealias EntryProof = (entry: JSONValue, index: Int, proof: [SHA256Hash])

    /// Each subject's entry in the index recorded at `indexSeq` with `root`, with its proof
    /// (nil for a subject the index has no entry for). From the index the books keep when its
    /// leaves give `root` and each entry its leaf; else recounted from the log, as for an index
    /// recorded before the books kept one.
    public static func proofs(for subjects: [String], indexSeq: Int64, root: SHA256Hash, records: any StatementIndexRecords,
                              reader: any LedgerStoreReader) throws -> [EntryProof?] {
        if let leaves = try records.keptStatementLeaves(indexSeq: indexSeq),
           let proofs = try proofs(of: try subjects.map { try records.keptStatementEntry(subject: $0, indexSeq: indexSeq) }, leaves: leaves, root: root) {
            return proofs
        }
        let entries = try build(reader: reader, before: indexSeq).keptEntries()
        let positions = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.subject, $0) })
        let found = subjects.map { subject in positions[subject].map { (position: $0, entry: entries[$0].entry) } }
        guard let proofs = try proofs(of: found, leaves: entries.map(\.leaf), root: nil) else {
            preconditionFailure("a recounted index's entries hash to its own leaves")
        }
        return proofs
    }

    /// The proofs of `entries` (each at its position among `leaves`) from one walk over the
    /// leaves; nil when an entry does not hash to its leaf, or the leaves do not give `root`.
    static func proofs(of entries: [(position: Int, entry: [UInt8])?], leaves: [SHA256Hash], root: SHA256Hash?) throws -> [EntryProof?]? {
        guard entries.allSatisfy({ entry in entry.map { $0.position < leaves.count && MerkleHashing.leafHash($0.entry) == leaves[$0.position] } ?? true })
        else { return nil }
        let walked = Self.root(of: leaves[...], paths: Set(entries.compactMap { $0?.position }))
        if let root, walked.root != root { return nil }
        return try entries.map { entry in try entry.map { (try JSONParser.parse($0.entry), $0.position, walked.paths[$0.position] ?? []) } }
    }

    /// The index as of the events before `seq` (every event when nil), read from the store.
    public static func build(reader: any LedgerStoreReader, before seq: Int64?) throws -> StatementIndex {
        var index = StatementIndex()
        let last = seq.map { $0 - 1 }
        if last.map({ $0 >= 1 }) ?? true {
            try reader.forEachStoredEvent(from: 1, through: last) { stored in
                index.add(try RecordedEvent(body: stored.body, signature: stored.signature))
                return true
            }
        }
        return index
    }

    /// The `data` of a `statements.indexed` event: the root, the number of entries, and the
    /// last seq the index covers (the event's own seq − 1).
    public func event(through: Int64, root: SHA256Hash) -> StatementsIndexedEvent {
        StatementsIndexedEvent(root: root, subjects: Int64(entries.count), through: through)
    }
}

extension StatementIndex {
    /// Records the index of every event so far (`statements.indexed`) and a checkpoint right
    /// after it, in one write: the statements built from then on prove their completeness
    /// up to the index. Returns the index event's seq and the checkpoint.
    public static func record(ledger: Ledger, signer: SigningKey) throws -> (seq: Int64, subjects: Int, checkpoint: RecordedCheckpoint) {
        try ledger.append(signer: signer) { session in
            let through = session.logSize
            let index = try StatementIndex.build(reader: session.store, before: through + 1)
            let entries = try index.keptEntries()
            let seq = try session.append(index.event(through: through, root: root(of: entries.map(\.leaf)[...])).draft()).seq
            try mutualAidTables(session.store).keepStatementIndex(entries, indexSeq: seq)
            let checkpoint = Checkpoint(ledgerID: ledger.info.id, treeSize: session.logSize, rootHash: session.root, time: EventTime.now(), signer: signer)
            let checkpointSeq = try session.append(CheckpointSignedEvent(checkpoint: checkpoint).draft()).seq
            return (seq, index.entries.count, RecordedCheckpoint(checkpoint: checkpoint, seq: checkpointSeq))
        }
    }
}

extension StatementIndex {
    /// Keeps the newest index's entries beside its event again, recounted from the events
    /// before it: for a register rebuilt from the log (`huzhu db copy`), which the kept
    /// entries are not part of. Returns the index's seq, or nil when the books hold none.
    public static func keepNewest(in writer: any LedgerStoreWriter) throws -> Int64? {
        guard let seq = try writer.seqs(ofKind: MutualAidKinds.statementsIndexed).last else { return nil }
        try mutualAidTables(writer).keepStatementIndex(try build(reader: writer, before: seq).keptEntries(), indexSeq: seq)
        return seq
    }
}
