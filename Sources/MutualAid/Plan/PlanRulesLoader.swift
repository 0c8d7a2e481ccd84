import Foundation
import Ledger

/// Reads a plan year's rules from a human-edited TOML file.
///
/// The file is read in two passes, each reporting every problem it finds:
/// 1. **Shape**: every key known (a typo such as `ratoi` is reported with the closest
///    key, never silently ignored), every value of the right type (amounts in yuan
///    written `"60.00"`, `60` or `60.00`, parsed exactly by Money's rules; dates as
///    TOML dates; ratios as decimals), required keys present, and the keys a benefit's
///    basis needs present and those it forbids absent.
/// 2. **Rules**: only if the shape is right, the rules are built and checked as a
///    whole by ``PlanRules/init(id:name:year:term:enrolment:contribution:claimDeadline:largeAmountThreshold:paymentLimitDays:annualCap:accounts:benefits:)``
///    (dates ordered, parts sum to the rate, codes unique, …), and each problem is
///    placed back on the line of the key it is about.
///
/// The second pass waits for the first because a rule such as "the parts sum to the
/// rate" cannot be judged when one part failed to parse; guessing would add errors
/// that are not really there.
///
/// Errors read like a compiler's, with file, line, key path and a sentence:
///
/// ```text
/// plans/unit-paid-2026.toml:31: benefits[2].ratoi: unknown key; did you mean ratio?
/// plans/unit-paid-2026.toml:12: contribution.rate: the payers' parts add up to 50.00 (…), but the rate is 60.00; they must be equal
/// ```
///
/// ## Schema
///
/// ```toml
/// id = "city-2026"                  # slug
/// name = "…"
/// year = 2026
/// claimDeadline = 2027-03-31        # optional; default 31 March after the term
/// largeAmountThreshold = "10000"    # payouts ≥ this need two approvers
/// reviewerMayApprove = false        # optional; default true: false keeps the reviewer from approving
/// paymentLimitDays = 30             # optional; default 30
/// annualCap = "6000"                # optional; all benefits together, per member
///
/// [term]                            # optional; default the calendar year
/// start = 2026-01-01
/// end = 2026-12-31
///
/// [enrolment]
/// opens = 2025-10-20
/// closes = 2025-12-20
///
/// [contribution]                    # parts default to 0 and must sum to rate
/// rate = "60"
/// unit = "60"
/// unionSubsidy = "0"
/// member = "0"
///
/// [accounts]                        # optional; each role defaults to the standard chart
/// bank = "10201"                    # also contributionsReceivable, subsidyReceivable,
///                                   # contributionRevenue, subsidyRevenue, claimsPayable, refundsPayable
///
/// [[benefits]]
/// code = "hospital"
/// name = "住院医疗互助金"
/// expenseAccount = "50201"
/// basis = "ownShare"                # ownShare | fixed | gradeTable | loss
/// amount = "20000"                  # fixed only (required there)
/// grades = { 1 = "5000", 10 = "500" }   # gradeTable only (required there)
/// deductible = "0"                  # ownShare and loss only; default 0
/// ratio = 0.15                      # ownShare and loss only; default 1
/// minimumPayout = "20"              # optional; default 0
/// perClaimCap = "3000"              # optional
/// annualCap = "30200"               # optional
/// waitingDays = 0                   # optional; default 0
/// eligibility = "all"               # all | female | male; default all
/// documents = ["出院小结"]           # optional
/// claimDeadline = 2027-03-31        # optional; overrides the plan's
/// ```
public enum PlanRulesLoader {
    /// A plan file is a page or two of rules; anything much larger is the wrong file.
    public static let fileSizeMax = 1 << 20

    static let rootKeys: Set<String> = [
        "id", "name", "year", "term", "enrolment", "contribution", "claimDeadline", "largeAmountThreshold",
        "reviewerMayApprove", "paymentLimitDays", "annualCap", "accounts", "benefits",
    ]
    static let benefitKeys: Set<String> = [
        "code", "name", "expenseAccount", "basis", "amount", "grades", "deductible", "ratio", "minimumPayout",
        "perClaimCap", "annualCap", "waitingDays", "eligibility", "documents", "claimDeadline",
    ]

