import Audit
import Foundation
import Ledger
import Testing

/// The audit library on a ledger built in process: the framework's shapes, a clean
/// audit, a domain check plugged in as a new type, and the closing-balance digest.
@Suite("Audit library")
struct AuditLibraryTests {
    /// A ledger in a temporary file with an admin and a clerk and a few entries.
    func books() throws -> (Ledger, SigningKey, SigningKey, String) {
        let folder = NSTemporaryDirectory() + "huzhu-audit-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let admin = SigningKey()
        let clerk = SigningKey()
        let ledger = try Ledger.create(store: SQLiteLedgerStore(path: folder + "/l.db", create: true), name: "测试", admin: admin)
        try ledger.registerKey(clerk.publicKey, roles: [.clerk], holder: "经办员", signer: admin)
        for day in 1...5 {
            _ = try ledger.post([JournalEntry(date: LedgerDate(year: 2026, month: 10, day: day), memo: "互助金", postings: [
                .debit(AccountCode("10201"), Money(fen: Int64(day) * 100)), .credit(AccountCode("40801"), Money(fen: Int64(day) * 100)),
            ])], signer: clerk)
        }
        _ = try ledger.signCheckpoint(signer: admin)
        return (ledger, admin, clerk, folder)
    }

    /// A stand-in for a domain check: flags every entry over a limit.
    struct LargeEntryCheck: AuditCheck {
        let name = "demo.large-entry"
        var seen = 0
        mutating func inspect(_ event: AuditedEvent, into findings: inout [Finding]) {
            guard case let .success(postings) = event.postings else { return }
            seen += 1
            if postings.contains(where: { $0.amount.fen >= 400 }) {
                findings.append(Finding(.warning, check: name, seqs: [event.seq], "an entry of 4 yuan or more"))
            }
        }
        mutating func finish(_ context: AuditContext, into findings: inout [Finding]) throws {
            findings.append(Finding(.info, check: name, "\(seen) entries seen"))
        }
    }

    @Test("a clean ledger: no findings, every check totalled, resting on the checkpoint")
    func clean() throws {
        let (ledger, _, _, folder) = try books()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let report = try Auditor(ledger: ledger).run()
        #expect(report.findings.isEmpty, "\(report.findings)")
        #expect(!report.hasErrors)
        #expect(report.checks == ["chain", "checkpoints", "books.balanced", "books.reversals", "books.trial-balance", "periods", "body.canonical", "events.format", "events.idempotency", "books.replay"])
        #expect(report.totals.allSatisfy { $0.errors == 0 && $0.warnings == 0 })
        #expect(report.checkpoint?.checkpoint.treeSize == report.treeSize - 1)
        #expect(report.json["ok"] == .bool(true))
    }

    @Test("a domain check plugs in as a new type and is totalled like the others")
    func domainCheck() throws {
        let (ledger, _, _, folder) = try books()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var options = Auditor.Options()
        options.domainChecks = [LargeEntryCheck()]
        let report = try Auditor(ledger: ledger, options: options).run()
        #expect(!report.hasErrors)
        let total = try #require(report.totals.first { $0.check == "demo.large-entry" })
        #expect(total.errors == 0 && total.warnings == 2 && total.infos == 1)
        #expect(report.text.contains("WARNING demo.large-entry seq"))
    }

    @Test("an incremental audit reads only what came after the verified checkpoint")
    func incremental() throws {
        let (ledger, admin, clerk, folder) = try books()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let full = try Auditor(ledger: ledger).run()
        let state = try #require(AuditState(after: full))
        _ = try ledger.post([JournalEntry(date: LedgerDate("2026-11-02"), memo: "补缴", postings: [
            .debit(AccountCode("10201"), Money(fen: 6000)), .credit(AccountCode("40801"), Money(fen: 6000)),
        ])], signer: clerk)
        _ = try ledger.signCheckpoint(signer: admin)
        var options = Auditor.Options()
        options.since = state
        let report = try Auditor(ledger: ledger, options: options).run()
        #expect(report.scope == .sinceCheckpoint(treeSize: state.treeSize))
        #expect(report.firstSeq == state.treeSize + 1)
        #expect(report.eventsAudited == report.treeSize - state.treeSize)
        #expect(!report.hasErrors, "\(report.findings)")
        #expect(report.findings.map(\.check) == ["books.replay"])
        #expect(report.checkpoint?.checkpoint.treeSize == report.treeSize - 1)
    }

    @Test("the closing balance digest is SHA-256 of the documented canonical JSON")
    func closingDigest() throws {
        let balances = ClosingBalances(period: try Period("2026-10"), totals: [
            try AccountCode("40801"): AccountTotals(debit: .zero, credit: Money(fen: 1500)),
            try AccountCode("10201"): AccountTotals(debit: Money(fen: 1500), credit: .zero),
            try AccountCode("50201"): AccountTotals(),
        ])
        let text = #"{"accounts":[{"account":"10201","creditFen":0,"debitFen":1500},{"account":"40801","creditFen":1500,"debitFen":0}],"period":"2026-10","type":"huzhu-closing-balances-v1"}"#
        #expect(try CanonicalJSON.encode(balances.body) == Array(text.utf8))
        #expect(try balances.digest == SHA256Hash.of(Array(text.utf8)))
    }

    @Test("findings print with severity, check, seqs and the section of their rule")
    func findingShape() {
        let finding = Finding(.error, check: "books.balanced", seqs: [42], "the entry does not balance")
        #expect(finding.description == "ERROR books.balanced seq 42: the entry does not balance (FORMAT §4)")
        #expect(finding.json["seqs"] == [42])
        #expect(Severity.error < Severity.warning && Severity.warning < Severity.info)
    }
}
