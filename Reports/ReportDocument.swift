import Ledger

/// A finished report, ready for any renderer: the form's header (title, ledger, period,
/// unit), its content, the checkpoint its figures rest on, and the sign-off lines.
public struct ReportDocument: Sendable, Hashable {
    /// The report's command name and JSON tag: `trial-balance`.
    public let kind: String
    /// The form's title: 科目余额表.
    public let title: String
    public let englishTitle: String
    public let period: ReportPeriod
    public let provenance: ReportProvenance
    /// 编制日期: the day the report was made.
    public let preparedOn: LedgerDate
    public let content: ReportContent

    /// Amounts are printed in yuan (元) to the fen, never rounded to 万元 as some forms do,
    /// so a figure here always equals the ledger's to the fen.
    public static let unitLabel = "单位：元"

    public init(kind: String, title: String, englishTitle: String, period: ReportPeriod, provenance: ReportProvenance,
                preparedOn: LedgerDate, content: ReportContent) {
        self.kind = kind
        self.title = title
        self.englishTitle = englishTitle
        self.period = period
        self.provenance = provenance
        self.preparedOn = preparedOn
        self.content = content
    }

    /// The checks that failed; a report with any is wrong and the CLI exits 1.
    public var failedChecks: [ReportCheck] { content.checks.filter { !$0.holds } }

    /// The heading line: 科目余额表 (2026年10月).
    public var heading: String { "\(title)（\(period.chineseLabel)）" }

    /// 编制单位, period, unit and date, as the line under a union form's title.
    public var subheading: String {
        "编制单位：\(provenance.ledgerName)    期间：\(period.chineseLabel)    \(ReportDocument.unitLabel)    编制日期：\(preparedOn.text)"
    }

    /// The checks as a table, so every format shows both sides and the difference.
    public var checksTable: ReportTable? {
        guard !content.checks.isEmpty else { return nil }
        var table = ReportTable(key: "checks", title: "核对（tie-out）", columns: [
            ReportColumn("check", "项目"), ReportColumn("result", "结果"), ReportColumn("leftLabel", "左方"),
            ReportColumn("left", "金额", .money), ReportColumn("rightLabel", "右方"), ReportColumn("right", "金额", .money),
            ReportColumn("difference", "差额", .money),
        ])
        for check in content.checks {
            table.add([.text(check.label), .text(check.resultLabel), .text(check.leftLabel), .money(check.left),
                       .text(check.rightLabel), .money(check.right), .money(check.difference)])
        }
        return table
    }
}
