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
}