    /// Reads and validates the plan file at `path`; errors name `path` as the file.
    public static func load(contentsOf path: String) throws(PlanFileError) -> PlanRules {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        guard data.count <= fileSizeMax else {
            throw .unreadable(path: path, reason: "the file is \(data.count) bytes; a plan file is at most \(fileSizeMax)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(path: path, reason: "the file is not UTF-8 text; save it as UTF-8")
        }
        return try load(text, file: path)
    }

    /// Validates the plan file `text`; `file` is the name errors use.
    public static func load(_ text: String, file: String? = nil) throws(PlanFileError) -> PlanRules {
        guard text.utf8.count <= fileSizeMax else {
            throw .unreadable(path: file ?? "the plan text", reason: "it is \(text.utf8.count) bytes; a plan file is "
                + "at most \(fileSizeMax)")
        }
        let root: TOMLTable
        do {
            root = try TOMLParser.parse(text, file: file)
        } catch {
            throw .syntax(error)
        }
        var reading = PlanFileReading(root: TOMLReader(root, file: file))
        let fields = reading.readFields()
        guard reading.errors.isEmpty, let fields else {
            throw .invalid(reading.errors.sortedByLine())
        }
        do {
            return try fields.build()
        } catch {
            throw .invalid(error.problems.map(reading.locate).sortedByLine())
        }
    }
}

extension PlanRules {
    /// Reads plan rules from the TOML text of a plan file; see ``PlanRulesLoader``.
    public init(toml text: String, file: String? = nil) throws(PlanFileError) {
        self = try PlanRulesLoader.load(text, file: file)
    }
}

/// Why a plan file could not be loaded.
public enum PlanFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read at all.
    case unreadable(path: String, reason: String)
    /// The text is not valid TOML; the error names line and column.
    case syntax(TOMLError)
    /// The TOML is fine but the plan is not: every problem found, in line order.
    case invalid([TOMLFieldError])

    /// The individual messages, one per problem.
    public var messages: [String] {
        switch self {
        case .unreadable(let path, let reason): ["cannot read the plan file \(path): \(reason)"]
        case .syntax(let error): [error.description]
        case .invalid(let errors): errors.map(\.description)
        }
    }

    public var description: String { messages.joined(separator: "\n") }
}

// MARK: - Reading

/// The raw fields of a plan file once every value has the right type, before the
/// rules are checked as a whole.
private struct PlanFields {
    var id: String
    var name: String
    var year: Int
    var term: DateSpan
    var enrolment: DateSpan
    var contribution: ContributionSplit
    var claimDeadline: LedgerDate
    var largeAmountThreshold: Money
    var reviewerMayApprove: Bool
    var paymentLimitDays: Int
    var annualCap: Money?
    var accounts: PlanAccounts
    var benefits: [Benefit]

    func build() throws(PlanRulesError) -> PlanRules {
        try PlanRules(
            id: id, name: name, year: year, term: term, enrolment: enrolment, contribution: contribution,
            claimDeadline: claimDeadline, largeAmountThreshold: largeAmountThreshold, reviewerMayApprove: reviewerMayApprove,
            paymentLimitDays: paymentLimitDays, annualCap: annualCap, accounts: accounts, benefits: benefits)
    }
}

/// One pass over a plan file that keeps going after an error, so that all of them are
/// reported at once, and remembers every table it read so that rule problems can be
/// placed on lines afterwards.
private struct PlanFileReading {
    let root: TOMLReader
    var errors: [TOMLFieldError] = []
    /// Every table read, by key path, for ``locate(_:)``.
    var tables: [String: TOMLTable] = [:]

    init(root: TOMLReader) {
        self.root = root
        tables[""] = root.table
    }

    /// Runs `body`, recording its error and returning `nil` if it throws.
    mutating func read<T>(_ body: () throws(TOMLFieldError) -> T) -> T? {
        do {
            return try body()
        } catch {
            errors.append(error)
            return nil
        }
    }

    mutating func register(_ reader: TOMLReader?) -> TOMLReader? {
        if let reader { tables[reader.path] = reader.table }
        return reader
    }

    /// Places a rule problem on the line of its key, or of its table if the key was
    /// left to its default, or of the nearest enclosing table that was written.
    func locate(_ problem: PlanRulesProblem) -> TOMLFieldError {
        var tablePath = problem.table
        var line = 1
        while true {
            if let table = tables[tablePath] {
                line = (tablePath == problem.table ? problem.key.flatMap { table[$0]?.line } : nil) ?? table.line
                break
            }
            guard let cut = tablePath.lastIndex(where: { $0 == "." || $0 == "[" }) else {
                line = tables[""]?.line ?? 1
                break
            }
            tablePath = String(tablePath[..<cut])
        }
        return TOMLFieldError(file: root.file, line: line, path: problem.path, message: problem.message)
    }

