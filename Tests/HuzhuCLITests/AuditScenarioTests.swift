import Foundation
import GRDB
import Ledger
import Testing

/// For every finding the audit exists for: build books through the CLI, produce the fault
/// (tampering with the file, as an insider could, re-signing with real keys where the
/// fault must survive the chain check), and check that exactly that finding appears, at
/// the right seq.
@Suite("huzhu audit: one scenario per finding")
struct AuditScenarioTests {
    @Test("clean books give no findings and exit 0, resting on the newest checkpoint")
    func clean() throws {
        let books = try CLILedger()
        let checkpointSeq = try books.standardBooks()
        let audit = try books.audit()
        #expect(audit.status == 0, "\(audit.stderr)")
        #expect(audit.findings.isEmpty, "\(audit.findings)")
        #expect(audit.report["ok"] == .bool(true))
        #expect(audit.report["checkpoint"]?["seq"]?.integerValue == checkpointSeq)
        #expect(audit.report["checkpoint"]?["treeSize"]?.integerValue == checkpointSeq - 1)
        let checks = Set((audit.report["totals"]?.arrayValue ?? []).compactMap { $0["check"]?.stringValue })
        #expect(checks == ["chain", "checkpoints", "books.balanced", "books.reversals", "books.trial-balance", "books.replay", "periods", "body.canonical", "events.format", "events.idempotency", "mutual-aid", "fund.controls", "statements.index"])
        let text = try books.cli.ok(["audit"])
        #expect(text.contains("no findings"))
        #expect(text.contains("rests on checkpoint: tree size \(checkpointSeq - 1)"))
    }

    @Test("chain: a signature that does not verify")
    func signature() throws {
        let books = try CLILedger()
        try books.standardBooks()
        let seq = try books.lastSeq() - 1
        try LedgerSurgeon(books).execute("UPDATE events SET signature = zeroblob(64) WHERE seq = \(seq)")
        let audit = try books.audit()
        #expect(audit.status == 1)
        #expect(audit.checksWithErrors == ["chain"], "\(audit.findings)")
        #expect(audit.errors.map(\.seqs) == [[seq]])
        #expect(audit.errors[0].explanation.contains("signature does not verify"))
        #expect(audit.stderr.contains("audit found 1 error(s)"))
    }

    @Test("chain: an event signed by a key revoked before it")
    func revokedSigner() throws {
        let books = try CLILedger()
        try books.standardBooks()
        try books.cli.ok(["key", "new", "--out", "clerk2.key"])
        try books.cli.ok(["key", "register", "--key", "admin.key", "--key-file", "clerk2.key", "--roles", "clerk", "--holder", "经办员二"])
        let clerk = try books.keyID("clerk.key")
        try books.cli.ok(["key", "revoke", clerk, "--reason", "调岗", "--key", "admin.key"])
        let revokedAt = try books.lastSeq()
        let before = try books.cli.run(["post", "--key", "clerk.key", "--date", "2026-11-06", "--debit", "10201=1", "--credit", "40801=1"])
        #expect(before.status == 2, "the append path refuses a revoked key")
        try books.cli.ok(["post", "--key", "clerk2.key", "--date", "2026-11-06", "--debit", "10201=1", "--credit", "40801=1"])
        let seq = try books.lastSeq()
        try LedgerSurgeon(books, extraKeys: ["clerk2.key"]).rewrite(seq) { $0.actor = try! KeyID(clerk) }
        let audit = try books.audit()
        #expect(audit.checksWithErrors == ["chain"], "\(audit.findings)")
        #expect(audit.errors.map(\.seqs) == [[seq]])
        #expect(audit.errors[0].explanation.contains("revoked at seq \(revokedAt)"))
    }

    @Test("chain: an event signed by a key without the role its kind needs")
    func wrongRole() throws {
        let books = try CLILedger()
        try books.standardBooks()
        let seq = try books.lastSeq()
        let admin = try books.keyID("admin.key")
        try LedgerSurgeon(books).rewrite(seq) { $0.actor = try! KeyID(admin) }
        let audit = try books.audit()
        #expect(audit.checksWithErrors == ["chain"], "\(audit.findings)")
        #expect(audit.errors.map(\.seqs) == [[seq]])
        #expect(audit.errors[0].explanation.contains("may not sign entry.posted (needs clerk)"))
    }

