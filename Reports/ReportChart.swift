import Ledger

/// A chart a report asks for: labelled amounts drawn as bars. HTML draws it as inline
/// SVG; text and CSV leave it out, since its figures are already in the tables; JSON
/// carries the series.
public struct ReportChart: Sendable, Hashable {
    public enum Style: Sendable, Hashable {
        /// One horizontal bar per item, long labels on the left (expenditure by account).
        case horizontalBars
        /// One vertical bar per period, in time order (a balance by month).
        case columns
    }

    public struct Bar: Sendable, Hashable {
        public let label: String
        public let amount: Money

        public init(_ label: String, _ amount: Money) {
            self.label = label
            self.amount = amount
        }
    }

    public let key: String
    public let title: String
    public let style: Style
    public let bars: [Bar]

    /// The most bars drawn: past this the bars are too thin to read on an A4 page.
    public static let barCountMax = 120

    public init(key: String, title: String, style: Style, bars: [Bar]) {
        self.key = key
        self.title = title
        self.style = style
        self.bars = Array(bars.prefix(ReportChart.barCountMax))
    }
}
