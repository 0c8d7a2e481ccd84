import Ledger

/// `plan.published`: a plan year's rules as loaded from its TOML file, with the file's text
/// and hash so anyone can load it again and compare.
public struct PlanPublishedEvent: MutualAidEvent {
    public static let kind = MutualAidKinds.planPublished
    public let planID: String
    public let year: Int64
    /// The rules as `PlanRules.json` writes them.
    public let rules: JSONValue
    public let source: String
    public let sourceSHA256: String
    /// The file's name, without its folder.
    public let file: String

    public init(planID: String, year: Int64, rules: JSONValue, source: String, sourceSHA256: String, file: String) {
        self.planID = planID
        self.year = year
        self.rules = rules
        self.source = source
        self.sourceSHA256 = sourceSHA256
        self.file = file
    }

    public init(_ fields: EventFields) throws {
        self.init(planID: try fields.string("planId"), year: try fields.int("year"), rules: try fields.value("rules"),
                  source: try fields.string("source"), sourceSHA256: try fields.string("sourceSHA256"), file: try fields.string("file"))
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        try EventDraft(kind: Self.kind, fields: ["planId": .string(planID), "year": .integer(year), "rules": rules, "source": .string(source),
                                                 "sourceSHA256": .string(sourceSHA256), "file": .string(file)])
    }

    func project(_ event: RecordedEvent, tables: any MutualAidTables, writer: any LedgerStoreWriter) throws {
        try tables.insertPlan(year: year, planID: planID, seq: event.seq, rules: String(decoding: try CanonicalJSON.encode(rules), as: UTF8.self))
    }
}