    mutating func readFields() -> PlanFields? {
        let root = self.root
        _ = read { () throws(TOMLFieldError) in try root.rejectUnknownKeys(allowed: PlanRulesLoader.rootKeys) }
        let id = read { () throws(TOMLFieldError) in try root.string("id") }
        let name = read { () throws(TOMLFieldError) in try root.string("name") }
        let year = read { () throws(TOMLFieldError) in try root.integer("year") }.flatMap { value in
            Int(exactly: value)
        }
        let term = readTerm(year: year)
        let enrolment = readSpan("enrolment", startKey: "opens", endKey: "closes")
        let contribution = readContribution()
        let explicitDeadline = read { () throws(TOMLFieldError) in try root.optionalLedgerDate("claimDeadline") }
        let threshold = read { () throws(TOMLFieldError) in try root.amount("largeAmountThreshold") }
        let reviewerMayApprove = read { () throws(TOMLFieldError) in try root.optionalBool("reviewerMayApprove") }
        let paymentLimitDays = read { () throws(TOMLFieldError) in try root.optionalInteger("paymentLimitDays") }
        let annualCap = read { () throws(TOMLFieldError) in try root.optionalAmount("annualCap") }
        let accounts = readAccounts()
        let benefits = readBenefits()

        guard let id, let name, let year, let term, let enrolment = enrolment ?? nil, let contribution,
              let explicitDeadline, let threshold, let reviewerMayApprove, let paymentLimitDays, let annualCap, let accounts, let benefits
        else { return nil }
        return PlanFields(
            id: id, name: name, year: year, term: term, enrolment: enrolment, contribution: contribution,
            claimDeadline: explicitDeadline ?? PlanRules.defaultClaimDeadline(termEnd: term.end),
            largeAmountThreshold: threshold, reviewerMayApprove: reviewerMayApprove ?? true,
            paymentLimitDays: paymentLimitDays.map { Int(clamping: $0) } ?? PlanRules.paymentLimitDaysDefault,
            annualCap: annualCap, accounts: accounts, benefits: benefits)
    }

    /// The term, or the calendar year `year` when the file has no `[term]`.
    mutating func readTerm(year: Int?) -> DateSpan? {
        if root.table["term"] != nil {
            return readSpan("term", startKey: "start", endKey: "end") ?? nil
        }
        guard let year else { return nil }
        let root = self.root
        return read { () throws(TOMLFieldError) in
            do {
                return try DateSpan.calendarYear(year)
            } catch {
                throw root.error("year", "\(year) is not a year the ledger's dates cover (1900–9999)")
            }
        }
    }

    /// A `[key]` table of two dates. The outer optional is `nil` on error.
    mutating func readSpan(_ key: String, startKey: String, endKey: String) -> DateSpan?? {
        let root = self.root
        guard let reader = register(read({ () throws(TOMLFieldError) in try root.table(key) })) else { return nil }
        _ = read { () throws(TOMLFieldError) in try reader.rejectUnknownKeys(allowed: [startKey, endKey]) }
        let start = read { () throws(TOMLFieldError) in try reader.ledgerDate(startKey) }
        let end = read { () throws(TOMLFieldError) in try reader.ledgerDate(endKey) }
        guard let start, let end else { return nil }
        return .some(DateSpan(start: start, end: end))
    }

    mutating func readContribution() -> ContributionSplit? {
        let root = self.root
        guard let reader = register(read({ () throws(TOMLFieldError) in try root.table("contribution") })) else {
            return nil
        }
        _ = read { () throws(TOMLFieldError) in
            try reader.rejectUnknownKeys(allowed: ["rate", "unit", "unionSubsidy", "member"])
        }
        let rate = read { () throws(TOMLFieldError) in try reader.amount("rate") }
        let unit = read { () throws(TOMLFieldError) in try reader.optionalAmount("unit") }
        let subsidy = read { () throws(TOMLFieldError) in try reader.optionalAmount("unionSubsidy") }
        let member = read { () throws(TOMLFieldError) in try reader.optionalAmount("member") }
        guard let rate, let unit, let subsidy, let member else { return nil }
        return ContributionSplit(rate: rate, unit: unit ?? .zero, unionSubsidy: subsidy ?? .zero, member: member ?? .zero)
    }