    @Test("chain: a checkpoint whose root is not the events' root")
    func checkpointRoot() throws {
        let books = try CLILedger()
        let checkpointSeq = try books.standardBooks()
        try LedgerSurgeon(books).execute("UPDATE checkpoints SET root = zeroblob(32) WHERE seq = \(checkpointSeq)")
        let audit = try books.audit()
        #expect(audit.status == 1)
        let chain = audit.errors("chain")
        #expect(chain.contains { $0.seqs == [checkpointSeq] && $0.explanation.contains("has root 0000000000000000") }, "\(audit.findings)")
        #expect(audit.errors("checkpoints").contains { $0.seqs.first == checkpointSeq }, "\(audit.findings)")
        // The table no longer matches the event that recorded the checkpoint.
        #expect(audit.errors("books.replay").allSatisfy { $0.explanation.hasPrefix("checkpoints:") && $0.seqs == [checkpointSeq] })
    }

    @Test("chain: a log shorter than its last checkpoint (a truncated tail)")
    func truncated() throws {
        let books = try CLILedger()
        let checkpointSeq = try books.standardBooks()
        try books.cli.ok(["checkpoint", "--key", "admin.key"])
        let size = try books.lastSeq() - 1
        try LedgerSurgeon(books).execute("DELETE FROM events WHERE seq >= \(checkpointSeq + 1)")
        let audit = try books.audit()
        #expect(audit.status == 1)
        #expect(audit.errors("chain").contains { $0.seqs == [checkpointSeq + 1] && $0.explanation.contains("covers more events than the log holds (\(checkpointSeq)): the log was truncated") && $0.explanation.contains("tree size \(size)") }, "\(audit.findings)")
    }

    @Test("books.balanced: an entry whose debits and credits differ, re-signed with the clerk's key")
    func unbalanced() throws {
        let books = try CLILedger()
        try books.standardBooks()
        let seq = try books.lastSeq()
        try LedgerSurgeon(books).rewrite(seq) { fields in
            var postings = fields.data["postings"]!.arrayValue!
            var line = postings[1].objectValue!
            line["amountFen"] = .integer(1)
            postings[1] = .object(line)
            fields.data["postings"] = .array(postings)
        }
        let audit = try books.audit()
        #expect(audit.checksWithErrors == ["books.balanced", "books.trial-balance"], "\(audit.findings)")
        #expect(audit.errors("books.balanced").map(\.seqs) == [[seq]])
        #expect(audit.errors("books.balanced")[0].explanation.contains("debits and credits must be equal"))
        #expect(audit.errors("books.trial-balance")[0].explanation.contains("not zero"))
    }

