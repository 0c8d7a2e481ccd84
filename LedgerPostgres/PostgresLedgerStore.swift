import Foundation
import Ledger
import PostgresNIO

/// The ledger core's store on a PostgreSQL server (`--db postgres://…`), for an office whose
/// clerks on many machines write one ledger: the same `LedgerStore` calls as the SQLite
/// file, over the same tables (`PostgresSchema`), with the same canonical bytes, hashes
/// and roots.
///
/// Each `write` is one transaction that first locks `ledger_lock`'s row (`SELECT … FOR
/// UPDATE`), so writers anywhere queue there and each reads the chain's head only after it
/// holds the lock: seq and prev cannot fork. A connection lost mid-write rolls the whole
/// transaction back on the server. A `read` is one `REPEATABLE READ READ ONLY` transaction:
/// a consistent snapshot however long the audit or report reads.
///
/// The `LedgerStore` protocol is synchronous (the core, the domain and the CLI call it from
/// plain threads), so each statement waits for postgres-nio's future; never call it from an
/// event loop. One connection per store object, used by one transaction at a time (`lock`).
public final class PostgresLedgerStore: LedgerStore, @unchecked Sendable {
    public let info: PostgresConnectionInfo
    let connection: PostgresConnection
    let logger: Logger
    /// Transactions on the one connection run one at a time.
    let lock = NSLock()

    /// Connects to the database the URL names; with `create`, creates the ledger's tables
    /// there (the database must hold none yet), else requires them.
    public init(url: String, create: Bool = false) throws {
        info = try PostgresConnectionInfo(url: url)
        var logger = Logger(label: "huzhu.postgres")
        logger.logLevel = .critical
        self.logger = logger
        connection = try Self.connect(info, logger: logger)
        let transaction = Transaction(store: self)
        let hasTables = try transaction.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'events'") ?? 0 > 0
        if create {
            guard !hasTables else {
                throw LedgerInputError(field: "database", value: info.description, reason: "already holds a ledger; choose another database")
            }
            try run("BEGIN")
            do {
                for statement in PostgresSchema.ledgerV1 { try run(statement) }
                try run("COMMIT")
            } catch {
                _ = try? run("ROLLBACK")
                throw error
            }
        } else if !hasTables {
            throw LedgerStoreError.notALedger(info.description)
        }
        try migrate(PostgresSchema.migrations)
    }

    deinit { try? connection.close().wait() }

    static func connect(_ info: PostgresConnectionInfo, logger: Logger) throws -> PostgresConnection {
        do {
            return try PostgresConnection.connect(on: PostgresConnection.defaultEventLoopGroup.next(), configuration: try info.configuration(),
                                                  id: 1, logger: logger).wait()
        } catch {
            throw PostgresStoreError(action: "connect to \(info)", error)
        }
    }

