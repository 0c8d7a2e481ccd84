import Ledger

/// `contribution.reversed`: a bill, receipt or refund reversed (开单/到账/退还冲销), with
/// the figures it copies from the step so the unit's sums are undone from the log alone
/// (the audit checks the copy against the step).
public struct ContributionReversedEvent: MutualAidEvent {
    public static let kind = MutualAidKinds.contributionReversed

    /// The step undone, and its figures.
    public enum Undone: Sendable, Equatable {
        case bill(headcount: Int64, unitFen: Int64, subsidyFen: Int64)
        case receipt(amountFen: Int64, bankReference: String)
        case refund(amountFen: Int64)

        public var kind: EventKind {
            switch self {
            case .bill: MutualAidKinds.contributionBilled
            case .receipt: MutualAidKinds.contributionReceived
            case .refund: MutualAidKinds.contributionRefunded
            }
        }

        /// What the step took off the unit's sums, to be added back negated.
        public var change: UnitContributionRecord {
            var undone = UnitContributionRecord()
            switch self {
            case let .bill(headcount, unitFen, subsidyFen):
                undone.billedHeadcount = -headcount
                undone.billedUnit = Money(fen: -unitFen)
                undone.billedSubsidy = Money(fen: -subsidyFen)
            case let .receipt(amountFen, _): undone.received = Money(fen: -amountFen)
            case let .refund(amountFen): undone.refunded = Money(fen: -amountFen)
            }
            return undone
        }
    }

    public let reversal: ReversalFields
    public let unit: String
    public let planYear: Int64
    public let undone: Undone

    public init(reversal: ReversalFields, unit: String, planYear: Int64, undone: Undone) {
        self.reversal = reversal
        self.unit = unit
        self.planYear = planYear
        self.undone = undone
    }

    public init(_ fields: EventFields) throws {
        let undone: Undone
        switch try fields.string("reversedKind") {
        case MutualAidKinds.contributionBilled.name:
            undone = .bill(headcount: try fields.int("headcount"), unitFen: try fields.int("unitFen"), subsidyFen: try fields.int("subsidyFen"))
        case MutualAidKinds.contributionReceived.name:
            undone = .receipt(amountFen: try fields.int("amountFen"), bankReference: try fields.string("bankReference"))
        case MutualAidKinds.contributionRefunded.name:
            undone = .refund(amountFen: try fields.int("amountFen"))
        case let other:
            throw fields.badField("reverses a \(other) event, which is not a contribution")
        }
        self.init(reversal: try ReversalFields(fields), unit: try fields.string("unit"), planYear: try fields.int("planYear"), undone: undone)
    }

    /// The fields the domain adds to the reversal (`DomainReversal`), beside the ones every reversal has.
    public static func fields(unit: String, planYear: Int64, undone: Undone) -> [String: JSONValue] {
        var fields: [String: JSONValue] = ["reversedKind": .string(undone.kind.name), "unit": .string(unit), "planYear": .integer(planYear)]
        switch undone {
        case let .bill(headcount, unitFen, subsidyFen):
            fields["headcount"] = .integer(headcount)
            fields["unitFen"] = .integer(unitFen)
            fields["subsidyFen"] = .integer(subsidyFen)
        case let .receipt(amountFen, bankReference):
            fields["amountFen"] = .integer(amountFen)
            fields["bankReference"] = .string(bankReference)
        case let .refund(amountFen):
            fields["amountFen"] = .integer(amountFen)
        }
        return fields
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        try reversal.draft(kind: Self.kind, fields: Self.fields(unit: unit, planYear: planYear, undone: undone))
    }

    func project(_ event: RecordedEvent, tables: any MutualAidTables, writer: any LedgerStoreWriter) throws {
        guard try tables.addContributions(unit: unit, planYear: planYear, undone.change, mustExist: true) else {
            throw EventFields(event).badField("names unit \(unit), which has no contributions for \(planYear)")
        }
        try writer.insertReversal(original: reversal.reverses, reversal: event.seq)
    }
}
