import Ledger

/// What publishing new rules for a plan would change, key by key, as people read it
/// (`benefits[hospital].ratio: 1/2 → 3/5`), and which of those changes an amendment may
/// not make.
///
/// An amendment changes what claims are paid: the benefits' terms, the plan's name and
/// its annual cap, and it may add benefits. It may not re-price the year, move its term,
/// enrolment or deadline, change who must approve what, or move money to other accounts,
/// since bills, decisions and postings already recorded rest on them; nor drop a benefit,
/// whose claims already filed are still decided under the plan.
public struct PlanChanges: Sendable, Equatable {
    /// One line per value that differs, in key order.
    public let lines: [String]
    /// The keys among `lines` an amendment may not change.
    public let refused: [String]

    public var isEmpty: Bool { lines.isEmpty }

    /// Top-level keys an amendment may change; every other key is fixed for the year.
    static let amendableKeys: Set<String> = ["name", "annualCapFen", "benefits"]
    /// A benefit's keys an amendment may not change.
    static let fixedBenefitKeys: Set<String> = ["code", "expenseAccount"]

    public init(from old: PlanRules, to new: PlanRules) {
        var lines: [String] = []
        var refused: [String] = []
        func note(_ path: String, _ old: JSONValue?, _ new: JSONValue?, fixed: Bool) {
            lines.append("\(path): \(PlanChanges.text(old, key: path)) → \(PlanChanges.text(new, key: path))")
            if fixed { refused.append(path) }
        }
        let oldJSON = old.json.objectValue ?? [:], newJSON = new.json.objectValue ?? [:]
        for key in Set(oldJSON.keys).union(newJSON.keys).sorted() where key != "benefits" && oldJSON[key] != newJSON[key] {
            PlanChanges.compare(key, oldJSON[key], newJSON[key]) { path, before, after in
                note(path, before, after, fixed: !PlanChanges.amendableKeys.contains(key))
            }
        }
        let oldBenefits = Dictionary(old.benefits.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        for benefit in new.benefits {
            let path = "benefits[\(benefit.code)]"
            guard let before = oldBenefits[benefit.code] else {
                lines.append("\(path): added (\(benefit.name))")
                continue
            }
            let oldFields = before.json.objectValue ?? [:], newFields = benefit.json.objectValue ?? [:]
            for key in Set(oldFields.keys).union(newFields.keys).sorted() where oldFields[key] != newFields[key] {
                PlanChanges.compare("\(path).\(key)", oldFields[key], newFields[key]) { path, before, after in
                    note(path, before, after, fixed: PlanChanges.fixedBenefitKeys.contains(key))
                }
            }
        }
        for benefit in old.benefits where new.benefit(code: benefit.code) == nil {
            let path = "benefits[\(benefit.code)]"
            lines.append("\(path): removed (\(benefit.name))")
            refused.append(path)
        }
        self.lines = lines
        self.refused = refused
    }

    /// Calls `body` with each leaf that differs under `path`, descending into objects
    /// (a ratio is one leaf).
    private static func compare(_ path: String, _ old: JSONValue?, _ new: JSONValue?, _ body: (String, JSONValue?, JSONValue?) -> Void) {
        if case let .object(before)? = old, case let .object(after)? = new, !isRatio(before), !isRatio(after) {
            for key in Set(before.keys).union(after.keys).sorted() where before[key] != after[key] {
                compare("\(path).\(key)", before[key], after[key], body)
            }
        } else {
            body(path, old, new)
        }
    }

    private static func isRatio(_ object: [String: JSONValue]) -> Bool {
        Set(object.keys) == ["numerator", "denominator"]
    }

    /// A value as a line shows it: fen as yuan, a ratio as n/d, text as itself.
    static func text(_ value: JSONValue?, key: String) -> String {
        switch value {
        case nil, .null?: return "none"
        case let .integer(fen)? where key.hasSuffix("Fen"): return Money(fen: fen).formatted()
        case let .integer(number)?: return "\(number)"
        case let .string(text)?: return text
        case let .bool(flag)?: return flag ? "true" : "false"
        case let .object(members)? where isRatio(members):
            return "\(members["numerator"]?.integerValue ?? 0)/\(members["denominator"]?.integerValue ?? 1)"
        case let value?: return (try? CanonicalJSON.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
        }
    }
}
