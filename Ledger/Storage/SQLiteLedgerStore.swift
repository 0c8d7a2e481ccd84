import Foundation
import GRDB
import GRDBSQLite

/// The embedded store: one SQLite file in WAL mode (a batch that has the file to itself
/// writes in the rollback journal: `WriteSharing`).
///
/// Several processes may open one file. Each write is a `BEGIN IMMEDIATE` transaction
/// (`BEGIN EXCLUSIVE` for a batch that has the file to itself), so writers queue on
/// SQLite's lock (waiting up to `busyTimeout`) and each one reads the chain's head only
/// after it holds the lock.
public final class SQLiteLedgerStore: LedgerStore {
    public let path: String
    /// The connection; domains run their own migrations on it.
    public let queue: DatabaseQueue

    /// How long a writer waits for another process's transaction before giving up, and a
    /// reader for a batch that has the file to itself (`WriteSharing`). A 1,000,000-claim
    /// import holds the file for about half a minute.
    ///
    /// SQLite's page cache is 64 MiB (`cache_size`): a batch of a million events in one
    /// transaction then writes few pages to the file (or the WAL) more than once, and
    /// memory stays bounded whatever the batch.
    public static let busyTimeout: TimeInterval = 120
    /// `PRAGMA cache_size`, in KiB (negative), for every connection.
    static let cacheSizeKiB = -65536

    /// What a file's worth of events gets here (`WriteShape`): the store's own performance
    /// modes, which no caller names.
    public struct BulkWriteModes: Sendable {
        /// A bulk write takes the file for itself, in the rollback journal, when no other
        /// connection has it open (`WriteSharing.exclusiveWhenAlone`, `SQLiteJournal`).
        public var takesFileWhenAlone = true
        /// A bulk write whose pages are not read again, having the file to itself, writes its
        /// pages out and drops them from the page cache as it goes (`BatchPageRelease`); nil: never.
        var pageRelease: BatchPageRelease.Policy? = BatchPageRelease.Policy()

        public init() {}
    }

    public let bulkWrites: BulkWriteModes

    /// True when this process may not write the file (its permissions, or a read-only
    /// mount): the ledger is opened read-only, so that what only reads it (verify, audit,
    /// reports, lists, an auditor's copy) works, and every write is refused up front with
    /// `LedgerStoreError.readOnly` instead of failing inside SQLite.
    public let isReadOnly: Bool

