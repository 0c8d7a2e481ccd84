import Foundation

/// A chart of accounts: the accounts a new ledger opens, read from a data file.
///
/// Charts are data, not code: `Ledger/Charts/NAME.json` holds an array of
/// `{"code": "102", "name": "银行存款", "type": "asset"}`. A sub-account inherits
/// nothing implicitly; its type must equal its first-level account's type.
public struct Chart: Sendable {
    public struct Entry: Sendable, Codable, Hashable {
        public let code: AccountCode
        public let name: String
        public let type: AccountType
    }

    public let name: String
    public let entries: [Entry]

    /// The chart a mutual-aid fund book starts with.
    public static let defaultName = "union-mutual-aid"

    /// Loads a chart shipped with Huzhu by name.
    public static func shipped(named name: String = Chart.defaultName) throws -> Chart {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Charts") else {
            throw LedgerInputError(field: "chart", value: name, reason: "no chart of that name is shipped")
        }
        return try load(from: url, name: name)
    }

    /// Loads and checks a chart file: codes unique, parents present and listed first,
    /// sub-accounts of the same type as their parent.
    public static func load(from url: URL, name: String? = nil) throws -> Chart {
        let data = try Data(contentsOf: url)
        let entries: [Entry]
        do {
            entries = try JSONDecoder().decode([Entry].self, from: data)
        } catch {
            throw LedgerInputError(field: "chart", value: url.path, reason: "not a chart file: \(error)")
        }
        var seen: [AccountCode: Entry] = [:]
        for entry in entries {
            guard seen[entry.code] == nil else {
                throw LedgerInputError(field: "chart", value: entry.code.value, reason: "the code appears twice in \(url.lastPathComponent)")
            }
            if let parentCode = entry.code.parent {
                guard let parent = seen[parentCode] else {
                    throw LedgerInputError(field: "chart", value: entry.code.value, reason: "its parent \(parentCode) must be listed before it")
                }
                guard parent.type == entry.type else {
                    throw LedgerInputError(field: "chart", value: entry.code.value, reason: "it is \(entry.type.rawValue) but its parent \(parentCode) is \(parent.type.rawValue)")
                }
            }
            seen[entry.code] = entry
        }
        return Chart(name: name ?? url.deletingPathExtension().lastPathComponent, entries: entries)
    }
}
