/// What a report computes: its tables, the checks its figures must pass, its charts and
/// any notes. The report's header and footer (ledger, period, checkpoint, sign-off lines)
/// are added by `ReportRunner`, the same for every report.
public struct ReportContent: Sendable, Hashable {
    public var tables: [ReportTable]
    public var checks: [ReportCheck]
    public var charts: [ReportChart]
    public var notes: [String]

    public init(tables: [ReportTable] = [], checks: [ReportCheck] = [], charts: [ReportChart] = [], notes: [String] = []) {
        self.tables = tables
        self.checks = checks
        self.charts = charts
        self.notes = notes
    }
}
