import Ledger

/// `claim.filed`: a claim as filed, where it stands in the plan, and the rules engine's
/// assessment; the claim's id is this event's seq.
///
/// A batch files through `ClaimFiledData`, which holds the filing's own values and writes
/// these same fields straight to canonical bytes; this is the event as recorded, read back
/// by the replay, the audit and the reports.
public struct ClaimFiledEvent: MutualAidEvent {
    public static let kind = MutualAidKinds.claimFiled

    /// The assessment as the event records it: the outcome and the caps it was computed
    /// against (not the explanation, which the audit derives from the same numbers).
    public struct Assessment: Sendable, Equatable {
        public let payoutFen: Int64
        public let benefitUsedFen: Int64
        public let totalUsedFen: Int64
        public let rejection: (code: String, reason: String)?

        public static func == (lhs: Assessment, rhs: Assessment) -> Bool {
            lhs.payoutFen == rhs.payoutFen && lhs.benefitUsedFen == rhs.benefitUsedFen && lhs.totalUsedFen == rhs.totalUsedFen
                && lhs.rejection?.code == rhs.rejection?.code && lhs.rejection?.reason == rhs.rejection?.reason
        }

        public var json: JSONValue {
            var object: [String: JSONValue] = ["payoutFen": .integer(payoutFen), "benefitUsedFen": .integer(benefitUsedFen),
                                               "totalUsedFen": .integer(totalUsedFen)]
            if let rejection { object["rejection"] = ["code": .string(rejection.code), "reason": .string(rejection.reason)] }
            return .object(object)
        }

        public init(payoutFen: Int64, benefitUsedFen: Int64, totalUsedFen: Int64, rejection: (code: String, reason: String)?) {
            self.payoutFen = payoutFen
            self.benefitUsedFen = benefitUsedFen
            self.totalUsedFen = totalUsedFen
            self.rejection = rejection
        }

        public init(_ json: JSONValue, at fields: EventFields) throws {
            guard let payout = json["payoutFen"]?.integerValue, let benefitUsed = json["benefitUsedFen"]?.integerValue,
                  let totalUsed = json["totalUsedFen"]?.integerValue else {
                throw fields.badField("has an assessment without payoutFen, benefitUsedFen and totalUsedFen")
            }
            var rejection: (String, String)?
            if let rejected = json["rejection"] {
                guard let code = rejected["code"]?.stringValue, let reason = rejected["reason"]?.stringValue else {
                    throw fields.badField("has a rejection without a code and reason")
                }
                rejection = (code, reason)
            }
            self.init(payoutFen: payout, benefitUsedFen: benefitUsed, totalUsedFen: totalUsed, rejection: rejection)
        }
    }

    public let member: String
    public let unit: String
    public let planYear: Int64
    /// The seq of the `plan.published` event whose rules assessed the claim.
    public let plan: Int64
    public let benefit: String
    public let settlementKey: String
    public let serviceDate: String
    /// The claim's input as filed (`ClaimInput.json`).
    public let input: JSONValue
    public let assessment: Assessment
    public let duplicateOf: Int64?
    /// The commitment to the claim's personal data (its diagnosis), kept outside the log.
    public let personal: String?
    /// The day filed (the event's date).
    public let date: LedgerDate
    public let idempotencyKey: String

    public init(member: String, unit: String, planYear: Int64, plan: Int64, benefit: String, settlementKey: String, serviceDate: String,
         input: JSONValue, assessment: Assessment, duplicateOf: Int64?, personal: String?, date: LedgerDate, idempotencyKey: String) {
        self.member = member
        self.unit = unit
        self.planYear = planYear
        self.plan = plan
        self.benefit = benefit
        self.settlementKey = settlementKey
        self.serviceDate = serviceDate
        self.input = input
        self.assessment = assessment
        self.duplicateOf = duplicateOf
        self.personal = personal
        self.date = date
        self.idempotencyKey = idempotencyKey
    }

    public init(_ fields: EventFields) throws {
        self.init(member: try fields.string("member"), unit: try fields.string("unit"), planYear: try fields.int("planYear"),
                  plan: try fields.int("plan"), benefit: try fields.string("benefit"), settlementKey: try fields.string("settlementKey"),
                  serviceDate: try fields.string("serviceDate"), input: try fields.value("input"),
                  assessment: try Assessment(try fields.value("assessment"), at: fields), duplicateOf: try fields.optionalInt("duplicateOf"),
                  personal: try fields.optionalString("personal"), date: try fields.date(), idempotencyKey: try fields.idempotencyKey())
    }

    public func draft() throws(LedgerInputError) -> EventDraft {
        var fields: [String: JSONValue] = [
            "member": .string(member), "unit": .string(unit), "planYear": .integer(planYear), "plan": .integer(plan),
            "benefit": .string(benefit), "settlementKey": .string(settlementKey), "serviceDate": .string(serviceDate), "input": input,
            "assessment": assessment.json,
        ]
        if let duplicateOf { fields["duplicateOf"] = .integer(duplicateOf) }
        if let personal { fields["personal"] = .string(personal) }
        return try EventDraft(kind: Self.kind, date: date, idempotencyKey: idempotencyKey, fields: fields)
    }

    /// The claims-register row the event makes, recorded at `seq` by `filer`.
    func row(seq: Int64, filer: KeyID) -> FiledClaimRow {
        FiledClaimRow(seq: seq, filer: filer, member: member, unit: unit, planYear: planYear, benefit: benefit, settlementKey: settlementKey,
                      serviceDate: serviceDate, filedOn: date.text, payoutFen: assessment.payoutFen, isRejected: assessment.rejection != nil,
                      rejectionCode: assessment.rejection?.code, rejectionReason: assessment.rejection?.reason)
    }

    func project(_ event: RecordedEvent, tables: any MutualAidTables, writer: any LedgerStoreWriter) throws {
        try ClaimProjection.filed(row(seq: event.seq, filer: event.actor), tables: tables)
    }
}
