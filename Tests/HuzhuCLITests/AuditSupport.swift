import Foundation
import GRDB
import Ledger
import Testing

/// One finding as `huzhu audit --format json` prints it.
struct PrintedFinding: Hashable, CustomStringConvertible {
    let severity: String
    let check: String
    let seqs: [Int64]
    let explanation: String
    var description: String { "\(severity) \(check) \(seqs): \(explanation)" }
}

/// The outcome of `huzhu audit --format json`.
struct PrintedAudit {
    let status: Int32
    let report: JSONValue
    let findings: [PrintedFinding]
    let stderr: String

    var errors: [PrintedFinding] { findings.filter { $0.severity == "error" } }
    /// The checks with at least one error-level finding.
    var checksWithErrors: Set<String> { Set(errors.map(\.check)) }

    func errors(_ check: String) -> [PrintedFinding] { errors.filter { $0.check == check } }
}

extension CLILedger {
    /// Runs `huzhu audit --format json ARGS` and parses its report.
    func audit(_ arguments: [String] = [], cli: CLI? = nil) throws -> PrintedAudit {
        let result = try (cli ?? self.cli).run(["audit", "--format", "json"] + arguments)
        let report = try JSONParser.parse(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let findings = (report["findings"]?.arrayValue ?? []).map { value in
            PrintedFinding(severity: value["severity"]?.stringValue ?? "", check: value["check"]?.stringValue ?? "",
                           seqs: (value["seqs"]?.arrayValue ?? []).compactMap(\.integerValue),
                           explanation: value["explanation"]?.stringValue ?? "")
        }
        return PrintedAudit(status: result.status, report: report, findings: findings, stderr: result.stderr)
    }

    /// A single value read from the ledger: its file, or its PostgreSQL database with psql.
    func scalar(_ sql: String) throws -> Int64 {
        if location.hasPrefix("postgres") {
            return try #require(Int64(PostgresConcurrencyTests.psql(location, sql, in: directory)), "\(sql)")
        }
        return try DatabaseQueue(path: database).read { try Int64.fetchOne($0, sql: sql)! }
    }

    /// The seq of the newest event.
    func lastSeq() throws -> Int64 { try scalar("SELECT max(seq) FROM events") }

    /// The key id in a key file.
    func keyID(_ name: String) throws -> String {
        try SigningKey.load(from: path(name)).id.value
    }

    /// `standardBooks()`, then October closed and one more entry in November. Returns the
    /// seq of the close.
    @discardableResult
    func booksWithClosedMonth() throws -> Int64 {
        try standardBooks()
        try cli.ok(["period", "close", "2026-10", "--key", "admin.key"])
        let close = try lastSeq()
        try post(date: "2026-11-12", amount: "5.00", ref: "NOV-9")
        return close
    }

    /// Books used by most scenarios: entries in October 2026, a checkpoint, entries in November.
    /// Returns the seq of the checkpoint event.
    @discardableResult
    func standardBooks() throws -> Int64 {
        for (index, day) in ["2026-10-08", "2026-10-12", "2026-10-20"].enumerated() {
            try post(date: day, amount: "\(index + 1)00.00", ref: "OCT-\(index)")
        }
        try post(date: "2026-10-21", debit: "50201", credit: "10201", amount: "85.00", ref: "OCT-PAY")
        try cli.ok(["checkpoint", "--key", "admin.key"])
        let checkpointSeq = try lastSeq()
        try post(date: "2026-11-03", amount: "60.00", ref: "NOV-0")
        try post(date: "2026-11-05", debit: "50201", credit: "10201", amount: "20.00", ref: "NOV-1")
        return checkpointSeq
    }
}
