import Ledger

/// A Huzhu ledger as the tools open it: the Ledger core plus the mutual-aid domain's
/// event kinds, role rules and projections.
public enum HuzhuLedger {
    /// Which roles may sign which kinds, for the core and the mutual-aid domain.
    public static let policy: RolePolicy = RolePolicy.ledgerCore.merging(MutualAidKinds.policy)

    /// The projections every append and replay applies after the core projection.
    public static var projections: [any EventProjection] { [MutualAidProjection()] }

    /// The plan's accounts, which plain entries may not move (see `PlanControls`).
    public static var accountControl: any AccountControl { PlanAccountControl() }

    /// Opens the ledger file at `path`.
    public static func open(path: String) throws -> Ledger {
        let store = try SQLiteLedgerStore(path: path)
        try MutualAidSchema.migrate(store)
        return try Ledger(store: store, policy: policy, projections: projections, accountControl: accountControl)
    }

    /// Creates a new ledger file at `path` with the default chart.
    public static func create(path: String, name: String, admin: SigningKey, adminHolder: String) throws -> Ledger {
        let store = try SQLiteLedgerStore(path: path, create: true)
        do {
            try MutualAidSchema.migrate(store)
            return try Ledger.create(store: store, name: name, admin: admin, adminHolder: adminHolder,
                                     policy: policy, projections: projections, accountControl: accountControl)
        } catch {
            // A ledger that failed to initialise is not a ledger; leave no file behind.
            store.removeFiles()
            throw error
        }
    }
}

