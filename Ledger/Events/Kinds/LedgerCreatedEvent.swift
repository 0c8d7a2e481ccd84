/// `ledger.created`, the first event: the ledger's name, its chart, and its first
/// administrator key.
public struct LedgerCreatedEvent: EventValue, Equatable {
    public static let kind = EventKind.ledgerCreated
    public let name: String
    /// The name of the chart of accounts opened after it (`Chart.name`).
    public let chart: String
    public let admin: KeyRegisteredEvent

    public init(name: String, chart: String, admin: KeyRegisteredEvent) {
        self.name = name
        self.chart = chart
        self.admin = admin
    }

    public init(_ fields: EventFields) throws {
        guard let admin = try fields.value("admin").objectValue else { throw fields.missing("admin") }
        self.init(name: try fields.string("name"), chart: try fields.string("chart"), admin: try KeyRegisteredEvent(object: admin, at: fields))
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        try EventDraft(kind: Self.kind, fields: ["name": .string(name), "chart": .string(chart), "admin": .object(admin.object)])
    }
}
