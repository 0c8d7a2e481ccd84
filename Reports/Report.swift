import Ledger

/// A report a union finance office hands over: a small type that reads the books through
/// a `ReportContext` and returns tables, checks and charts.
///
/// Renderers (text, CSV, JSON, HTML) and the header and footer every form carries are
/// shared, so a new report (the mutual-aid fund report, a claims register, a unit
/// statement) is one type with one method:
///
/// ```swift
/// struct ContributionsReport: Report {
///     static let kind = "contributions"
///     static let title = "互助金收缴表"
///     static let englishTitle = "Contributions"
///     func content(in context: ReportContext) throws -> ReportContent { ... }
/// }
/// let document = try ReportRunner.run(ContributionsReport(), on: ledger, period: period)
/// ```
public protocol Report {
    /// The command name and JSON tag (`trial-balance`).
    static var kind: String { get }
    /// The form's Chinese title (科目余额表).
    static var title: String { get }
    static var englishTitle: String { get }

    /// Computes the report's content. Runs inside one read snapshot, so every figure comes
    /// from the same state of the books.
    func content(in context: ReportContext) throws -> ReportContent
}
