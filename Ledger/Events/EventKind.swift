/// What an event records, as a dotted name ("entry.posted").
///
/// The Ledger defines the kinds of a general signed double-entry log; a domain such as
/// MutualAid adds its own kinds (and the roles that may sign them) through a `RolePolicy`.
public struct EventKind: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let name: String

    public init(_ name: String) { self.name = name }
    public init(stringLiteral value: String) { self.name = value }

    public var description: String { name }
    public static func < (lhs: EventKind, rhs: EventKind) -> Bool { lhs.name < rhs.name }

    /// The first event: names the ledger and registers its first administrator key.
    public static let ledgerCreated: EventKind = "ledger.created"
    public static let keyRegistered: EventKind = "key.registered"
    public static let keyRevoked: EventKind = "key.revoked"
    public static let accountOpened: EventKind = "account.opened"
    public static let accountClosed: EventKind = "account.closed"
    /// A journal entry (记账凭证) posted by hand or from a batch file.
    public static let entryPosted: EventKind = "entry.posted"
    /// An entry that undoes an earlier one by posting its lines on the opposite sides.
    public static let entryReversed: EventKind = "entry.reversed"
    /// A signed tree head recorded in the log itself.
    public static let checkpointSigned: EventKind = "checkpoint.signed"
    /// A month closed: nothing dated inside it is accepted afterwards.
    public static let periodClosed: EventKind = "period.closed"
}

/// Which roles may sign which kinds of event.
///
/// Append and verification consult the same policy, so a rule enforced when an event is
/// written is checked again, from the log alone, when it is audited.
public struct RolePolicy: Sendable {
    public private(set) var rolesByKind: [EventKind: Set<Role>]

    public init(_ rolesByKind: [EventKind: Set<Role>]) { self.rolesByKind = rolesByKind }

    /// The Ledger's own kinds.
    public static let ledgerCore = RolePolicy([
        .ledgerCreated: [.admin],
        .keyRegistered: [.admin],
        .keyRevoked: [.admin],
        .accountOpened: [.admin],
        .accountClosed: [.admin],
        .entryPosted: [.clerk],
        .entryReversed: [.clerk],
        .checkpointSigned: [.admin],
        .periodClosed: [.admin],
    ])

    /// This policy with `other`'s kinds added.
    public func merging(_ other: RolePolicy) -> RolePolicy {
        RolePolicy(rolesByKind.merging(other.rolesByKind, uniquingKeysWith: { _, new in new }))
    }

    /// The roles that may sign `kind`; an unknown kind may be signed by nobody.
    public func roles(for kind: EventKind) -> Set<Role> { rolesByKind[kind] ?? [] }
}