    @Test("books.trial-balance: a balance edited behind the log's back")
    func trialBalance() throws {
        let books = try CLILedger()
        try books.standardBooks()
        try LedgerSurgeon(books).execute("UPDATE account_day_totals SET debit_fen = debit_fen + 100 WHERE account = '10201' AND day = '2026-10-08'")
        let audit = try books.audit()
        #expect(audit.checksWithErrors == ["books.trial-balance", "books.replay"], "\(audit.findings)")
        #expect(audit.errors("books.trial-balance").count == 1)
        #expect(audit.errors("books.trial-balance")[0].explanation.contains("total debits 1,086.00 and credits 1,085.00") ||
                audit.errors("books.trial-balance")[0].explanation.contains("not zero"))
        #expect(audit.errors("books.replay").allSatisfy { $0.explanation.hasPrefix("account_day_totals:") })
        #expect(audit.errors("books.replay").count == 2)
    }

    @Test("books.replay: a projection row that the log does not produce, named by the seq that made it")
    func replay() throws {
        let books = try CLILedger()
        try books.standardBooks()
        let opened = try books.scalar("SELECT opened_seq FROM accounts WHERE code = '40801'")
        try LedgerSurgeon(books).execute("UPDATE accounts SET name = '改名' WHERE code = '40801'")
        let audit = try books.audit()
        #expect(audit.checksWithErrors == ["books.replay"], "\(audit.findings)")
        #expect(audit.errors.count == 2)
        #expect(audit.errors.allSatisfy { $0.seqs == [opened] && $0.explanation.hasPrefix("accounts:") })
        #expect(audit.errors.contains { $0.explanation.contains("name=改名") })
    }

    @Test("books.replay: an event's kind column edited so an index scan would miss it")
    func kindColumn() throws {
        let books = try CLILedger()
        try books.standardBooks()
        let seq = try books.lastSeq()
        try LedgerSurgeon(books).execute("UPDATE events SET kind = 'account.opened' WHERE seq = \(seq)")
        let audit = try books.audit()
        #expect(audit.checksWithErrors == ["books.replay"], "\(audit.findings)")
        #expect(audit.errors.allSatisfy { $0.seqs == [seq] && $0.explanation.hasPrefix("events:") })
    }

    /// An entry re-dated into the closed month itself, or before it (months close in order),
    /// and re-signed so the chain holds. `CLOSE` in the explanation stands for the close's seq.
    @Test("periods: an entry dated into, or before, a closed month", arguments: zip(
        ["2026-10-31", "2026-09-30"],
        ["in the month 2026-10 that was closed at seq CLOSE", "before the month 2026-10"]))
    func datedIntoClosedMonth(date: String, explanation: String) throws {
        let books = try CLILedger()
        try books.standardBooks()
        try books.cli.ok(["period", "close", "2026-10", "--key", "admin.key"])
        let closeSeq = try books.lastSeq()
        try books.post(date: "2026-11-10", amount: "30.00", ref: "NOV-2")
        let seq = try books.lastSeq()
        try LedgerSurgeon(books).rewrite(seq) { $0.data["date"] = .string(date) }
        let audit = try books.audit()
        #expect(audit.checksWithErrors == ["periods"], "\(audit.findings)")
        #expect(audit.errors.map(\.seqs) == [[seq, closeSeq]])
        #expect(audit.errors[0].explanation.contains(explanation.replacingOccurrences(of: "CLOSE", with: "\(closeSeq)")))
    }

    @Test("periods: a close whose closing balance digest the entries do not reproduce")
    func closingDigest() throws {
        let books = try CLILedger()
        try books.standardBooks()
        try books.cli.ok(["period", "close", "2026-10", "--key", "admin.key"])
        let closeSeq = try books.lastSeq()
        try LedgerSurgeon(books).rewrite(closeSeq) { fields in
            var summary = fields.data["closingBalances"]!.objectValue!
            summary["digest"] = .string(String(repeating: "ab", count: 32))
            fields.data["closingBalances"] = .object(summary)
        }
        let audit = try books.audit()
        #expect(audit.checksWithErrors == ["periods"], "\(audit.findings)")
        #expect(audit.errors.map(\.seqs) == [[closeSeq]])
        #expect(audit.errors[0].explanation.contains("records closing balances digest abababab"))
    }

    @Test("body.canonical: a body that verifies but is not in canonical form")
    func canonical() throws {
        let books = try CLILedger()
        try books.standardBooks()
        let seq = try books.lastSeq()
        try LedgerSurgeon(books).rewrite(seq, raw: { $0.replacingOccurrences(of: "{\"actor\":", with: "{ \"actor\":") })
        let audit = try books.audit()
        // The chain's own pass refuses non-canonical bytes too (so `huzhu verify` does), and
        // body.canonical says where the bytes differ.
        #expect(audit.checksWithErrors == ["body.canonical", "chain"], "\(audit.findings)")
        #expect(audit.errors.map(\.seqs) == [[seq], [seq]])
        #expect(audit.errors("body.canonical")[0].explanation.contains("differs from its re-encoding at byte 1"))
    }
}
