import Ledger

/// Draws a `ReportChart` as inline SVG: no scripts, no fonts or images fetched, so the page
/// stays one self-contained file that prints as it shows.
///
/// Bars are scaled from fen converted to `Double`; that is drawing only. Every amount a
/// reader sees, in labels and tooltips, is `Money.formatted()`.
public enum SVGChartRenderer {
    static let width = 720.0
    static let fontSize = 12.0
    /// Pixels per display column at `fontSize`: a Chinese character (two columns) is about
    /// 12 px, a digit about 6.5 px.
    static let pixelsPerColumn = 6.6

    public static func render(_ chart: ReportChart, id: String) -> String {
        switch chart.style {
        case .horizontalBars: return horizontalBars(chart, id: id)
        case .columns: return columns(chart, id: id)
        }
    }

    static func textWidth(_ text: String) -> Double { Double(TextTable.displayWidth(text)) * pixelsPerColumn }

    /// The range the axis must cover: always including zero, never empty.
    static func range(_ bars: [ReportChart.Bar]) -> (low: Double, high: Double) {
        let values = bars.map { Double($0.amount.fen) }
        let low = min(0, values.min() ?? 0)
        let high = max(0, values.max() ?? 0)
        return high == low ? (low, low + 1) : (low, high)
    }

    static func open(_ id: String, _ title: String, height: Double) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" class="chart" id="\(id)" viewBox="0 0 \(format(width)) \(format(height))" \
        width="\(format(width))" height="\(format(height))" role="img" aria-labelledby="\(id)-title" \
        font-family="Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, WenQuanYi Micro Hei, sans-serif" font-size="\(format(fontSize))">
        <title id="\(id)-title">\(HTMLText.escape(title))</title>\n
        """
    }

    static func horizontalBars(_ chart: ReportChart, id: String) -> String {
        let rowHeight = 24.0
        let top = 8.0
        let labelWidth = min(260, (chart.bars.map { textWidth($0.label) }.max() ?? 0) + 12)
        let valueWidth = (chart.bars.map { textWidth($0.amount.formatted()) }.max() ?? 0) + 12
        let plotLeft = labelWidth
        let plotWidth = max(120, width - labelWidth - valueWidth)
        let (low, high) = range(chart.bars)
        let scale = plotWidth / (high - low)
        let zeroX = plotLeft + (0 - low) * scale
        let height = top * 2 + rowHeight * Double(max(chart.bars.count, 1))
        var svg = open(id, chart.title, height: height)
        for (index, bar) in chart.bars.enumerated() {
            let y = top + rowHeight * Double(index)
            let value = Double(bar.amount.fen)
            let x = value >= 0 ? zeroX : zeroX + value * scale
            let barWidth = max(abs(value) * scale, bar.amount.fen == 0 ? 0 : 1)
            let amount = bar.amount.formatted()
            svg += "<g class=\"bar\"><title>\(HTMLText.escape(bar.label)): \(amount)</title>"
            svg += "<text x=\"\(format(labelWidth - 8))\" y=\"\(format(y + rowHeight * 0.65))\" text-anchor=\"end\" fill=\"#222\">\(HTMLText.escape(bar.label))</text>"
            svg += "<rect x=\"\(format(x))\" y=\"\(format(y + 4))\" width=\"\(format(barWidth))\" height=\"\(format(rowHeight - 8))\" fill=\"\(value < 0 ? "#c0392b" : "#2e6da4")\"/>"
            svg += "<text x=\"\(format(max(x + barWidth, zeroX) + 6))\" y=\"\(format(y + rowHeight * 0.65))\" fill=\"#222\">\(amount)</text></g>\n"
        }
        svg += "<line x1=\"\(format(zeroX))\" y1=\"\(format(top))\" x2=\"\(format(zeroX))\" y2=\"\(format(height - top))\" stroke=\"#555\"/>\n"
        return svg + "</svg>"
    }

    static func columns(_ chart: ReportChart, id: String) -> String {
        let height = 280.0
        let top = 24.0
        let bottom = 40.0
        let left = 16.0
        let right = 16.0
        let plotHeight = height - top - bottom
        let count = Double(max(chart.bars.count, 1))
        let slot = (width - left - right) / count
        let (low, high) = range(chart.bars)
        let scale = plotHeight / (high - low)
        let zeroY = top + high * scale
        // Month labels every `step` bars, so they never overlap ("2026-01" is 7 columns).
        let step = max(1, Int((textWidth("2026-01") + 6) / slot) + 1)
        let showValues = chart.bars.allSatisfy { textWidth($0.amount.formatted()) * 0.85 <= slot }
        var svg = open(id, chart.title, height: height)
        for (index, bar) in chart.bars.enumerated() {
            let value = Double(bar.amount.fen)
            let x = left + slot * Double(index) + slot * 0.15
            let barWidth = slot * 0.7
            let barHeight = max(abs(value) * scale, bar.amount.fen == 0 ? 0 : 1)
            let y = value >= 0 ? zeroY - barHeight : zeroY
            let amount = bar.amount.formatted()
            svg += "<g class=\"bar\"><title>\(HTMLText.escape(bar.label)): \(amount)</title>"
            svg += "<rect x=\"\(format(x))\" y=\"\(format(y))\" width=\"\(format(barWidth))\" height=\"\(format(barHeight))\" fill=\"\(value < 0 ? "#c0392b" : "#2e6da4")\"/>"
            if showValues {
                let labelY = value >= 0 ? y - 4 : y + barHeight + 12
                svg += "<text x=\"\(format(x + barWidth / 2))\" y=\"\(format(labelY))\" text-anchor=\"middle\" font-size=\"10\" fill=\"#222\">\(amount)</text>"
            }
            if index % step == 0 {
                svg += "<text x=\"\(format(x + barWidth / 2))\" y=\"\(format(height - bottom + 16))\" text-anchor=\"middle\" fill=\"#222\">\(HTMLText.escape(bar.label))</text>"
            }
            svg += "</g>\n"
        }
        svg += "<line x1=\"\(format(left))\" y1=\"\(format(zeroY))\" x2=\"\(format(width - right))\" y2=\"\(format(zeroY))\" stroke=\"#555\"/>\n"
        return svg + "</svg>"
    }

    /// A coordinate with at most one decimal, so the SVG stays small and diffable.
    static func format(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        let whole = Int(tenths) / 10
        let fraction = abs(Int(tenths) % 10)
        if fraction == 0 { return "\(whole)" }
        return (tenths < 0 && whole == 0 ? "-" : "") + "\(whole).\(fraction)"
    }
}