    mutating func readAccounts() -> PlanAccounts? {
        let root = self.root
        guard let outer = read({ () throws(TOMLFieldError) in try root.optionalTable("accounts") }) else { return nil }
        guard let reader = register(outer) else { return .standard }
        _ = read { () throws(TOMLFieldError) in try reader.rejectUnknownKeys(allowed: Set(PlanAccounts.keys)) }
        var codes: [String: AccountCode] = [:]
        var failed = false
        for key in PlanAccounts.keys where reader.table[key] != nil {
            if let code = read({ () throws(TOMLFieldError) in try reader.accountCode(key) }) {
                codes[key] = code
            } else {
                failed = true
            }
        }
        return failed ? nil : PlanAccounts(overriding: codes)
    }

    mutating func readBenefits() -> [Benefit]? {
        let root = self.root
        guard let readers = read({ () throws(TOMLFieldError) in try root.arrayOfTables("benefits") }) else {
            return nil
        }
        var benefits: [Benefit] = []
        var failed = false
        for reader in readers {
            _ = register(reader)
            if let benefit = readBenefit(reader) { benefits.append(benefit) } else { failed = true }
        }
        return failed ? nil : benefits
    }

    mutating func readBenefit(_ reader: TOMLReader) -> Benefit? {
        _ = read { () throws(TOMLFieldError) in try reader.rejectUnknownKeys(allowed: PlanRulesLoader.benefitKeys) }
        let code = read { () throws(TOMLFieldError) in try reader.string("code") }
        let name = read { () throws(TOMLFieldError) in try reader.string("name") }
        let account = read { () throws(TOMLFieldError) in try reader.accountCode("expenseAccount") }
        let basis = readBasis(reader)
        let deductible = read { () throws(TOMLFieldError) in try reader.optionalAmount("deductible") }
        let ratio = read { () throws(TOMLFieldError) in try reader.optionalRatio("ratio") }
        let minimum = read { () throws(TOMLFieldError) in try reader.optionalAmount("minimumPayout") }
        let perClaimCap = read { () throws(TOMLFieldError) in try reader.optionalAmount("perClaimCap") }
        let annualCap = read { () throws(TOMLFieldError) in try reader.optionalAmount("annualCap") }
        let waitingDays = read { () throws(TOMLFieldError) in try reader.optionalInteger("waitingDays") }
        let eligibility = read { () throws(TOMLFieldError) -> BenefitEligibility? in
            guard let text = try reader.optionalString("eligibility") else { return nil }
            guard let eligibility = BenefitEligibility(rawValue: text) else {
                throw reader.error("eligibility", "\(TOMLSyntax.quoted(text)) is not an eligibility; expected "
                    + "\"all\", \"female\" or \"male\"")
            }
            return eligibility
        }
        let documents = read { () throws(TOMLFieldError) in try reader.optionalStrings("documents") }
        let deadline = read { () throws(TOMLFieldError) in try reader.optionalLedgerDate("claimDeadline") }

        guard let code, let name, let account, let basis, let deductible, let ratio, let minimum, let perClaimCap,
              let annualCap, let waitingDays, let eligibility, let documents, let deadline
        else { return nil }
        return Benefit(
            code: code, name: name, expenseAccount: account, basis: basis, deductible: deductible ?? .zero,
            ratio: ratio ?? .one, minimumPayout: minimum ?? .zero, perClaimCap: perClaimCap, annualCap: annualCap,
            waitingDays: waitingDays.map { Int(clamping: $0) } ?? 0, eligibility: eligibility ?? .all,
            documents: documents ?? [], claimDeadline: deadline)
    }

    /// The basis and the keys that come with it: `amount` for `fixed`, `grades` for
    /// `gradeTable`; `deductible` and `ratio` only where there is a cost to apply them to.
    mutating func readBasis(_ reader: TOMLReader) -> PayoutBasis? {
        guard let text = read({ () throws(TOMLFieldError) in try reader.string("basis") }) else { return nil }
        guard let kind = PayoutBasis.Kind(rawValue: text) else {
            errors.append(reader.error("basis", "\(TOMLSyntax.quoted(text)) is not a basis; expected one of "
                + PayoutBasis.Kind.allCases.map { TOMLSyntax.quoted($0.rawValue) }.joined(separator: ", ")))
            return nil
        }
        var failed = false
        func forbid(_ key: String, _ reason: String) {
            if reader.table[key] != nil {
                errors.append(reader.error(key, "a benefit with basis \(TOMLSyntax.quoted(kind.rawValue)) takes no \(key): \(reason)"))
                failed = true
            }
        }
        if !kind.takesDeductibleAndRatio {
            forbid("deductible", "its amount is already the payout")
            forbid("ratio", "its amount is already the payout")
        }
        if kind != .fixed { forbid("amount", "only a fixed benefit has a fixed amount") }
        if kind != .gradeTable { forbid("grades", "only a gradeTable benefit has grades") }

        let basis: PayoutBasis?
        switch kind {
        case .ownShare: basis = .ownShare
        case .loss: basis = .loss
        case .fixed:
            basis = read { () throws(TOMLFieldError) in
                guard reader.table["amount"] != nil else {
                    throw reader.error("amount", "a fixed benefit needs the amount it pays, e.g. amount = \"20000\"")
                }
                return .fixed(try reader.amount("amount"))
            }
        case .gradeTable:
            basis = readGrades(reader).map { .gradeTable($0) }
        }
        return failed ? nil : basis
    }