    /// Opens (and with `create`, creates) the ledger file at `path`.
    /// A file's worth of events is written as `bulkWrites` says.
    public init(path: String, create: Bool = false, bulkWrites: BulkWriteModes = BulkWriteModes()) throws {
        if !create && !FileManager.default.fileExists(atPath: path) {
            throw LedgerInputError(field: "database", value: path,
                                   reason: "no ledger file there; create one with `huzhu init` or pass --db")
        }
        if create && FileManager.default.fileExists(atPath: path) {
            throw LedgerInputError(field: "database", value: path, reason: "a file already exists there; choose another path")
        }
        if !create {
            // Looked at read-only first: opening someone else's database must not switch its
            // journal or add a ledger's tables to it before saying it is not a ledger.
            var peek = Configuration()
            peek.readonly = true
            peek.busyMode = .timeout(SQLiteLedgerStore.busyTimeout)
            let handle = FileHandle(forReadingAtPath: path)
            let header = (try? handle?.read(upToCount: 16)) ?? nil
            try? handle?.close()
            // An empty file is SQLite's too (a database not yet written); anything else is not a ledger.
            guard header == nil || header!.isEmpty || header == Data("SQLite format 3\u{0}".utf8) else { throw LedgerStoreError.notALedger(path) }
            // A file a batch holds (or a copy with its journal beside it) cannot be peeked at
            // read-only; the writable open below waits for it or rolls the journal back.
            if let tables = try? DatabaseQueue(path: path, configuration: peek).read({
                try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
            }), !tables.contains("events") {
                throw LedgerStoreError.notALedger(path)
            }
        }
        let readOnly = !create && access(path, W_OK) != 0
        var configuration = Configuration()
        configuration.busyMode = .timeout(SQLiteLedgerStore.busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.readonly = readOnly
        configuration.prepareDatabase { db in
            guard !readOnly else {
                // Neither the page size, the journal nor secure_delete can be set on a file
                // opened read-only; the cache is this connection's own.
                try db.execute(sql: "PRAGMA cache_size = \(SQLiteLedgerStore.cacheSizeKiB)")
                return
            }
            // 16 KiB pages hold about twenty events each instead of five: fewer pages to
            // split and write per million events. The size is fixed when a file is created
            // (before WAL mode writes the header), and ignored for an existing file.
            try db.execute(sql: "PRAGMA page_size = 16384; PRAGMA cache_size = \(SQLiteLedgerStore.cacheSizeKiB);")
            // Deleted content (a member's erased personal data) is overwritten with zeros, not
            // left in free pages; set here rather than left to how SQLite was built.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            try SQLiteJournal.enterWAL(db)
        }
        self.path = path
        self.bulkWrites = bulkWrites
        self.isReadOnly = readOnly
        queue = try DatabaseQueue(path: readOnly ? try Self.readOnlyName(path) : path, configuration: configuration)
        try migrate(SQLiteSchema.migrator())
    }

    /// The name SQLite opens a read-only ledger by. A reader of a WAL file needs its shared-memory
    /// index (`-shm`) beside it, which it creates when missing; in a folder it may not write
    /// (an auditor's read-only copy, a read-only mount) it cannot, and SQLite refuses the file.
    /// With no write-ahead log there either, the file itself holds every committed event and
    /// nobody can be writing it, so it is opened as immutable (a URI; Debian's SQLite
    /// accepts them); with a log it cannot index, it is refused with what to do.
    static func readOnlyName(_ path: String) throws -> String {
        let manager = FileManager.default
        let folder = (path as NSString).deletingLastPathComponent
        guard !manager.fileExists(atPath: path + "-shm"), access(folder.isEmpty ? "." : folder, W_OK) != 0 else { return path }
        guard !manager.fileExists(atPath: path + "-wal") else {
            throw LedgerInputError(field: "database", value: path, reason: """
                read-only, in a folder this user cannot write, with a write-ahead log (-wal) beside it that \
                cannot be read without its index; open it once where it is writable, or copy the folder
                """)
        }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return "file:" + (absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute) + "?immutable=1"
    }

    /// Brings the file's tables up to date (the core's here, a domain's through the same
    /// call). A read-only file cannot be upgraded: one written by an older Huzhu is refused
    /// with what to do, rather than read through a schema this code does not expect.
    public func migrate(_ migrator: DatabaseMigrator) throws {
        guard isReadOnly else { return try migrator.migrate(queue) }
        guard try queue.read({ try migrator.hasCompletedMigrations($0) }) else { throw LedgerStoreError.needsUpgrade(path) }
    }

    public func read<T>(_ body: (any LedgerStoreReader) throws -> T) throws -> T {
        try queue.read { db in try body(Transaction(db: db)) }
    }

    public func write<T>(_ body: (any LedgerStoreWriter) throws -> T) throws -> T {
        try requireWritable()
        return try queue.writeWithoutTransaction { db in try Self.transaction(db, body) }
    }

    private func requireWritable() throws {
        if isReadOnly { throw LedgerStoreError.readOnly(path) }
    }

    /// How a write of `shape` shares the file, under `bulkWrites`.
    func sharing(for shape: WriteShape) -> WriteSharing {
        switch shape {
        case .command: .concurrentReaders
        case _ where !bulkWrites.takesFileWhenAlone: .concurrentReaders
        case .bulk: .exclusiveWhenAlone
        case .bulkWrittenOnce: bulkWrites.pageRelease == nil ? .exclusiveWhenAlone : .exclusiveWhenAloneReleasingPages
        }
    }

    /// `write`; a bulk write in the rollback journal when no other connection has the file
    /// open (see `BulkWriteModes`, `WriteSharing`, `SQLiteJournal` and `BatchPageRelease`).
    public func write<T>(shape: WriteShape, _ body: (any LedgerStoreWriter) throws -> T) throws -> T {
        let sharing = sharing(for: shape)
        guard sharing != .concurrentReaders else { return try write(body) }
        try requireWritable()
        return try queue.writeWithoutTransaction { db in
            let alone = try SQLiteJournal.enterRollback(db)
            defer { if alone { SQLiteJournal.leaveRollback(db) } }
            // In the rollback journal, `BEGIN IMMEDIATE` would let new readers in until the
            // first page reached the file, and the batch would then wait for them to finish;
            // `BEGIN EXCLUSIVE` holds them off from the start.
            return try Self.transaction(db, kind: alone ? .exclusive : .immediate,
                                        pageRelease: alone && sharing == .exclusiveWhenAloneReleasingPages
                                            ? bulkWrites.pageRelease.flatMap { BatchPageRelease(path: path, policy: $0) } : nil, body)
        }
    }

    private static func transaction<T>(_ db: Database, kind: Database.TransactionKind = .immediate, pageRelease: BatchPageRelease? = nil,
                                       _ body: (any LedgerStoreWriter) throws -> T) throws -> T {
        var result: T?
        try db.inTransaction(kind) {
            result = try body(Transaction(db: db, pageRelease: pageRelease))
            return .commit
        }
        return result!
    }

    public func describe() throws -> StoreDescription {
        let (version, migrations) = try queue.read { db in
            (try String.fetchOne(db, sql: "SELECT sqlite_version()") ?? "",
             try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid"))
        }
        let bytes = [path, path + "-wal"].reduce(Int64(0)) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int64) ?? 0)
        }
        return StoreDescription(kind: "SQLite", location: path, engineVersion: version, schemaVersions: migrations, bytes: bytes)
    }

    /// Copies the write-ahead log into the file and empties it, so what a transaction deleted
    /// (an erasure) is gone from the log file too. False when a reader's snapshot holds the
    /// log back; the next checkpoint completes it.
    public func checkpointJournal() throws -> Bool {
        try requireWritable()
        return try queue.writeWithoutTransaction { db in
            guard try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal" else { return true }
            let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            return (row?[0] as Int64?) == 0
        }
    }

    /// Runs `body` with the raw GRDB connection; for domain projections that keep
    /// their own tables in the same file and transaction.
    public func withDatabase<T>(_ body: (Database) throws -> T) throws -> T {
        try requireWritable()
        return try queue.writeWithoutTransaction(body)
    }

    /// One read or write transaction. Domain projections reach the same connection
    /// through `db`, so their tables commit or roll back with the events.
    public final class Transaction: LedgerStoreWriter {
        public let db: Database

        /// The event insert, prepared at the first event of the transaction rather than
        /// found in GRDB's cache, which hashes the statement's text, for each of a million.
        private var eventInsert: Statement?
        /// For a batch that has the file to itself: keeps its pages from piling up in the page cache.
        let pageRelease: BatchPageRelease?

        init(db: Database, pageRelease: BatchPageRelease? = nil) {
            self.db = db
            self.pageRelease = pageRelease
        }

        // MARK: Reading

        public func ledgerInfo() throws -> LedgerInfo? {
            try Row.fetchOne(db, sql: "SELECT id, name FROM ledger_info").map { LedgerInfo(id: $0[0], name: $0[1]) }
        }

        public func size() throws -> Int64 {
            try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM events") ?? 0
        }

        public func storedEvent(seq: Int64) throws -> StoredEvent? {
            var found: StoredEvent?
            try forEachStoredEvent(from: seq, through: seq) { found = $0; return false }
            return found
        }

        public func forEachStoredEvent(from first: Int64, through last: Int64?, _ visit: (StoredEvent) throws -> Bool) throws {
            try forEachEventRow(columns: "seq, hash, body, signature", from: first, through: last) { handle in
                try visit(Self.storedEvent(handle))
            }
        }

        public func forEachStoredEventWithColumns(from first: Int64, through last: Int64?,
                                                  _ visit: (StoredEvent, StoredEventColumns) throws -> Bool) throws {
            try forEachEventRow(columns: "seq, hash, body, signature, kind, time, actor, date, idempotency_key",
                                from: first, through: last) { handle in
                let columns = StoredEventColumns(kind: Self.text(handle, 4) ?? "", time: Self.text(handle, 5) ?? "",
                                                 actor: Self.text(handle, 6) ?? "", date: Self.text(handle, 7),
                                                 idempotencyKey: Self.text(handle, 8))
                return try visit(Self.storedEvent(handle), columns)
            }
        }

        /// Steps through the events with `first ≤ seq ≤ last` in seq order, selecting
        /// `columns` (the first four always seq, hash, body, signature), until `visit` says stop.
        /// Raw statements: a log scan reads a million rows, and GRDB's row decoding would be
        /// a visible share of verifying them.
        private func forEachEventRow(columns: String, from first: Int64, through last: Int64?,
                                     _ visit: (OpaquePointer?) throws -> Bool) throws {
            let statement = try db.cachedStatement(sql: "SELECT \(columns) FROM events WHERE seq >= ? AND seq <= ? ORDER BY seq")
            let handle = statement.sqliteStatement
            sqlite3_reset(handle)
            sqlite3_bind_int64(handle, 1, first)
            sqlite3_bind_int64(handle, 2, last ?? Int64.max)
            defer { sqlite3_reset(handle) }
            while true {
                let code = sqlite3_step(handle)
                if code == SQLITE_DONE { return }
                guard code == SQLITE_ROW else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection))) }
                guard try visit(handle) else { return }
            }
        }

        static func storedEvent(_ handle: OpaquePointer?) -> StoredEvent {
            StoredEvent(seq: sqlite3_column_int64(handle, 0), hash: SHA256Hash(trusted: blob(handle, 1)),
                        body: blob(handle, 2), signature: blob(handle, 3))
        }

        static func text(_ handle: OpaquePointer?, _ column: Int32) -> String? {
            guard sqlite3_column_type(handle, column) != SQLITE_NULL, let pointer = sqlite3_column_text(handle, column) else { return nil }
            return String(decoding: UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
        }

        static func blob(_ handle: OpaquePointer?, _ column: Int32) -> [UInt8] {
            let count = Int(sqlite3_column_bytes(handle, column))
            guard count > 0, let pointer = sqlite3_column_blob(handle, column) else { return [] }
            return Array(UnsafeRawBufferPointer(start: pointer, count: count))
        }

        public func seqs(ofKind kind: EventKind) throws -> [Int64] {
            try Int64.fetchAll(db, sql: "SELECT seq FROM events WHERE kind = ? ORDER BY seq", arguments: [kind.name])
        }

        public func seq(idempotencyKey: String) throws -> Int64? {
            let handle = try db.cachedStatement(sql: "SELECT seq FROM events WHERE idempotency_key = ?").sqliteStatement
            sqlite3_reset(handle)
            Self.bind(handle, 1, idempotencyKey)
            defer { sqlite3_reset(handle) }
            return sqlite3_step(handle) == SQLITE_ROW ? sqlite3_column_int64(handle, 0) : nil
        }

        public func repeatedIdempotencyKeys(limit: Int) throws -> [(key: String, seqs: [Int64])] {
            // NOT INDEXED: the scan sorts the column itself rather than walk the unique index,
            // which would hide a repeat if it were damaged or replaced by a non-unique one.
            // SQLite's sorter keeps as much in memory as the page cache may hold (64 MiB, some
            // 40 MB for a million keys) before it spills to a temporary file; it is given 8 MiB
            // here, which costs no time measurably and keeps a full audit's memory flat.
            try db.execute(sql: "PRAGMA cache_size = -8192")
            defer { try? db.execute(sql: "PRAGMA cache_size = \(SQLiteLedgerStore.cacheSizeKiB)") }
            return try Row.fetchAll(db, sql: """
                SELECT idempotency_key, group_concat(seq) FROM events NOT INDEXED
                WHERE idempotency_key IS NOT NULL GROUP BY idempotency_key HAVING count(*) > 1
                ORDER BY min(seq) LIMIT ?
                """, arguments: [limit]).map { row in
                (row[0], (row[1] as String).split(separator: ",").compactMap { Int64($0) }.sorted())
            }
        }

        public func account(_ code: AccountCode) throws -> Account? {
            try Row.fetchOne(db, sql: "SELECT code, name, type, opened_seq, closed_seq FROM accounts WHERE code = ?",
                             arguments: [code.value]).map(Self.account(from:))
        }

        public func accounts() throws -> [Account] {
            try Row.fetchAll(db, sql: "SELECT code, name, type, opened_seq, closed_seq FROM accounts ORDER BY code").map(Self.account(from:))
        }

        static func account(from row: Row) -> Account {
            Account(code: AccountCode(trusted: row[0]), name: row[1], type: AccountType(rawValue: row[2]) ?? .asset,
                    openedSeq: row[3], closedSeq: row[4])
        }

        public func hasSubaccounts(_ code: AccountCode) throws -> Bool {
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM accounts WHERE code > ? AND code < ? AND length(code) > ?)",
                              arguments: [code.value, code.value + ":", code.value.count]) ?? false
        }

        public func key(_ id: KeyID) throws -> RegisteredKey? {
            try Row.fetchOne(db, sql: "SELECT key_id, public_key, roles, holder, registered_seq, revoked_seq FROM keys WHERE key_id = ?",
                             arguments: [id.value]).map(Self.key(from:))
        }

        public func keys() throws -> [RegisteredKey] {
            try Row.fetchAll(db, sql: "SELECT key_id, public_key, roles, holder, registered_seq, revoked_seq FROM keys ORDER BY registered_seq")
                .map(Self.key(from:))
        }

        static func key(from row: Row) throws -> RegisteredKey {
            let publicKeyData: Data = row[1]
            let roles = (row[2] as String).split(separator: ",").compactMap { Role(rawValue: String($0)) }
            return RegisteredKey(id: KeyID(trusted: row[0]), publicKey: try PublicKey(rawBytes: Array(publicKeyData)),
                                 roles: Set(roles), holder: row[3], registeredSeq: row[4], revokedSeq: row[5])
        }

        public func totals(from: LedgerDate?, through: LedgerDate?) throws -> [AccountCode: AccountTotals] {
            let rows = try Row.fetchAll(db, sql: """
                SELECT account, sum(debit_fen), sum(credit_fen) FROM account_day_totals
                WHERE day >= ? AND day <= ? GROUP BY account
                """, arguments: [from?.text ?? "0000-00-00", through?.text ?? "9999-99-99"])
            var result: [AccountCode: AccountTotals] = [:]
            for row in rows {
                result[AccountCode(trusted: row[0])] = AccountTotals(debit: Money(fen: row[1]), credit: Money(fen: row[2]))
            }
            return result
        }

        public func debitsTotalFen() throws -> Int64 {
            try Int64.fetchOne(db, sql: "SELECT coalesce(sum(debit_fen), 0) FROM account_day_totals") ?? 0
        }

        /// A node of a kept level is read as it is; one of another level is folded from the
        /// (at most eight) nodes of the kept level below it. Either way one range query.
        /// Raw statements: verification looks up one node per sixteen events, so GRDB's row
        /// decoding would be a visible share of its cost.
        public func merkleNode(level: Int, index: Int64) throws -> SHA256Hash {
            let base = MerkleStoredLevels.keptLevel(atOrBelow: level)
            let width = Int64(1) << (level - base)
            let first = index * width
            let handle: OpaquePointer?
            if base == 0 {
                handle = try db.cachedStatement(sql: "SELECT hash FROM events WHERE seq >= ? AND seq <= ? ORDER BY seq").sqliteStatement
                sqlite3_reset(handle)
                sqlite3_bind_int64(handle, 1, first + 1)
                sqlite3_bind_int64(handle, 2, first + width)
            } else {
                handle = try db.cachedStatement(sql: "SELECT hash FROM merkle_nodes WHERE level = ? AND idx >= ? AND idx <= ? ORDER BY idx").sqliteStatement
                sqlite3_reset(handle)
                sqlite3_bind_int64(handle, 1, Int64(base))
                sqlite3_bind_int64(handle, 2, first)
                sqlite3_bind_int64(handle, 3, first + width - 1)
            }
            defer { sqlite3_reset(handle) }
            var nodes: [SHA256Hash] = []
            nodes.reserveCapacity(Int(width))
            while sqlite3_step(handle) == SQLITE_ROW {
                let bytes = Self.blob(handle, 0)
                guard bytes.count == 32 else { throw LedgerStoreError.missingMerkleNode(level: level, index: index) }
                nodes.append(SHA256Hash(trusted: bytes))
            }
            guard nodes.count == width else { throw LedgerStoreError.missingMerkleNode(level: level, index: index) }
            return MerkleStoredLevels.fold(nodes)
        }

        public func checkpoints() throws -> [RecordedCheckpoint] {
            try Row.fetchAll(db, sql: "SELECT c.tree_size, c.root, c.time, c.key_id, c.signature, c.seq, i.id FROM checkpoints c, ledger_info i ORDER BY c.tree_size")
                .map { row in
                    let root: Data = row[1]
                    let signature: Data = row[4]
                    let checkpoint = Checkpoint(ledgerID: row[6], treeSize: row[0], rootHash: SHA256Hash(trusted: Array(root)),
                                                time: EventTime(trusted: row[2]), keyID: KeyID(trusted: row[3]),
                                                signature: Array(signature))
                    return RecordedCheckpoint(checkpoint: checkpoint, seq: row[5])
                }
        }

        public func closedPeriods() throws -> [Period: Int64] {
            var result: [Period: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT period, seq FROM closed_periods") {
                if let period = try? Period(row[0] as String) { result[period] = row[1] }
            }
            return result
        }

        public func reversal(of seq: Int64) throws -> Int64? {
            try Int64.fetchOne(db, sql: "SELECT reversal_seq FROM reversals WHERE original_seq = ?", arguments: [seq])
        }

        // MARK: Writing

        public func insertLedgerInfo(_ info: LedgerInfo) throws {
            try db.execute(sql: "INSERT INTO ledger_info (singleton, id, name) VALUES (1, ?, ?)", arguments: [info.id, info.name])
        }

        public func insert(_ event: StoredEvent, kind: EventKind, time: EventTime, actor: KeyID, date: LedgerDate?,
                           idempotencyKey: String?) throws {
            let statement = try eventInsert ?? db.cachedStatement(sql: """
                INSERT INTO events (seq, hash, body, signature, kind, time, actor, date, idempotency_key)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            eventInsert = statement
            let handle = statement.sqliteStatement
            sqlite3_reset(handle)
            sqlite3_bind_int64(handle, 1, event.seq)
            // Every value is bound where it lies (SQLITE_STATIC), alive through the step, not
            // copied into memory SQLite allocates and frees: a bulk import writes a million
            // events, and copying five texts each was a seventh of the insert.
            try event.body.withUnsafeBytes { body in
                try event.signature.withUnsafeBytes { signature in
                    try event.hash.bytes.withUnsafeBytes { hash in
                        SQLiteBinding.bind(hash, to: handle, at: 2)
                        SQLiteBinding.bind(body, to: handle, at: 3)
                        SQLiteBinding.bind(signature, to: handle, at: 4)
                        try SQLiteBinding.whileBound(kind.name, to: handle, at: 5) {
                            try SQLiteBinding.whileBound(time.text, to: handle, at: 6) {
                                try SQLiteBinding.whileBound(actor.value, to: handle, at: 7) {
                                    try SQLiteBinding.whileBound(date?.text, to: handle, at: 8) {
                                        try SQLiteBinding.whileBound(idempotencyKey, to: handle, at: 9) { try step(handle) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            pageRelease?.noteEvent()
        }

        public func insertMerkleNode(level: Int, index: Int64, hash: SHA256Hash) throws {
            guard MerkleStoredLevels.isKept(level) else { return }
            let handle = try db.cachedStatement(sql: "INSERT INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)").sqliteStatement
            sqlite3_reset(handle)
            sqlite3_bind_int64(handle, 1, Int64(level))
            sqlite3_bind_int64(handle, 2, index)
            Self.bind(handle, 3, hash.bytes)
            try step(handle)
        }

        public func insertAccount(_ account: Account) throws {
            try db.execute(sql: "INSERT INTO accounts (code, name, type, opened_seq, closed_seq) VALUES (?, ?, ?, ?, ?)",
                           arguments: [account.code.value, account.name, account.type.rawValue, account.openedSeq, account.closedSeq])
        }

        public func closeAccount(_ code: AccountCode, seq: Int64) throws {
            try db.execute(sql: "UPDATE accounts SET closed_seq = ? WHERE code = ?", arguments: [seq, code.value])
        }

        public func insertKey(_ key: RegisteredKey) throws {
            try db.execute(sql: """
                INSERT INTO keys (key_id, public_key, roles, holder, registered_seq, revoked_seq) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [key.id.value, Data(key.publicKey.rawBytes), key.roles.map(\.rawValue).sorted().joined(separator: ","),
                                 key.holder, key.registeredSeq, key.revokedSeq])
        }

        public func revokeKey(_ id: KeyID, seq: Int64) throws {
            try db.execute(sql: "UPDATE keys SET revoked_seq = ? WHERE key_id = ?", arguments: [seq, id.value])
        }

        public func addTotals(account: AccountCode, date: LedgerDate, debit: Money, credit: Money) throws {
            let handle = try db.cachedStatement(sql: """
                INSERT INTO account_day_totals (account, day, debit_fen, credit_fen) VALUES (?, ?, ?, ?)
                ON CONFLICT (account, day) DO UPDATE SET debit_fen = debit_fen + excluded.debit_fen,
                                                         credit_fen = credit_fen + excluded.credit_fen
                """).sqliteStatement
            sqlite3_reset(handle)
            Self.bind(handle, 1, account.value)
            Self.bind(handle, 2, date.text)
            sqlite3_bind_int64(handle, 3, debit.fen)
            sqlite3_bind_int64(handle, 4, credit.fen)
            try step(handle)
        }

        public func insertCheckpoint(_ recorded: RecordedCheckpoint) throws {
            let checkpoint = recorded.checkpoint
            try db.execute(sql: "INSERT INTO checkpoints (tree_size, root, time, key_id, signature, seq) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [checkpoint.treeSize, Data(checkpoint.rootHash.bytes), checkpoint.time.text,
                                       checkpoint.keyID.value, Data(checkpoint.signature), recorded.seq])
        }

        public func insertClosedPeriod(_ period: Period, seq: Int64) throws {
            try db.execute(sql: "INSERT INTO closed_periods (period, seq) VALUES (?, ?)", arguments: [period.text, seq])
        }

        public func insertReversal(original: Int64, reversal: Int64) throws {
            try db.execute(sql: "INSERT INTO reversals (original_seq, reversal_seq) VALUES (?, ?)", arguments: [original, reversal])
        }

        // MARK: Raw statement helpers (the hot path of bulk imports)

        private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

        static func bind(_ handle: OpaquePointer?, _ index: Int32, _ bytes: [UInt8]) {
            bytes.withUnsafeBytes { buffer in
                _ = sqlite3_bind_blob(handle, index, buffer.baseAddress, Int32(buffer.count), transient)
            }
        }

        static func bind(_ handle: OpaquePointer?, _ index: Int32, _ text: String) {
            var text = text
            text.withUTF8 { buffer in
                _ = sqlite3_bind_text(handle, index, buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                      Int32(buffer.count), transient)
            }
        }

        private func step(_ handle: OpaquePointer?) throws {
            let code = sqlite3_step(handle)
            sqlite3_reset(handle)
            guard code == SQLITE_DONE else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
        }
    }
}

extension SQLiteLedgerStore {
    /// Deletes the database file and its companions (WAL, or a batch's rollback journal);
    /// for undoing a failed `init`.
    public func removeFiles() {
        try? queue.close()
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
