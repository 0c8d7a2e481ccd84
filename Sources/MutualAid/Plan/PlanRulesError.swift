/// One thing wrong with a set of plan rules, located by the table and key it is about,
/// e.g. table `benefits[2]`, key `ratio`.
///
/// The location is kept as (table, key) rather than as a line so that the same
/// validation serves both front doors: the TOML loader turns it into
/// `plans/2026.toml:31: benefits[2].ratio: …` by looking the key up in the parsed
/// file, and `PlanRules(json:)` reports the path as it stands.
public struct PlanRulesProblem: Sendable, Equatable, CustomStringConvertible {
    /// The dotted table path, `""` for the top level, with 1-based indexes into arrays
    /// of tables: `contribution`, `benefits[2]`, `benefits[3].grades`.
    public let table: String
    /// The key within `table` the problem is about, or `nil` for the table as a whole.
    public let key: String?
    /// What is wrong, as a sentence fragment that follows the path.
    public let message: String

    public init(table: String, key: String?, message: String) {
        self.table = table
        self.key = key
        self.message = message
    }

    /// `table.key`, quoting a key that is not bare as TOML would.
    public var path: String {
        guard let key else { return table }
        let component = TOMLSyntax.isBareKey(key) ? key : TOMLSyntax.quoted(key)
        return table.isEmpty ? component : "\(table).\(component)"
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Plan rules that do not hold together: every problem found, not just the first, so
/// that one round of edits can fix them all.
public struct PlanRulesError: Error, Sendable, Equatable, CustomStringConvertible {
    public let problems: [PlanRulesProblem]

    public init(problems: [PlanRulesProblem]) {
        self.problems = problems
    }

    public var description: String {
        let count = problems.count == 1 ? "a problem" : "\(problems.count) problems"
        return "the plan rules have \(count):\n" + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}
