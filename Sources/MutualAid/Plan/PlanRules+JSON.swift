import Ledger

/// Plan rules as the canonical JSON published into the log (`plan published` events).
///
/// Every field is written, defaults included, so that the published bytes alone say
/// what the rules were: a reader never needs to know this program's defaults. Amounts
/// are integer fen under keys ending in `Fen`; a ratio is `{"numerator":3,"denominator":20}`
/// in lowest terms; dates are `YYYY-MM-DD` strings; an absent cap or deadline override
/// is `null`. Keys are camelCase. `formatVersion` lets a later program read rules
/// published by this one.
///
/// ```json
/// {"accounts":{"bank":"10201",…},"annualCapFen":600000,
///  "benefits":[{"annualCapFen":null,"basis":{"kind":"ownShare"},"claimDeadline":null,"code":"medical",
///               "deductibleFen":0,"documents":[…],"eligibility":"all","expenseAccount":"50201",
///               "minimumPayoutFen":2000,"name":"…","perClaimCapFen":null,
///               "ratio":{"denominator":20,"numerator":3},"waitingDays":0}],
///  "claimDeadline":"2027-03-31","contribution":{"memberFen":0,"rateFen":6000,…},
///  "enrolment":{"closes":"2025-12-20","opens":"2025-10-20"},"formatVersion":1,"id":"…",…}
/// ```
///
/// `PlanRules(json: rules.json).json == rules.json` always holds.
extension PlanRules {
    /// The version of the JSON layout below; bump it when a key changes meaning.
    public static let jsonFormatVersion: Int64 = 1

    /// The rules as canonical-JSON-ready data; encode with `CanonicalJSON.encode`.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "formatVersion": .integer(PlanRules.jsonFormatVersion),
            "id": .string(id),
            "name": .string(name),
            "year": .integer(Int64(year)),
            "term": .object(["start": .string(term.start.text), "end": .string(term.end.text)]),
            "enrolment": .object(["opens": .string(enrolment.start.text), "closes": .string(enrolment.end.text)]),
            "contribution": .object([
                "rateFen": .integer(contribution.rate.fen),
                "unitFen": .integer(contribution.unit.fen),
                "unionSubsidyFen": .integer(contribution.unionSubsidy.fen),
                "memberFen": .integer(contribution.member.fen),
            ]),
            "claimDeadline": .string(claimDeadline.text),
            "largeAmountThresholdFen": .integer(largeAmountThreshold.fen),
            "paymentLimitDays": .integer(Int64(paymentLimitDays)),
            "annualCapFen": annualCap.map { .integer($0.fen) } ?? .null,
            "accounts": .object(Dictionary(uniqueKeysWithValues: accounts.roles.map { ($0.key, .string($0.code.value)) })),
            "benefits": .array(benefits.map(\.json)),
        ]
        // Written only where the plan separates review from approval, so that the rules of
        // every plan published before the key existed encode as they did.
        if !reviewerMayApprove { object["reviewerMayApprove"] = .bool(false) }
        return .object(object)
    }

    /// Reads rules published as ``json``, checking them exactly as the plan file loader
    /// does.
    ///
    /// Published JSON is written by a program, so reading stops at the first problem of
    /// shape (missing key, wrong type, unknown key) and names its path, e.g.
    /// `benefits[2].ratio.numerator: expected an integer, found a string`. Unknown keys
    /// are refused because a key this version does not understand would otherwise be
    /// dropped, and the rules recomputed from it would not be the rules published.
    ///
    /// - Throws: ``PlanRulesError``.
    public init(json: JSONValue) throws(PlanRulesError) {
        let root = try JSONObjectReader(json, path: "")
        try root.rejectUnknownKeys([
            "formatVersion", "id", "name", "year", "term", "enrolment", "contribution", "claimDeadline",
            "largeAmountThresholdFen", "reviewerMayApprove", "paymentLimitDays", "annualCapFen", "accounts", "benefits",
        ])
        let version = try root.integer("formatVersion")
        guard version == PlanRules.jsonFormatVersion else {
            throw root.problem("formatVersion", "this program reads plan rules of format \(PlanRules.jsonFormatVersion), "
                + "found format \(version)")
        }
        let term = try root.object("term")
        try term.rejectUnknownKeys(["start", "end"])
        let enrolment = try root.object("enrolment")
        try enrolment.rejectUnknownKeys(["opens", "closes"])
        let contribution = try root.object("contribution")
        try contribution.rejectUnknownKeys(["rateFen", "unitFen", "unionSubsidyFen", "memberFen"])
        let accounts = try root.object("accounts")
        try accounts.rejectUnknownKeys(Set(PlanAccounts.keys))
        var codes: [String: AccountCode] = [:]
        for key in PlanAccounts.keys { codes[key] = try accounts.accountCode(key) }

        var benefits: [Benefit] = []
        for (index, item) in try root.array("benefits").enumerated() {
            benefits.append(try Benefit(json: JSONObjectReader(item, path: "benefits[\(index + 1)]")))
        }
        try self.init(
            id: root.string("id"), name: root.string("name"), year: root.int("year"),
            term: DateSpan(start: term.date("start"), end: term.date("end")),
            enrolment: DateSpan(start: enrolment.date("opens"), end: enrolment.date("closes")),
            contribution: ContributionSplit(
                rate: contribution.money("rateFen"), unit: contribution.money("unitFen"),
                unionSubsidy: contribution.money("unionSubsidyFen"), member: contribution.money("memberFen")),
            claimDeadline: root.date("claimDeadline"),
            largeAmountThreshold: root.money("largeAmountThresholdFen"),
            reviewerMayApprove: root.optionalBool("reviewerMayApprove") ?? true,
            paymentLimitDays: root.int("paymentLimitDays"),
            annualCap: root.optionalMoney("annualCapFen"),
            accounts: PlanAccounts(overriding: codes),
            benefits: benefits)
    }
}

