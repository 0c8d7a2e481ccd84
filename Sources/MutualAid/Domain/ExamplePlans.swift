import Foundation
import Ledger

/// The example plans shipped with Huzhu (also in the repository's `plans/` folder),
/// built from real figures: a unit-paid 60 yuan plan and a 15%-of-own-share plan.
public enum ExamplePlans {
    public static let unitPaid2026 = "unit-paid-2026"
    public static let ownShare2026 = "own-share-15pct-2026"

    /// The text of a shipped plan file.
    public static func text(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: "toml", subdirectory: "ExamplePlans") else {
            throw LedgerInputError(field: "plan", value: name, reason: "no example plan of that name is shipped")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}
