import Ledger

/// `unit.added`: a work unit (基层单位) whose members enrol through it, keyed `unit:<id>`.
public struct UnitAddedEvent: MutualAidEvent {
    public static let kind = MutualAidKinds.unitAdded
    public let unit: String
    public let name: String
    public let idempotencyKey: String

    public init(unit: String, name: String) {
        self.init(unit: unit, name: name, idempotencyKey: "unit:\(unit)")
    }

    private init(unit: String, name: String, idempotencyKey: String) {
        self.unit = unit
        self.name = name
        self.idempotencyKey = idempotencyKey
    }

    public init(_ fields: EventFields) throws {
        self.init(unit: try fields.string("unit"), name: try fields.string("name"), idempotencyKey: try fields.idempotencyKey())
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        try EventDraft(kind: Self.kind, idempotencyKey: idempotencyKey, fields: ["unit": .string(unit), "name": .string(name)])
    }

    func project(_ event: RecordedEvent, tables: any MutualAidTables, writer: any LedgerStoreWriter) throws {
        try tables.insertUnit(unit, name: name, seq: event.seq)
    }
}