    /// Creates an empty database `name` (lowercase letters, digits and `_`) on the server
    /// `url` reaches, as that URL's user, and returns the URL of the new database (same
    /// user, host and options): what a test or a benchmark makes a fresh ledger in.
    public static func createDatabase(_ name: String, server url: String) throws -> String {
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }),
              var components = URLComponents(string: url) else {
            throw LedgerInputError(field: "database", value: name, reason: "a new database's name is lowercase letters, digits and _")
        }
        var logger = Logger(label: "huzhu.postgres")
        logger.logLevel = .critical
        let info = try PostgresConnectionInfo(url: url)
        let connection = try connect(info, logger: logger)
        defer { try? connection.close().wait() }
        do {
            _ = try connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger).wait()
        } catch {
            throw PostgresStoreError(action: "create database \(name) on \(info)", error)
        }
        components.path = "/" + name
        return components.string ?? url
    }

    /// The schema versions the database records, in order.
    public func schemaVersions() throws -> [String] {
        try lock.withLock { try Transaction(store: self).texts("SELECT name FROM schema_versions ORDER BY name") }
    }

    public func describe() throws -> StoreDescription {
        try transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { transaction in
            StoreDescription(kind: "PostgreSQL", location: info.description,
                             engineVersion: try transaction.texts("SHOW server_version").first ?? "",
                             schemaVersions: try transaction.texts("SELECT name FROM schema_versions ORDER BY name"),
                             bytes: try transaction.scalar("SELECT pg_database_size(current_database())") ?? 0)
        }
    }

    /// Runs each migration the database has not recorded, in order, each in its own
    /// transaction with its name: for a domain whose tables live beside the ledger's (the
    /// mutual-aid register, `PostgresMutualAidSchema`). Migrations are taken under the
    /// writers' lock, so two processes opening a new database at once make the tables once.
    package func migrate(_ migrations: [(name: String, statements: [String])]) throws {
        for migration in migrations where try !schemaVersions().contains(migration.name) {
            try transaction(begin: "BEGIN") { transaction in
                _ = try transaction.rows("SELECT singleton FROM ledger_lock WHERE singleton = 1 FOR UPDATE")
                guard try transaction.scalar("SELECT count(*) FROM schema_versions WHERE name = $1", [.text(migration.name)]) == 0 else { return }
                for statement in migration.statements { try run(statement) }
                try run("INSERT INTO schema_versions VALUES ($1)", [.text(migration.name)])
            }
        }
    }

    public func read<T>(_ body: (any LedgerStoreReader) throws -> T) throws -> T {
        try transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    public func write<T>(_ body: (any LedgerStoreWriter) throws -> T) throws -> T {
        try transaction(begin: "BEGIN") { transaction in
            // The lock and the head the last writer left, in one round trip: FOR UPDATE returns
            // the row as the writer before us committed it, whatever our statement's snapshot.
            let locked = try transaction.rows("SELECT tree_size, last_hash, frontier, debits_fen FROM ledger_lock WHERE singleton = 1 FOR UPDATE")
            transaction.lockedHead = try locked.first.flatMap(Transaction.LockedHead.init)
            return try body(transaction)
        }
    }

    func transaction<T>(begin: String, _ body: (Transaction) throws -> T) throws -> T {
        try lock.withLock {
            try send(begin)
            let transaction = Transaction(store: self)
            do {
                let result = try body(transaction)
                try transaction.flush()
                try run("COMMIT")
                // A statement sent without waiting that failed made that COMMIT a rollback.
                try awaitSent()
                return result
            } catch {
                _ = try? run("ROLLBACK")
                unawaited.removeAll()
                throw error
            }
        }
    }

    /// Statements sent without waiting for their results (`send`), oldest first.
    var unawaited: [(result: EventLoopFuture<PostgresQueryResult>, sql: String)] = []
    /// Sent statements waited for together at most: bounds what a batch of a million rows keeps.
    static let unawaitedMax = 256

    /// Sends a statement whose result the caller does not need (a BEGIN, an INSERT, an UPDATE
    /// that need not find its row) without waiting for it. The connection runs statements in
    /// the order they were sent, so the next one waited for (at the latest the COMMIT) comes
    /// back after it; a failure aborts the transaction on the server, and is reported, with
    /// its own message, by the next wait (`run`, `awaitSent`). This saves the calling thread
    /// a round trip per row written: what bounds a clerk's single entry and a claim import.
    func send(_ sql: String, _ binds: [PostgresValue] = []) throws {
        unawaited.append((connection.query(PostgresQuery(unsafeSQL: sql, binds: Self.bindings(binds)), logger: logger), sql))
        if unawaited.count >= Self.unawaitedMax { try awaitSent() }
    }

    /// Waits for every statement sent without waiting; throws the first one's failure.
    func awaitSent() throws {
        let sent = unawaited
        unawaited.removeAll(keepingCapacity: true)
        for statement in sent {
            do {
                _ = try statement.result.wait()
            } catch {
                throw PostgresStoreError(action: "run \(statement.sql.split(separator: "\n").first ?? "")", error)
            }
        }
    }

    static func bindings(_ binds: [PostgresValue]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds {
            switch value {
            case let .integer(number): bindings.append(number)
            case let .text(text): bindings.append(text)
            case let .bytes(bytes): bindings.append(ByteBuffer(bytes: bytes))
            case let .texts(texts): bindings.append(texts)
            case .null: bindings.appendNull()
            }
        }
        return bindings
    }

    @discardableResult
    func run(_ sql: String, _ binds: [PostgresValue] = []) throws -> [PostgresRow] {
        do {
            let rows = Array(try connection.query(PostgresQuery(unsafeSQL: sql, binds: Self.bindings(binds)), logger: logger).wait())
            // Everything sent before it has run by now: surface a failure among them here.
            if !unawaited.isEmpty { try awaitSent() }
            return rows
        } catch let error as PostgresStoreError {
            throw error
        } catch {
            // A statement sent earlier that failed aborted the transaction, and so this one: say why.
            try awaitSent()
            throw PostgresStoreError(action: "run \(sql.split(separator: "\n").first ?? "")", error)
        }
    }

    /// One read or write transaction's calls.
    ///
    /// A batch writes a million events with their day totals and Merkle nodes, and one
    /// round trip per row would cap it at the server's latency (about 8,000 events/s on
    /// loopback). So the rows of those three tables are held and sent as multi-row
    /// statements of `flushRows` rows: when that many wait, before any read of those tables
    /// (the idempotency lookup of an append answers from the held rows first), and before
    /// COMMIT. A failed flush fails the transaction, which rolls back whole.
    public final class Transaction: LedgerStoreWriter {
        let store: PostgresLedgerStore

        init(store: PostgresLedgerStore) { self.store = store }

        /// Rows sent per multi-row statement (9 parameters an event: far below PostgreSQL's 65,535).
        static let flushRows = 1000

        struct HeldEvent {
            let event: StoredEvent
            let kind: String, time: String, actor: String, date: String?, idempotencyKey: String?
        }
        /// The head the row `ledger_lock` holds, as this write locked it; trusted once
        /// `chainHead()` found the events table ending where it says (`headTrusted`).
        struct LockedHead {
            let size: Int64
            let lastHash: [UInt8]
            let frontier: [UInt8]
            let debitsFen: Int64

            init?(_ row: PostgresRandomAccessRow) throws {
                guard let size = try row[0].decode(Int64?.self), let debits = try row[3].decode(Int64?.self),
                      row[1].bytes != nil, row[2].bytes != nil else { return nil }
                self.size = size
                lastHash = try Transaction.bytes(row[1])
                frontier = try Transaction.bytes(row[2])
                debitsFen = debits
            }
        }
        var lockedHead: LockedHead?
        var headTrusted = false
        /// What this write's appends read, read once at its head (`chainHead()`).
        var writerState: PostgresWriterState?
        /// A domain's view of its tables in this transaction, made once and kept here so every
        /// part of one write shares what it read ahead and holds (`PostgresMutualAidRegister`).
        /// What it holds is sent before any other statement of the transaction.
        package var domainRegister: (any PostgresHeldRows)?
        /// Debits this transaction added to the day totals, held or sent.
        var debitsAddedFen: Int64 = 0

        var heldEvents: [HeldEvent] = []
        var heldKeys: [String: Int64] = [:]
        var heldNodes: [(level: Int64, index: Int64, hash: [UInt8])] = []
        /// Day totals summed per (account, day) until sent: one upsert row each.
        var heldTotals: [DayAccount: (debit: Int64, credit: Int64)] = [:]

        struct DayAccount: Hashable {
            let account: String
            let day: String
        }

        /// Sends every held row: before any read of the tables they go to (a domain reading
        /// the events table calls it too).
        package func flush() throws {
            try domainRegister?.sendHeld()
            try flushEvents()
            try send(heldNodes.map { [.integer($0.level), .integer($0.index), .bytes($0.hash)] },
                     into: "merkle_nodes (level, idx, hash)")
            heldNodes.removeAll(keepingCapacity: true)
            try send(heldTotals.map { [.text($0.key.account), .text($0.key.day), .integer($0.value.debit), .integer($0.value.credit)] },
                     into: "account_day_totals (account, day, debit_fen, credit_fen)", suffix: """
                        ON CONFLICT (account, day) DO UPDATE SET debit_fen = account_day_totals.debit_fen + excluded.debit_fen,
                                                                 credit_fen = account_day_totals.credit_fen + excluded.credit_fen
                        """)
            heldTotals.removeAll(keepingCapacity: true)
        }

        func flushEvents() throws {
            try send(heldEvents.map { held in
                [.integer(held.event.seq), .bytes(held.event.hash.bytes), .bytes(held.event.body), .bytes(held.event.signature), .text(held.kind),
                 .text(held.time), .text(held.actor), held.date.map { .text($0) } ?? .null, held.idempotencyKey.map { .text($0) } ?? .null]
            }, into: "events (seq, hash, body, signature, kind, time, actor, date, idempotency_key)")
            heldEvents.removeAll(keepingCapacity: true)
            heldKeys.removeAll(keepingCapacity: true)
        }

        /// `INSERT INTO table (columns) VALUES (…), (…), …` in statements of at most `flushRows` rows.
        package func send(_ rows: [[PostgresValue]], into table: String, suffix: String = "") throws {
            var start = 0
            while start < rows.count {
                let chunk = rows[start..<min(rows.count, start + Self.flushRows)]
                var values: [String] = []
                var binds: [PostgresValue] = []
                for row in chunk {
                    values.append("(" + (1...row.count).map { "$\(binds.count + $0)" }.joined(separator: ", ") + ")")
                    binds += row
                }
                try store.send("INSERT INTO \(table) VALUES " + values.joined(separator: ", ") + " " + suffix, binds)
                start += chunk.count
            }
        }

        /// `UPDATE table AS t SET … FROM (VALUES (…), (…), …) AS v (columns) WHERE …`, in
        /// statements of at most `flushRows` rows: many rows changed in one statement, each
        /// row's values cast to its column's type (`columns`: name and type). No two rows may
        /// name the same target row.
        package func send(_ rows: [[PostgresValue]], updating table: String, columns: [(name: String, type: String)], set: String,
                          where condition: String) throws {
            var start = 0
            while start < rows.count {
                let chunk = rows[start..<min(rows.count, start + Self.flushRows)]
                var values: [String] = []
                var binds: [PostgresValue] = []
                for row in chunk {
                    values.append("(" + columns.indices.map { "$\(binds.count + $0 + 1)::\(columns[$0].type)" }.joined(separator: ", ") + ")")
                    binds += row
                }
                try store.send("UPDATE \(table) SET \(set) FROM (VALUES " + values.joined(separator: ", ") + ") AS v ("
                               + columns.map(\.name).joined(separator: ", ") + ") WHERE \(condition)", binds)
                start += chunk.count
            }
        }

        /// Runs a write whose result the caller does not need, without waiting for it
        /// (`PostgresLedgerStore.send`): for a domain's tables kept in the same transaction.
        package func execute(_ sql: String, _ binds: [PostgresValue] = []) throws {
            try domainRegister?.sendHeld()
            try store.send(sql, binds)
        }

        /// The rows a statement gives (none for a write), for this store's calls and for a
        /// domain's tables kept in the same transaction.
        package func rows(_ sql: String, _ binds: [PostgresValue] = []) throws -> [PostgresRandomAccessRow] {
            try domainRegister?.sendHeld()
            return try store.run(sql, binds).map { $0.makeRandomAccess() }
        }

        package func scalar(_ sql: String, _ binds: [PostgresValue] = []) throws -> Int64? {
            try rows(sql, binds).first.flatMap { try $0[0].decode(Int64?.self) }
        }

        func texts(_ sql: String, _ binds: [PostgresValue] = []) throws -> [String] {
            try rows(sql, binds).map { try $0[0].decode(String.self) }
        }

        package static func bytes(_ cell: PostgresCell) throws -> [UInt8] {
            var buffer = try cell.decode(ByteBuffer.self)
            return buffer.readBytes(length: buffer.readableBytes) ?? []
        }

        // MARK: Reading

        public func ledgerInfo() throws -> LedgerInfo? {
            try rows("SELECT id, name FROM ledger_info").first.map { LedgerInfo(id: try $0[0].decode(String.self), name: try $0[1].decode(String.self)) }
        }

        public func size() throws -> Int64 {
            try flush()
            return try scalar("SELECT coalesce(max(seq), 0) FROM events") ?? 0
        }

        public func storedEvent(seq: Int64) throws -> StoredEvent? {
            var found: StoredEvent?
            try forEachStoredEvent(from: seq, through: seq) { found = $0; return false }
            return found
        }

        /// Events are read in pages of `pageSize`, so a full audit holds one page at a time.
        static let pageSize: Int64 = 2048

        public func forEachStoredEvent(from first: Int64, through last: Int64?, _ visit: (StoredEvent) throws -> Bool) throws {
            try forEachStoredEventWithColumns(from: first, through: last) { event, _ in try visit(event) }
        }

        /// Reads the events in windows of `pageSize` seqs, asking for the next window before
        /// visiting this one's events, so the server sends it, and the driver's thread decodes
        /// it, while the caller verifies: the reading is not one round trip, then one page's
        /// work, after another. Windows by seq, not `LIMIT`, so the next one can be asked for
        /// before this one's last seq is known; a window a gap leaves short (events deleted
        /// behind the log's back) is read on past, up to the last event there is.
        public func forEachStoredEventWithColumns(from first: Int64, through last: Int64?,
                                                  _ visit: (StoredEvent, StoredEventColumns) throws -> Bool) throws {
            try flush()
            let end = try last ?? (scalar("SELECT coalesce(max(seq), 0) FROM events") ?? 0)
            guard first <= end else { return }
            try store.awaitSent()
            let sql = """
                SELECT seq, hash, body, signature, kind, time, actor, date, idempotency_key FROM events
                WHERE seq >= $1 AND seq < $2 AND seq <= $3 ORDER BY seq
                """
            func window(from start: Int64) -> EventLoopFuture<[(StoredEvent, StoredEventColumns)]> {
                store.connection.query(PostgresQuery(unsafeSQL: sql, binds: PostgresLedgerStore.bindings(
                    [.integer(start), .integer(start + Self.pageSize), .integer(end)])), logger: store.logger)
                    .flatMapThrowing { result in try result.map(Self.storedEvent) }
            }
            var start = first
            var pending: EventLoopFuture<[(StoredEvent, StoredEventColumns)]>? = window(from: start)
            // A window asked for and not read when the visit stops is still waited for, so
            // the connection is left with nothing in flight.
            defer { if let pending { _ = try? pending.wait() } }
            while let current = pending {
                let page: [(StoredEvent, StoredEventColumns)]
                do { page = try current.wait() } catch {
                    pending = nil
                    throw PostgresStoreError(action: "read the events from seq \(start)", error)
                }
                let following = start + Self.pageSize
                pending = following <= end ? window(from: following) : nil
                for (event, columns) in page {
                    guard try visit(event, columns) else { return }
                }
                start = following
            }
        }

        /// An event and its index columns from a row of `events` (seq, hash, body, signature,
        /// kind, time, actor, date, idempotency_key).
        @Sendable static func storedEvent(_ row: PostgresRow) throws -> (StoredEvent, StoredEventColumns) {
            let row = row.makeRandomAccess()
            let event = StoredEvent(seq: try row[0].decode(Int64.self), hash: try SHA256Hash(bytes: try bytes(row[1])), body: try bytes(row[2]),
                                    signature: try bytes(row[3]))
            let columns = StoredEventColumns(kind: try row[4].decode(String.self), time: try row[5].decode(String.self),
                                             actor: try row[6].decode(String.self), date: try row[7].decode(String?.self),
                                             idempotencyKey: try row[8].decode(String?.self))
            return (event, columns)
        }

        public func seqs(ofKind kind: EventKind) throws -> [Int64] {
            try flush()
            return try rows("SELECT seq FROM events WHERE kind = $1 ORDER BY seq", [.text(kind.name)]).map { try $0[0].decode(Int64.self) }
        }

        public func seq(idempotencyKey: String) throws -> Int64? {
            if let held = heldKeys[idempotencyKey] { return held }
            if let ahead = keysAhead[idempotencyKey] { return ahead }
            return try scalar("SELECT seq FROM events WHERE idempotency_key = $1", [.text(idempotencyKey)])
        }

        /// Keys read ahead (`readAhead(idempotencyKeys:)`): each with the seq that used it, or
        /// nil for none. This write's own events are added as they are inserted.
        var keysAhead: [String: Int64?] = [:]

        public func readAhead(idempotencyKeys keys: [String]) throws {
            keysAhead.removeAll(keepingCapacity: true)
            guard !keys.isEmpty else { return }
            try flush()
            for key in keys { keysAhead[key] = .some(nil) }
            for row in try rows("SELECT idempotency_key, seq FROM events WHERE idempotency_key = ANY($1)", [.texts(keys)]) {
                keysAhead[try row[0].decode(String.self)] = .some(try row[1].decode(Int64.self))
            }
        }

        public func repeatedIdempotencyKeys(limit: Int) throws -> [(key: String, seqs: [Int64])] {
            try flush()
            return try rows("""
                SELECT idempotency_key, string_agg(CAST(seq AS TEXT), ',' ORDER BY seq) FROM events
                WHERE idempotency_key IS NOT NULL GROUP BY idempotency_key HAVING count(*) > 1
                ORDER BY min(seq) LIMIT $1
                """, [.integer(Int64(limit))]).map { row in
                (try row[0].decode(String.self), try row[1].decode(String.self).split(separator: ",").compactMap { Int64($0) })
            }
        }

        static let accountColumns = "SELECT code, name, type, opened_seq, closed_seq FROM accounts"

        static func account(_ row: PostgresRandomAccessRow) throws -> Account {
            Account(code: try AccountCode(try row[0].decode(String.self)), name: try row[1].decode(String.self),
                    type: AccountType(rawValue: try row[2].decode(String.self)) ?? .asset, openedSeq: try row[3].decode(Int64.self),
                    closedSeq: try row[4].decode(Int64?.self))
        }

        public func account(_ code: AccountCode) throws -> Account? {
            if let writerState { return writerState.accounts[code.value] }
            return try rows(Self.accountColumns + " WHERE code = $1", [.text(code.value)]).first.map(Self.account)
        }

        public func accounts() throws -> [Account] {
            if let writerState {
                return writerState.accounts.values.sorted { Array($0.code.value.utf8).lexicographicallyPrecedes(Array($1.code.value.utf8)) }
            }
            return try rows(Self.accountColumns + " ORDER BY code COLLATE \"C\"").map(Self.account)
        }

        public func hasSubaccounts(_ code: AccountCode) throws -> Bool {
            if let writerState { return writerState.hasSubaccounts(code.value) }
            return try scalar("SELECT count(*) FROM accounts WHERE code COLLATE \"C\" > $1 AND code COLLATE \"C\" < $2 AND length(code) > $3",
                       [.text(code.value), .text(code.value + ":"), .integer(Int64(code.value.count))]) ?? 0 > 0
        }

        static let keyColumns = "SELECT key_id, public_key, roles, holder, registered_seq, revoked_seq FROM keys"

        static func key(_ row: PostgresRandomAccessRow) throws -> RegisteredKey {
            RegisteredKey(id: try KeyID(try row[0].decode(String.self)), publicKey: try PublicKey(rawBytes: try bytes(row[1])),
                          roles: roles(try row[2].decode(String.self)), holder: try row[3].decode(String.self),
                          registeredSeq: try row[4].decode(Int64.self), revokedSeq: try row[5].decode(Int64?.self))
        }

        /// A key's roles as the `roles` column keeps them: names joined by commas.
        static func roles(_ column: String) -> Set<Role> {
            Set(column.split(separator: ",").compactMap { Role(rawValue: String($0)) })
        }

        public func key(_ id: KeyID) throws -> RegisteredKey? {
            if let writerState { return writerState.keys[id] }
            return try rows(Self.keyColumns + " WHERE key_id = $1", [.text(id.value)]).first.map(Self.key)
        }

        public func keys() throws -> [RegisteredKey] {
            if let writerState { return writerState.keys.values.sorted { $0.registeredSeq < $1.registeredSeq } }
            return try rows(Self.keyColumns + " ORDER BY registered_seq").map(Self.key)
        }

        public func totals(from: LedgerDate?, through: LedgerDate?) throws -> [AccountCode: AccountTotals] {
            try flush()
            var result: [AccountCode: AccountTotals] = [:]
            for row in try rows("""
                SELECT account, sum(debit_fen)::BIGINT, sum(credit_fen)::BIGINT FROM account_day_totals
                WHERE day >= $1 AND day <= $2 GROUP BY account
                """, [.text(from?.text ?? "0000-00-00"), .text(through?.text ?? "9999-99-99")]) {
                result[try AccountCode(try row[0].decode(String.self))] = AccountTotals(debit: Money(fen: try row[1].decode(Int64.self)),
                                                                                       credit: Money(fen: try row[2].decode(Int64.self)))
            }
            return result
        }

        public func debitsTotalFen() throws -> Int64 {
            if headTrusted, let lockedHead { return lockedHead.debitsFen + debitsAddedFen }
            try flush()
            return try scalar("SELECT coalesce(sum(debit_fen), 0)::BIGINT FROM account_day_totals") ?? 0
        }

        /// The head the lock's row holds when the events table ends at its size and last hash
        /// (one indexed read, which also sends held rows); else the head read from the log.
        public func chainHead() throws -> ChainHead {
            try flush()
            let state = try PostgresWriterState(rows: try rows(PostgresWriterState.sql))
            writerState = state
            let size = state.last?.seq ?? 0
            let lastHash = state.last?.hash ?? .zero
            if let lockedHead, lockedHead.size == size, lockedHead.lastHash == lastHash.bytes,
               lockedHead.frontier.count % 32 == 0,
               let frontier = MerkleFrontier(size: size, hashes: try stride(from: 0, to: lockedHead.frontier.count, by: 32).map {
                   try SHA256Hash(bytes: Array(lockedHead.frontier[$0..<$0 + 32]))
               }) {
                headTrusted = true
                return ChainHead(lastHash: lastHash, frontier: frontier)
            }
            return try ChainHead(reading: self)
        }

        /// Writes the head after this write's appends into the lock's row, for the next writer.
        public func recordChainHead(_ head: ChainHead) throws {
            // Trusted: the total as locked plus this write's; else summed once, now that the held totals are sent.
            let debits = try debitsTotalFen()
            try store.send("UPDATE ledger_lock SET tree_size = $1, last_hash = $2, frontier = $3, debits_fen = $4 WHERE singleton = 1",
                    [.integer(head.size), .bytes(head.lastHash.bytes), .bytes(head.frontier.subtrees.flatMap(\.hash.bytes)), .integer(debits)])
        }

        /// A node of a kept level as stored; of another level, folded from the nodes of the
        /// kept level below it (`MerkleStoredLevels`), in one range query either way.
        /// Kept-level nodes read ahead: a verification asks for one node per 16 events in
        /// order, so they are fetched `nodeWindow` at a time instead of one round trip each.
        var nodeCache: (level: Int, first: Int64, hashes: [SHA256Hash])?
        static let nodeWindow: Int64 = 1024

        public func merkleNode(level: Int, index: Int64) throws -> SHA256Hash {
            try flush()
            let base = MerkleStoredLevels.keptLevel(atOrBelow: level)
            let width = Int64(1) << (level - base)
            let first = index * width
            if base == 0 {
                let found = try rows("SELECT hash FROM events WHERE seq >= $1 AND seq <= $2 ORDER BY seq", [.integer(first + 1), .integer(first + width)])
                let nodes = try found.map { try SHA256Hash(bytes: try Self.bytes($0[0])) }
                guard nodes.count == width else { throw LedgerStoreError.missingMerkleNode(level: level, index: index) }
                return MerkleStoredLevels.fold(nodes)
            }
            if let cache = nodeCache, cache.level == base, first >= cache.first, first + width <= cache.first + Int64(cache.hashes.count) {
                let start = Int(first - cache.first)
                return MerkleStoredLevels.fold(Array(cache.hashes[start..<start + Int(width)]))
            }
            let found = try rows("SELECT idx, hash FROM merkle_nodes WHERE level = $1 AND idx >= $2 AND idx <= $3 ORDER BY idx",
                                 [.integer(Int64(base)), .integer(first), .integer(first + max(width, Self.nodeWindow) - 1)])
            var hashes: [SHA256Hash] = []
            for row in found {
                // Only an unbroken run from `first` is kept: a gap is a missing node.
                guard try row[0].decode(Int64.self) == first + Int64(hashes.count) else { break }
                hashes.append(try SHA256Hash(bytes: try Self.bytes(row[1])))
            }
            guard hashes.count >= width else { throw LedgerStoreError.missingMerkleNode(level: level, index: index) }
            nodeCache = (base, first, hashes)
            return MerkleStoredLevels.fold(Array(hashes[0..<Int(width)]))
        }

        public func checkpoints() throws -> [RecordedCheckpoint] {
            try rows("""
                SELECT c.tree_size, c.root, c.time, c.key_id, c.signature, c.seq, i.id FROM checkpoints c, ledger_info i ORDER BY c.tree_size
                """).map { row in
                let checkpoint = Checkpoint(ledgerID: try row[6].decode(String.self), treeSize: try row[0].decode(Int64.self),
                                            rootHash: try SHA256Hash(bytes: try Self.bytes(row[1])), time: try EventTime(try row[2].decode(String.self)),
                                            keyID: try KeyID(try row[3].decode(String.self)), signature: try Self.bytes(row[4]))
                return RecordedCheckpoint(checkpoint: checkpoint, seq: try row[5].decode(Int64.self))
            }
        }

        public func closedPeriods() throws -> [Period: Int64] {
            if let writerState { return writerState.closedPeriods }
            var result: [Period: Int64] = [:]
            for row in try rows("SELECT period, seq FROM closed_periods") {
                if let period = try? Period(try row[0].decode(String.self)) { result[period] = try row[1].decode(Int64.self) }
            }
            return result
        }

        public func reversal(of seq: Int64) throws -> Int64? {
            try scalar("SELECT reversal_seq FROM reversals WHERE original_seq = $1", [.integer(seq)])
        }

        // MARK: Writing

        public func insertLedgerInfo(_ info: LedgerInfo) throws {
            try store.send("INSERT INTO ledger_info (singleton, id, name) VALUES (1, $1, $2)", [.text(info.id), .text(info.name)])
        }

        public func insert(_ event: StoredEvent, kind: EventKind, time: EventTime, actor: KeyID, date: LedgerDate?,
                           idempotencyKey: String?) throws {
            heldEvents.append(HeldEvent(event: event, kind: kind.name, time: time.text, actor: actor.value, date: date?.text,
                                        idempotencyKey: idempotencyKey))
            if let idempotencyKey {
                heldKeys[idempotencyKey] = event.seq
                if keysAhead[idempotencyKey] != nil { keysAhead[idempotencyKey] = .some(event.seq) }
            }
            if heldEvents.count >= Self.flushRows { try flushEvents() }
        }

        public func insertMerkleNode(level: Int, index: Int64, hash: SHA256Hash) throws {
            guard MerkleStoredLevels.isKept(level) else { return }
            heldNodes.append((Int64(level), index, hash.bytes))
            nodeCache = nil
        }

        public func insertAccount(_ account: Account) throws {
            try store.send("INSERT INTO accounts (code, name, type, opened_seq, closed_seq) VALUES ($1, $2, $3, $4, $5)",
                          [.text(account.code.value), .text(account.name), .text(account.type.rawValue), .integer(account.openedSeq),
                           account.closedSeq.map { .integer($0) } ?? .null])
            writerState?.accounts[account.code.value] = account
        }

        public func closeAccount(_ code: AccountCode, seq: Int64) throws {
            try store.send("UPDATE accounts SET closed_seq = $1 WHERE code = $2", [.integer(seq), .text(code.value)])
            if let open = writerState?.accounts[code.value] {
                writerState?.accounts[code.value] = Account(code: open.code, name: open.name, type: open.type, openedSeq: open.openedSeq, closedSeq: seq)
            }
        }

        public func insertKey(_ key: RegisteredKey) throws {
            try store.send("INSERT INTO keys (key_id, public_key, roles, holder, registered_seq, revoked_seq) VALUES ($1, $2, $3, $4, $5, $6)",
                          [.text(key.id.value), .bytes(key.publicKey.rawBytes), .text(key.roles.map(\.rawValue).sorted().joined(separator: ",")),
                           .text(key.holder), .integer(key.registeredSeq), key.revokedSeq.map { .integer($0) } ?? .null])
            writerState?.keys[key.id] = key
        }

        public func revokeKey(_ id: KeyID, seq: Int64) throws {
            try store.send("UPDATE keys SET revoked_seq = $1 WHERE key_id = $2", [.integer(seq), .text(id.value)])
            writerState?.keys[id]?.revokedSeq = seq
        }

        public func addTotals(account: AccountCode, date: LedgerDate, debit: Money, credit: Money) throws {
            debitsAddedFen += debit.fen
            let key = DayAccount(account: account.value, day: date.text)
            let held = heldTotals[key] ?? (0, 0)
            heldTotals[key] = (held.debit + debit.fen, held.credit + credit.fen)
        }

        public func insertCheckpoint(_ recorded: RecordedCheckpoint) throws {
            let checkpoint = recorded.checkpoint
            try store.send("INSERT INTO checkpoints (tree_size, root, time, key_id, signature, seq) VALUES ($1, $2, $3, $4, $5, $6)",
                          [.integer(checkpoint.treeSize), .bytes(checkpoint.rootHash.bytes), .text(checkpoint.time.text),
                           .text(checkpoint.keyID.value), .bytes(checkpoint.signature), .integer(recorded.seq)])
        }

        public func insertClosedPeriod(_ period: Period, seq: Int64) throws {
            try store.send("INSERT INTO closed_periods (period, seq) VALUES ($1, $2)", [.text(period.text), .integer(seq)])
            writerState?.closedPeriods[period] = seq
        }

        public func insertReversal(original: Int64, reversal: Int64) throws {
            try store.send("INSERT INTO reversals (original_seq, reversal_seq) VALUES ($1, $2)", [.integer(original), .integer(reversal)])
        }
    }
}