extension Benefit {
    /// The benefit as published inside ``PlanRules/json``.
    public var json: JSONValue {
        let basisJSON: JSONValue
        switch basis {
        case .ownShare, .loss:
            basisJSON = .object(["kind": .string(basis.kind.rawValue)])
        case .fixed(let amount):
            basisJSON = .object(["kind": .string(basis.kind.rawValue), "amountFen": .integer(amount.fen)])
        case .gradeTable(let table):
            basisJSON = .object([
                "kind": .string(basis.kind.rawValue),
                "grades": .array(table.rows.map {
                    .object(["grade": .integer(Int64($0.grade)), "amountFen": .integer($0.amount.fen)])
                }),
            ])
        }
        return .object([
            "code": .string(code),
            "name": .string(name),
            "expenseAccount": .string(expenseAccount.value),
            "basis": basisJSON,
            "deductibleFen": .integer(deductible.fen),
            "ratio": .object(["numerator": .integer(ratio.numerator), "denominator": .integer(ratio.denominator)]),
            "minimumPayoutFen": .integer(minimumPayout.fen),
            "perClaimCapFen": perClaimCap.map { .integer($0.fen) } ?? .null,
            "annualCapFen": annualCap.map { .integer($0.fen) } ?? .null,
            "waitingDays": .integer(Int64(waitingDays)),
            "eligibility": .string(eligibility.rawValue),
            "documents": .array(documents.map { .string($0) }),
            "claimDeadline": claimDeadline.map { .string($0.text) } ?? .null,
        ])
    }

