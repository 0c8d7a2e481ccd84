import Foundation

/// A signed, hash-chained double-entry ledger.
///
/// ```swift
/// let admin = SigningKey()
/// let ledger = try Ledger.create(store: SQLiteLedgerStore(path: "huzhu.db", create: true),
///                                name: "某市总工会职工医疗互助", admin: admin)
/// try ledger.append(signer: clerk) { session in
///     try session.append(EventDraft(kind: .entryPosted, date: LedgerDate("2026-10-08"), postings: [...]))
/// }
/// ```
///
/// Every change is an event appended through an `AppendSession`; balances, keys and
/// accounts are projections of the events, updated in the same transaction.
public final class Ledger: Sendable {
    public let store: any LedgerStore
    public let info: LedgerInfo
    public let policy: RolePolicy
    /// A domain's projections, applied after the core projection to every event.
    public let projections: [any EventProjection]
    /// The accounts a domain moves only through its own kinds; plain entries may not post
    /// to them (see `AccountControl`). Nil: every account takes plain entries.
    public let accountControl: (any AccountControl)?
    let coreProjection = CoreProjection()

    /// Opens an existing ledger.
    public init(store: any LedgerStore, policy: RolePolicy = .ledgerCore, projections: [any EventProjection] = [],
                accountControl: (any AccountControl)? = nil) throws {
        guard let info = try store.read({ try $0.ledgerInfo() }) else {
            throw LedgerStoreError.notALedger((store as? SQLiteLedgerStore)?.path ?? "the store")
        }
        self.store = store
        self.info = info
        self.policy = policy
        self.projections = projections
        self.accountControl = accountControl
    }

    private init(store: any LedgerStore, info: LedgerInfo, policy: RolePolicy, projections: [any EventProjection],
                 accountControl: (any AccountControl)?) {
        self.store = store
        self.info = info
        self.policy = policy
        self.projections = projections
        self.accountControl = accountControl
    }

    /// Creates a ledger in an empty store: the genesis event registers `admin` as the
    /// first administrator, then one `account.opened` event per account of `chart`.
    public static func create(store: any LedgerStore, name: String, admin: SigningKey, adminHolder: String = "administrator",
                              chart: Chart? = nil, policy: RolePolicy = .ledgerCore,
                              projections: [any EventProjection] = [], accountControl: (any AccountControl)? = nil,
                              extraEvents: [EventDraft] = []) throws -> Ledger {
        let trimmedName = name.trimmingSpaces()
        guard !trimmedName.isEmpty, trimmedName.count <= 200 else {
            throw LedgerInputError(field: "name", value: name, reason: "a ledger needs a name of 1 to 200 characters")
        }
        let chart = try chart ?? Chart.shipped()
        let info = LedgerInfo(id: UUID().uuidString.lowercased(), name: trimmedName)
        let ledger = Ledger(store: store, info: info, policy: policy, projections: projections, accountControl: accountControl)
        try ledger.append(signer: admin) { session in
            guard session.logSize == 0 else {
                throw LedgerInputError(field: "database", value: "", reason: "the store already holds a ledger")
            }
            let admin = KeyRegisteredEvent(publicKey: admin.publicKey, roles: [.admin], holder: adminHolder)
            try session.append(LedgerCreatedEvent(name: trimmedName, chart: chart.name, admin: admin).draft())
            for entry in chart.entries {
                try session.append(AccountOpenedEvent(code: entry.code, name: entry.name, type: entry.type).draft())
            }
            for draft in extraEvents { try session.append(draft) }
        }
        return ledger
    }

    /// Runs `body` in one write transaction with an append session signing as `signer`.
    /// If `body` or any append throws, nothing is written.
    ///
    /// A batch read from a file says so by its `shape` (`WriteShape`); the store decides
    /// what that asks of it.
    @discardableResult
    public func append<T>(signer: SigningKey, shape: WriteShape = .command,
                          _ body: (AppendSession) throws -> T) throws -> T {
        try store.write(shape: shape) { writer in
            let session = try AppendSession(ledger: self, store: writer, signer: signer, ledgerID: info.id)
            let result = try body(session)
            try session.finish()
            return result
        }
    }

    /// Reads from a consistent snapshot.
    public func read<T>(_ body: (any LedgerStoreReader) throws -> T) throws -> T {
        try store.read(body)
    }
}