/// A value bound to a statement's `$n`.
package enum PostgresValue {
    case integer(Int64)
    case text(String)
    case bytes([UInt8])
    /// A `text[]`, for `= ANY($1)`.
    case texts([String])
    case null
}

/// A domain's rows held in a transaction and sent as multi-row statements, as the store
/// holds the events: `sendHeld` is called before any other statement of the transaction
/// runs (a read, a write that is not held, COMMIT), so nothing reads around them.
package protocol PostgresHeldRows: AnyObject {
    func sendHeld() throws
}

/// A PostgreSQL error as one sentence: what was being done and the server's message
/// (postgres-nio's own description hides it), never the connection's password.
public struct PostgresStoreError: Error, CustomStringConvertible {
    public let description: String

    init(action: String, _ error: any Error) {
        if let psql = error as? PSQLError {
            let message = psql.serverInfo?[.message] ?? "\(psql.code)"
            let code = psql.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            description = "PostgreSQL: cannot \(action): \(message)\(code)"
        } else {
            description = "PostgreSQL: cannot \(action): \(error)"
        }
    }
}

/// A database's tables read as plain values, so the audit can compare its projections with
/// a replay of the log (`TableRowReader`). Integers of every width, booleans (as 0 or 1),
/// text and JSON (as text) and bytea are what the schema holds; anything else is refused.
extension PostgresLedgerStore.Transaction: TableRowReader {
    public func forEachRow(of table: String, columns: [String], _ visit: ([StoreValue]) throws -> Void) throws {
        let list = columns.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ", ")
        for row in try rows("SELECT \(list) FROM \"\(table)\"") {
            try visit(try (0..<columns.count).map { try Self.storeValue(row[$0]) })
        }
    }

    static func storeValue(_ cell: PostgresCell) throws -> StoreValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .text, .varchar, .name: return .text(try cell.decode(String.self))
        case .json: return .text(cell.bytes.map { String(buffer: $0) } ?? "")
        case .bytea: return .blob(try bytes(cell))
        default:
            throw LedgerStoreError.unsupported("column \(cell.columnName) has PostgreSQL type \(cell.dataType), which a ledger file cannot hold as it is")
        }
    }
}

