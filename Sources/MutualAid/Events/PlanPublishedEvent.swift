import Ledger

/// `plan.published`: a plan year's rules as loaded from its TOML file, with the file's text
/// and hash so anyone can load it again and compare.
///
/// The first publication of a plan id for a year has no `effective` or `reason`: its rules
/// hold for the whole term. Publishing the id again is an amendment (`PlanAmendment`): its
/// rules replace the plan's from `effective` on, for claims filed after it.
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
    /// Set when this publication amends rules already published for the plan and year.
    public let amendment: PlanAmendment?

    public init(planID: String, year: Int64, rules: JSONValue, source: String, sourceSHA256: String, file: String,
                amendment: PlanAmendment? = nil) {
        self.planID = planID
        self.year = year
        self.rules = rules
        self.source = source
        self.sourceSHA256 = sourceSHA256
        self.file = file
        self.amendment = amendment
    }

    public init(_ fields: EventFields) throws {
        var amendment: PlanAmendment?
        if try fields.optionalString("effective") != nil {
            amendment = PlanAmendment(effective: try fields.parsed("effective") { try LedgerDate($0) }, reason: try fields.string("reason"))
        } else if try fields.optionalString("reason") != nil {
            throw fields.badField("has a reason but no effective date")
        }
        self.init(planID: try fields.string("planId"), year: try fields.int("year"), rules: try fields.value("rules"),
                  source: try fields.string("source"), sourceSHA256: try fields.string("sourceSHA256"), file: try fields.string("file"),
                  amendment: amendment)
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        var fields: [String: JSONValue] = ["planId": .string(planID), "year": .integer(year), "rules": rules, "source": .string(source),
                                           "sourceSHA256": .string(sourceSHA256), "file": .string(file)]
        if let amendment {
            fields["effective"] = .string(amendment.effective.text)
            fields["reason"] = .string(amendment.reason)
        }
        return try EventDraft(kind: Self.kind, fields: fields)
    }

    func project(_ event: RecordedEvent, tables: any MutualAidTables, writer: any LedgerStoreWriter) throws {
        try tables.insertPlan(PublishedPlanRecord(seq: event.seq, year: Int(year), planID: planID, effective: amendment?.effective.text,
                                                  rules: String(decoding: try CanonicalJSON.encode(rules), as: UTF8.self)))
    }
}

/// What makes a publication an amendment: the day its rules take effect (a service date
/// on or after it is assessed by them) and why the plan changed, for the record.
public struct PlanAmendment: Sendable, Hashable {
    public static let reasonLengthMax = 500

    public let effective: LedgerDate
    public let reason: String

    public init(effective: LedgerDate, reason: String) {
        self.effective = effective
        self.reason = reason
    }
}
