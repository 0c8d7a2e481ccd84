/// Where each check's rules are written down: the section of docs/FORMAT.md or docs/BUNDLE.md
/// a finding of that check breaks, printed with the finding so a reader can look the rule up.
/// docs/BUNDLE.md §12 lists every rule with its check and the test that breaks it; a test
/// holds this table, the checks the audit and the bundle run, and that page to one another.
public enum Rulebook {
    public static let sections: [String: String] = [
        // The log itself (Ledger core and the audit's ledger checks).
        "chain": "FORMAT §12",
        "body.canonical": "FORMAT §2",
        "events.format": "FORMAT §5",
        "books.balanced": "FORMAT §4",
        "books.trial-balance": "FORMAT §4",
        "events.idempotency": "FORMAT §4",
        "books.reversals": "FORMAT §5",
        "periods": "BUNDLE §8",
        "checkpoints": "BUNDLE §9",
        "books.replay": "FORMAT §11",
        // An auditor's bundle.
        "bundle": "BUNDLE §1-§7",
        "bundle.plans": "BUNDLE §1",
        "checkpoints.outside": "BUNDLE §11",
        // The mutual-aid domain (its kinds and the plan's internal control).
        "claims.assessment": "FORMAT §5",
        "claims.duties": "FORMAT §8",
        "claims.payments": "FORMAT §5",
        "contributions": "FORMAT §5",
        "plans": "FORMAT §5",
        "fund.controls": "FORMAT §5",
        "fund.tie-out": "REPORTS",
        "members.personal-data": "FORMAT §11",
        "bank": "BUNDLE §10",
        "statements.index": "FORMAT §10",
    ]

    /// The section for `check`, or nil for a check this table does not know (a test fails then).
    public static func section(of check: String) -> String? { sections[check] }
}