    fileprivate init(json reader: JSONObjectReader) throws(PlanRulesError) {
        try reader.rejectUnknownKeys([
            "code", "name", "expenseAccount", "basis", "deductibleFen", "ratio", "minimumPayoutFen", "perClaimCapFen",
            "annualCapFen", "waitingDays", "eligibility", "documents", "claimDeadline",
        ])
        let basisReader = try reader.object("basis")
        let kindText = try basisReader.string("kind")
        guard let kind = PayoutBasis.Kind(rawValue: kindText) else {
            throw basisReader.problem("kind", "\(TOMLSyntax.quoted(kindText)) is not a basis; expected one of "
                + PayoutBasis.Kind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let basis: PayoutBasis
        switch kind {
        case .ownShare, .loss:
            try basisReader.rejectUnknownKeys(["kind"])
            basis = kind == .ownShare ? .ownShare : .loss
        case .fixed:
            try basisReader.rejectUnknownKeys(["kind", "amountFen"])
            basis = .fixed(try basisReader.money("amountFen"))
        case .gradeTable:
            try basisReader.rejectUnknownKeys(["kind", "grades"])
            var rows: [DisabilityGradeTable.Row] = []
            for (index, item) in try basisReader.array("grades").enumerated() {
                let row = try JSONObjectReader(item, path: "\(basisReader.path).grades[\(index + 1)]")
                try row.rejectUnknownKeys(["grade", "amountFen"])
                rows.append(DisabilityGradeTable.Row(grade: try row.int("grade"), amount: try row.money("amountFen")))
            }
            basis = .gradeTable(DisabilityGradeTable(rows: rows))
        }
        let ratioReader = try reader.object("ratio")
        try ratioReader.rejectUnknownKeys(["numerator", "denominator"])
        let numerator = try ratioReader.integer("numerator")
        let denominator = try ratioReader.integer("denominator")
        let ratio: Ratio
        do {
            ratio = try Ratio(numerator: numerator, denominator: denominator)
        } catch {
            throw reader.problem("ratio", error.description)
        }
        let eligibilityText = try reader.string("eligibility")
        guard let eligibility = BenefitEligibility(rawValue: eligibilityText) else {
            throw reader.problem("eligibility", "\(TOMLSyntax.quoted(eligibilityText)) is not all, female or male")
        }
        var documents: [String] = []
        for (index, item) in try reader.array("documents").enumerated() {
            guard let text = item.stringValue else {
                throw PlanRulesError(problems: [PlanRulesProblem(
                    table: reader.path, key: "documents", message: "element \(index + 1) is not a string")])
            }
            documents.append(text)
        }
        self.init(
            code: try reader.string("code"), name: try reader.string("name"),
            expenseAccount: try reader.accountCode("expenseAccount"), basis: basis,
            deductible: try reader.money("deductibleFen"), ratio: ratio,
            minimumPayout: try reader.money("minimumPayoutFen"),
            perClaimCap: try reader.optionalMoney("perClaimCapFen"), annualCap: try reader.optionalMoney("annualCapFen"),
            waitingDays: try reader.int("waitingDays"), eligibility: eligibility, documents: documents,
            claimDeadline: try reader.optionalDate("claimDeadline"))
    }
}

/// Typed access to one JSON object of published plan rules; every failure is a
/// ``PlanRulesError`` naming the path.
private struct JSONObjectReader {
    let members: [String: JSONValue]
    let path: String

    init(_ value: JSONValue, path: String) throws(PlanRulesError) {
        guard let members = value.objectValue else {
            throw PlanRulesError(problems: [PlanRulesProblem(table: path, key: nil, message: "expected an object")])
        }
        self.members = members
        self.path = path
    }

    func problem(_ key: String, _ message: String) -> PlanRulesError {
        PlanRulesError(problems: [PlanRulesProblem(table: path, key: key, message: message)])
    }

    func rejectUnknownKeys(_ allowed: Set<String>) throws(PlanRulesError) {
        if let unknown = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw problem(unknown, "unknown key; published plan rules of format \(PlanRules.jsonFormatVersion) have only "
                + allowed.sorted().joined(separator: ", "))
        }
    }

    func value(_ key: String) throws(PlanRulesError) -> JSONValue {
        guard let value = members[key] else { throw problem(key, "this required key is missing") }
        return value
    }

    func string(_ key: String) throws(PlanRulesError) -> String {
        guard let text = try value(key).stringValue else { throw problem(key, "expected a string") }
        return text
    }

    func integer(_ key: String) throws(PlanRulesError) -> Int64 {
        guard let number = try value(key).integerValue else { throw problem(key, "expected an integer") }
        return number
    }

    func int(_ key: String) throws(PlanRulesError) -> Int {
        let number = try integer(key)
        guard let value = Int(exactly: number), abs(number) <= Int64(Int32.max) else {
            throw problem(key, "\(number) is out of range")
        }
        return value
    }

    func money(_ key: String) throws(PlanRulesError) -> Money {
        let fen = try integer(key)
        guard fen >= 0, fen <= Money.parseableMaxFen else {
            throw problem(key, "\(fen) fen is not an amount the plan rules allow (0 to 2^53 − 1 fen)")
        }
        return Money(fen: fen)
    }

    func optionalBool(_ key: String) throws(PlanRulesError) -> Bool? {
        guard let value = members[key] else { return nil }
        guard let flag = value.boolValue else { throw problem(key, "expected true or false") }
        return flag
    }

    func optionalMoney(_ key: String) throws(PlanRulesError) -> Money? {
        try value(key) == .null ? nil : try money(key)
    }

    func date(_ key: String) throws(PlanRulesError) -> LedgerDate {
        let text = try string(key)
        // Exactly YYYY-MM-DD: LedgerDate also reads 2026/1/5, which is not canonical.
        guard let date = try? LedgerDate(text), date.text == text else {
            throw problem(key, "\(TOMLSyntax.quoted(text)) is not a date written YYYY-MM-DD")
        }
        return date
    }

    func optionalDate(_ key: String) throws(PlanRulesError) -> LedgerDate? {
        try value(key) == .null ? nil : try date(key)
    }

    func accountCode(_ key: String) throws(PlanRulesError) -> AccountCode {
        let text = try string(key)
        do {
            return try AccountCode(text)
        } catch {
            throw problem(key, "\(TOMLSyntax.quoted(text)) is not an account code: \(error.reason)")
        }
    }

    func object(_ key: String) throws(PlanRulesError) -> JSONObjectReader {
        try JSONObjectReader(value(key), path: path.isEmpty ? key : "\(path).\(key)")
    }

    func array(_ key: String) throws(PlanRulesError) -> [JSONValue] {
        guard let items = try value(key).arrayValue else { throw problem(key, "expected an array") }
        return items
    }
}