    mutating func readGrades(_ reader: TOMLReader) -> DisabilityGradeTable? {
        guard reader.table["grades"] != nil else {
            errors.append(reader.error("grades", "a gradeTable benefit needs its table of amounts by disability "
                + "grade, e.g. grades = { 1 = \"5000\", 2 = \"4500\" }"))
            return nil
        }
        guard let grades = register(read({ () throws(TOMLFieldError) in try reader.table("grades") })) else {
            return nil
        }
        var rows: [DisabilityGradeTable.Row] = []
        var failed = false
        for key in grades.table.keys {
            let row = read { () throws(TOMLFieldError) -> DisabilityGradeTable.Row in
                guard key.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), key.utf8.count <= 2,
                      let grade = Int(key)
                else {
                    throw grades.error(key, "a grade is a whole number from 1 to 10, found \(TOMLSyntax.quoted(key))")
                }
                return DisabilityGradeTable.Row(grade: grade, amount: try grades.amount(key))
            }
            if let row { rows.append(row) } else { failed = true }
        }
        return failed ? nil : DisabilityGradeTable(rows: rows)
    }
}

// MARK: - Typed values the plan file adds to TOMLReader

extension TOMLReader {
    /// An amount in yuan, written as a string (`"1,234.50"`), an integer (`60`) or a
    /// decimal (`60.00`), parsed exactly by ``Money/init(parsing:allowSign:)``:
    /// no sign, at most two decimals.
    func amount(_ key: String) throws(TOMLFieldError) -> Money {
        let value = try value(key)
        let text: String
        switch value.content {
        case .string(let string): text = string
        case .integer(let number): text = String(number)
        case .decimal(let digits): text = digits
        default:
            throw error(key, "expected an amount in yuan such as \"60.00\" or 60, found \(value.summary)")
        }
        do {
            return try Money(parsing: text)
        } catch {
            throw self.error(key, error.description)
        }
    }

    func optionalAmount(_ key: String) throws(TOMLFieldError) -> Money? {
        table[key] == nil ? nil : try amount(key)
    }

    /// A date written as a TOML date (`2026-01-01`), within the years the ledger keeps.
    func ledgerDate(_ key: String) throws(TOMLFieldError) -> LedgerDate {
        let text = try date(key)
        do {
            return try LedgerDate(text)
        } catch {
            throw self.error(key, "\(text) is outside the years the ledger keeps (1900–9999)")
        }
    }

    func optionalLedgerDate(_ key: String) throws(TOMLFieldError) -> LedgerDate? {
        table[key] == nil ? nil : try ledgerDate(key)
    }

    /// An account code, as a string (`"50201"`) or a bare integer (`50201`).
    func accountCode(_ key: String) throws(TOMLFieldError) -> AccountCode {
        let value = try value(key)
        let text: String
        switch value.content {
        case .string(let string): text = string
        case .integer(let number): text = String(number)
        default: throw error(key, "expected an account code such as \"50201\", found \(value.summary)")
        }
        do {
            return try AccountCode(text)
        } catch {
            throw self.error(key, "\(TOMLSyntax.quoted(text)) is not an account code: \(error.reason)")
        }
    }

    /// A ratio written as a decimal between 0 and 1, e.g. `0.15` or `1`.
    func optionalRatio(_ key: String) throws(TOMLFieldError) -> Ratio? {
        guard let text = try optionalDecimal(key) else { return nil }
        do {
            return try Ratio(decimal: text)
        } catch {
            throw self.error(key, error.description)
        }
    }
}

extension [TOMLFieldError] {
    /// The errors in the order an editor meets them; stable for errors on one line.
    func sortedByLine() -> [TOMLFieldError] {
        enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
    }
}
