import Audit
import Foundation
import Testing

/// Every check has its rule written down: a section in `Rulebook` (printed with each
/// finding), a row in docs/BUNDLE.md §12, and there a test that exists.
@Suite("the rulebook: every check, its doc section and its test")
struct RulebookTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    func text(_ path: String) throws -> String { try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8) }

    func swiftFiles(under folder: String) throws -> [String] {
        let base = Self.root.appendingPathComponent(folder)
        let paths = FileManager.default.enumerator(atPath: base.path)?.compactMap { $0 as? String } ?? []
        return try paths.filter { $0.hasSuffix(".swift") }.sorted().map { try String(contentsOf: base.appendingPathComponent($0), encoding: .utf8) }
    }

    /// Every check name a finding can carry: the audit's checks, and every literal check name
    /// the audit's sources give a finding (the mutual-aid check reports under several).
    func checkNames() throws -> Set<String> {
        var names = Set(Auditor.ledgerChecks().map(\.name) + ["chain"])
        let literal = try NSRegularExpression(pattern: #"(?m)^(?!\s*///).*(?:check: |fail\(|let name = |static let (?:check|chainCheck|tieOut) = )"([a-z]+(?:[.-][a-z]+)*)""#)
        for source in try swiftFiles(under: "Audit") {
            for match in literal.matches(in: source, options: [], range: NSRange(source.startIndex..., in: source)) {
                names.insert(String(source[Range(match.range(at: 1), in: source)!]))
            }
        }
        // Names that are not finding checks: the mutual-aid pass that reports under the names
        // above, and the period-close rules (refusals, not findings).
        return names.subtracting(["mutual-aid", "month-ended", "closing-order", "trial-balance", "unpaid-claims", "checkpoint.signed"])
    }

    @Test("every check has a section, and a row in BUNDLE.md §12 whose test exists")
    func everyCheckIsWrittenDown() throws {
        let names = try checkNames()
        #expect(names.isSuperset(of: ["chain", "periods", "books.reversals", "events.idempotency", "bundle", "claims.duties", "fund.tie-out"]))
        let bundle = try text("docs/BUNDLE.md")
        let table = String(bundle[bundle.range(of: "## 12. Every rule")!.lowerBound...])
        for name in names.sorted() {
            #expect(Rulebook.section(of: name) != nil, "\(name) has no section in Rulebook")
            #expect(table.contains("| `\(name)`") || table.contains(", `\(name)`"), "\(name) has no row in BUNDLE.md §12")
        }
        #expect(Set(Rulebook.sections.keys) == names, "Rulebook names a check no source gives: \(Set(Rulebook.sections.keys).subtracting(names))")
        let tests = try swiftFiles(under: "Tests").joined(separator: "\n")
        let named = try NSRegularExpression(pattern: #"`([A-Z][A-Za-z]+Tests)\.([a-zA-Z]+)`"#)
        let rows = named.matches(in: table, range: NSRange(table.startIndex..., in: table))
        #expect(rows.count >= 40)
        for row in rows {
            let suite = String(table[Range(row.range(at: 1), in: table)!]), function = String(table[Range(row.range(at: 2), in: table)!])
            #expect(tests.contains("struct \(suite)") && tests.contains("func \(function)("), "\(suite).\(function) named in BUNDLE.md §12 does not exist")
        }
        // Each section a row or the Rulebook cites is a heading of that page.
        let format = try text("docs/FORMAT.md")
        for section in Set(Rulebook.sections.values) {
            for part in section.split(separator: " ").dropFirst().flatMap({ $0.split(separator: "-") }) {
                let number = part.dropFirst()  // "§8" → "8"
                let page = section.hasPrefix("FORMAT") ? format : section.hasPrefix("BUNDLE") ? bundle : try text("docs/REPORTS.md")
                #expect(section.hasPrefix("REPORTS") || page.contains("\n## \(number). "), "\(section) is not a section of its page")
            }
        }
    }

    @Test("a finding prints the section of its rule")
    func findingNamesItsRule() {
        let finding = Finding(.error, check: "periods", seqs: [12], "the close of 2026-10 was recorded before the month ended")
        #expect(finding.description.hasSuffix("(BUNDLE §8)") && finding.rule == "BUNDLE §8")
        #expect(finding.json["rule"] == .string("BUNDLE §8"))
    }
}
