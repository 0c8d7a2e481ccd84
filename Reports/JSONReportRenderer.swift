import Ledger

/// Writes a report as one canonical JSON object (keys sorted, one line) for scripts.
///
/// Each money cell appears twice: `<key>` as yuan text exactly as the other formats print
/// it ("1,234.50") and `<key>Fen` as an integer, so a script never parses a decimal.
public enum JSONReportRenderer {
    public static func render(_ document: ReportDocument) throws -> String {
        String(decoding: try CanonicalJSON.encode(json(document)), as: UTF8.self) + "\n"
    }

    public static func json(_ document: ReportDocument) -> JSONValue {
        let period: JSONValue = [
            "first": .string(document.period.first.text), "last": .string(document.period.last.text),
            "startDate": .string(document.period.startDate.text), "endDate": .string(document.period.endDate.text),
            "label": .string(document.period.chineseLabel),
        ]
        return [
            "report": .string(document.kind), "title": .string(document.title), "englishTitle": .string(document.englishTitle),
            "period": period, "preparedOn": .string(document.preparedOn.text), "currency": "CNY",
            "provenance": document.provenance.json,
            "tables": .array(document.content.tables.map(json)),
            "checks": .array(document.content.checks.map(json)),
            "balanced": .bool(document.failedChecks.isEmpty),
            "charts": .array(document.content.charts.map(json)),
            "notes": .array(document.content.notes.map { .string($0) }),
            "signOff": .array(SignOff.roles.map { .string($0) }),
        ]
    }

    static func json(_ table: ReportTable) -> JSONValue {
        let columns: [JSONValue] = table.columns.map { column in
            ["key": .string(column.key), "title": .string(column.title), "kind": .string(kindName(column.kind))]
        }
        let rows: [JSONValue] = table.rows.map { row in
            var object: [String: JSONValue] = ["role": .string(roleName(row.role)), "level": .integer(Int64(row.level))]
            for (column, cell) in zip(table.columns, row.cells) {
                switch cell {
                case let .text(value): object[column.key] = .string(value)
                case let .money(value):
                    object[column.key] = .string(value.formatted())
                    object[column.key + "Fen"] = .integer(value.fen)
                case let .count(value): object[column.key] = .integer(value)
                case .empty: object[column.key] = .null
                }
            }
            return .object(object)
        }
        return ["key": .string(table.key), "title": .string(table.title), "columns": .array(columns), "rows": .array(rows)]
    }

    static func json(_ check: ReportCheck) -> JSONValue {
        ["label": .string(check.label), "leftLabel": .string(check.leftLabel), "left": .string(check.left.formatted()),
         "leftFen": .integer(check.left.fen), "rightLabel": .string(check.rightLabel), "right": .string(check.right.formatted()),
         "rightFen": .integer(check.right.fen), "differenceFen": .integer(check.difference.fen), "holds": .bool(check.holds)]
    }

    static func json(_ chart: ReportChart) -> JSONValue {
        ["key": .string(chart.key), "title": .string(chart.title),
         "style": .string(chart.style == .columns ? "columns" : "horizontalBars"),
         "bars": .array(chart.bars.map { ["label": .string($0.label), "amount": .string($0.amount.formatted()), "amountFen": .integer($0.amount.fen)] })]
    }

    static func kindName(_ kind: ReportColumn.Kind) -> String {
        switch kind {
        case .text: return "text"
        case .money: return "money"
        case .count: return "count"
        }
    }

    static func roleName(_ role: ReportRow.Role) -> String {
        switch role {
        case .line: return "line"
        case .subtotal: return "subtotal"
        case .total: return "total"
        case .heading: return "heading"
        }
    }
}
