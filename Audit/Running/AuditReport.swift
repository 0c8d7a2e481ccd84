import Foundation
import Ledger

/// What an audit found, and what it rests on: the ledger, the events read, the newest
/// signed checkpoint covered, every check that ran with its totals, and the findings.
public struct AuditReport: Sendable {
    /// How much of the log the audit read.
    public enum Scope: Sendable, Equatable {
        /// Every event, from seq 1.
        case full
        /// Only the events after a checkpoint an earlier audit verified.
        case sinceCheckpoint(treeSize: Int64)
        /// An auditor's bundle of files, with no database.
        case bundle(path: String)
    }

    /// Findings per severity for one check.
    public struct CheckTotal: Sendable, Hashable {
        public let check: String
        public let errors: Int
        public let warnings: Int
        public let infos: Int
    }

    public let ledgerID: String
    public let scope: Scope
    public let firstSeq: Int64
    /// The size of the log audited, which is also the last seq read.
    public let treeSize: Int64
    public let rootHash: SHA256Hash
    /// The newest signed checkpoint within the events audited: the tree head the report
    /// rests on, which a member or auditor can quote and check proofs against.
    public let checkpoint: RecordedCheckpoint?
    public let checks: [String]
    public let findings: [Finding]
    public let signaturesVerified: Int64
    public let checkpointsVerified: Int
    public let seconds: Double

    public var hasErrors: Bool { findings.contains { $0.severity == .error } }
    public var eventsAudited: Int64 { max(0, treeSize - firstSeq + 1) }

    public var totals: [CheckTotal] {
        checks.map { name in
            let mine = findings.filter { $0.check == name }
            return CheckTotal(check: name, errors: mine.count { $0.severity == .error },
                              warnings: mine.count { $0.severity == .warning }, infos: mine.count { $0.severity == .info })
        }
    }

    /// Findings sorted for reading: errors first, then by first seq.
    public var sortedFindings: [Finding] {
        // By severity, then by the event at fault (a byte changed in event S is reported at S,
        // even when a domain check names an earlier event S contradicts), the chain's own
        // finding first at one seq, and findings about the whole after those about an event.
        findings.enumerated().sorted { a, b in
            if a.element.severity != b.element.severity { return a.element.severity < b.element.severity }
            let sa = a.element.faultSeq ?? .max, sb = b.element.faultSeq ?? .max
            if sa != sb { return sa < sb }
            let ca = a.element.check == AuditPass.chainCheck, cb = b.element.check == AuditPass.chainCheck
            return ca != cb ? ca : a.offset < b.offset
        }.map(\.element)
    }

    var scopeText: String {
        switch scope {
        case .full: return "full"
        case let .sinceCheckpoint(size): return "since checkpoint of tree size \(size)"
        case let .bundle(path): return "bundle \(path)"
        }
    }

    /// The report for people: a summary, the checkpoint, per-check totals, then findings.
    public var text: String {
        var lines: [String] = []
        lines.append("audit of ledger \(ledgerID) (\(scopeText)): events \(firstSeq)–\(treeSize) (\(eventsAudited) read), " +
                     "\(signaturesVerified) signatures, \(checkpointsVerified) checkpoints verified in \(String(format: "%.2f", seconds)) s")
        lines.append("root \(rootHash.hex) at tree size \(treeSize)")
        if let checkpoint {
            lines.append("rests on checkpoint: tree size \(checkpoint.checkpoint.treeSize), root \(checkpoint.checkpoint.rootHash.hex), " +
                         "signed \(checkpoint.checkpoint.time) by \(checkpoint.checkpoint.keyID) (seq \(checkpoint.seq))")
        } else {
            lines.append("rests on checkpoint: none (sign one with `huzhu checkpoint`)")
        }
        lines.append("")
        lines.append("check                  errors  warnings  info")
        for total in totals {
            let name = total.check.padding(toLength: 22, withPad: " ", startingAt: 0)
            lines.append("\(name) \(String(total.errors).leftPadded(6))  \(String(total.warnings).leftPadded(8))  \(String(total.infos).leftPadded(4))")
        }
        lines.append("")
        if findings.isEmpty {
            lines.append("no findings")
        } else {
            lines.append(contentsOf: sortedFindings.map(\.description))
        }
        return lines.joined(separator: "\n")
    }

    public var json: JSONValue {
        var scopeJSON: JSONValue
        switch scope {
        case .full: scopeJSON = ["mode": "full"]
        case let .sinceCheckpoint(size): scopeJSON = ["mode": "sinceCheckpoint", "treeSize": .integer(size)]
        case let .bundle(path): scopeJSON = ["mode": "bundle", "path": .string(path)]
        }
        let checkpointJSON: JSONValue = checkpoint.map { recorded in
            ["seq": .integer(recorded.seq), "treeSize": .integer(recorded.checkpoint.treeSize),
             "rootHash": .string(recorded.checkpoint.rootHash.hex), "signed": recorded.checkpoint.json]
        } ?? .null
        return [
            "type": "huzhu-audit-report-v1",
            "ledger": .string(ledgerID),
            "scope": scopeJSON,
            "firstSeq": .integer(firstSeq),
            "treeSize": .integer(treeSize),
            "rootHash": .string(rootHash.hex),
            "checkpoint": checkpointJSON,
            "signaturesVerified": .integer(signaturesVerified),
            "checkpointsVerified": .integer(Int64(checkpointsVerified)),
            "ok": .bool(!hasErrors),
            "totals": .array(totals.map { ["check": .string($0.check), "errors": .integer(Int64($0.errors)),
                                           "warnings": .integer(Int64($0.warnings)), "info": .integer(Int64($0.infos))] }),
            "findings": .array(sortedFindings.map(\.json)),
        ]
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
