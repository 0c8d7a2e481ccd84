import Ledger

/// Makes a report: opens one read snapshot, lets the report compute its content, and adds
/// the header and footer every union form carries.
public enum ReportRunner {
    /// Builds `report` for `period` from `ledger`'s current state.
    ///
    /// - Parameter preparedOn: 编制日期; defaults to today in UTC+8.
    /// - Throws: `ReportError.unknownAccount` when the projection and the chart disagree, or
    ///   a store error. Failed checks do not throw: they are in `failedChecks`.
    public static func run(_ report: some Report, on ledger: Ledger, period: ReportPeriod,
                           preparedOn: LedgerDate = .today()) throws -> ReportDocument {
        try ledger.read { reader in
            let context = try ReportContext(ledger: ledger.info, period: period, reader: reader)
            return run(report, in: context, preparedOn: preparedOn, content: try report.content(in: context))
        }
    }

    static func run<R: Report>(_ report: R, in context: ReportContext, preparedOn: LedgerDate, content: ReportContent) -> ReportDocument {
        ReportDocument(kind: R.kind, title: R.title, englishTitle: R.englishTitle, period: context.period,
                       provenance: context.provenance, preparedOn: preparedOn, content: content)
    }
}
