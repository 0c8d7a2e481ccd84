import Ledger

/// `statements.indexed`: the root of the statement index over every event through
/// `through` (FORMAT §10), and how many members and units it indexes.
public struct StatementsIndexedEvent: MutualAidEvent, Equatable {
    public static let kind = MutualAidKinds.statementsIndexed
    public let root: SHA256Hash
    public let subjects: Int64
    public let through: Int64

    public init(root: SHA256Hash, subjects: Int64, through: Int64) {
        self.root = root
        self.subjects = subjects
        self.through = through
    }

    public init(_ fields: EventFields) throws {
        self.init(root: try fields.parsed("root") { try SHA256Hash(hex: $0) }, subjects: try fields.int("subjects"), through: try fields.int("through"))
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        try EventDraft(kind: Self.kind, fields: ["root": .string(root.hex), "subjects": .integer(subjects), "through": .integer(through)])
    }
}
