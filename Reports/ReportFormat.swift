/// The formats a report is written in. Every format carries the same figures; they differ
/// in who reads them: a terminal, a spreadsheet, a script, a printer.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// Aligned tables for a terminal; a Chinese character counts as two columns.
    case text
    /// Comma-separated sections for a spreadsheet (RFC 4180 quoting, UTF-8).
    case csv
    /// One canonical JSON object: amounts as yuan text and as integer fen.
    case json
    /// One self-contained page with inline CSS and SVG charts, readable when printed.
    case html

    /// Writes `document` in this format.
    public func render(_ document: ReportDocument) throws -> String {
        switch self {
        case .text: return TextReportRenderer.render(document)
        case .csv: return CSVReportRenderer.render(document)
        case .json: return try JSONReportRenderer.render(document)
        case .html: return HTMLReportRenderer.render(document)
        }
    }

    /// The usual file extension, for naming output files.
    public var fileExtension: String { rawValue == "text" ? "txt" : rawValue }
}
