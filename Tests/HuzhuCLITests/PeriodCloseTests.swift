import Foundation
import Ledger
import Testing

@Suite("huzhu period close")
struct PeriodCloseTests {
    /// The CLI of `books` with the clock set to `now` (UTC).
    func at(_ books: CLILedger, _ now: String) -> CLI {
        var cli = books.cli
        cli.environment["HUZHU_NOW"] = now
        return cli
    }

    @Test("months close in order, once, after they end; closed months refuse entries; corrections go in an open month")
    func rules() throws {
        let books = try CLILedger()
        let cli = at(books, "2026-11-02T02:00:00Z")
        try books.post(date: "2026-09-15", amount: "10.00", ref: "SEP")
        let october = try books.post(date: "2026-10-08", amount: "20.00", ref: "OCT")

        let early = try cli.run(["period", "close", "2026-11", "--key", "admin.key"])
        #expect(early.status == 2)
        #expect(early.stderr.contains("2026-11 has not ended yet"), "\(early.stderr)")

        let outOfOrder = try cli.run(["period", "close", "2026-10", "--key", "admin.key"])
        #expect(outOfOrder.status == 2)
        #expect(outOfOrder.stderr.contains("earlier months with entries are still open (2026-09); close 2026-09 first"), "\(outOfOrder.stderr)")

        let clerk = try cli.run(["period", "close", "2026-09", "--key", "clerk.key"])
        #expect(clerk.status == 2, "only an administrator closes a month")

        let september = try cli.ok(["period", "close", "2026-09", "--key", "admin.key"])
        #expect(september.contains("closed 2026-09 at seq"))
        let closed = try cli.ok(["period", "close", "2026-10", "--key", "admin.key"])
        #expect(closed.contains("closed 2026-10 at seq \(try books.lastSeq())"))
        #expect(closed.contains("debits 30.00, credits 30.00"))

        let again = try cli.run(["period", "close", "2026-10", "--key", "admin.key"])
        #expect(again.status == 2)
        #expect(again.stderr.contains("already closed at seq"))

        let inside = try cli.run(["post", "--key", "clerk.key", "--date", "2026-10-31", "--debit", "10201=1", "--credit", "40801=1"])
        #expect(inside.status == 2)
        #expect(inside.stderr.contains("the month 2026-10 is closed"), "\(inside.stderr)")
        let before = try cli.run(["post", "--key", "clerk.key", "--date", "2026-08-01", "--debit", "10201=1", "--credit", "40801=1"])
        #expect(before.status == 2, "a month before the latest closed one is shut too")
        let reversal = try cli.run(["reverse", "\(october)", "--reason", "录入错误", "--key", "clerk.key", "--date", "2026-10-30"])
        #expect(reversal.status == 2)
        try cli.ok(["reverse", "\(october)", "--reason", "录入错误，更正至 11 月", "--key", "clerk.key", "--date", "2026-11-02"])

        let list = try cli.ok(["period", "list", "--format", "json"])
        #expect(list.contains("\"period\":\"2026-09\"") && list.contains("\"period\":\"2026-10\""))
        // Each close signed a checkpoint that verify and audit check.
        #expect(try books.cli.ok(["verify", "--format", "json"]).contains("\"checkpointsVerified\":2"))
        let audit = try books.audit()
        #expect(audit.status == 0, "\(audit.findings)")
        #expect(audit.findings.isEmpty, "\(audit.findings)")
    }

    @Test("the close records a checkpoint over the log and the digest of the month's closing balances")
    func closeEvent() throws {
        let books = try CLILedger()
        try books.standardBooks()
        let size = try books.lastSeq()
        try books.cli.ok(["period", "close", "2026-10", "--key", "admin.key"])
        let log = try books.cli.ok(["log", "--kind", "period.closed", "--format", "json"])
        #expect(log.contains("\"treeSize\":\(size)"), "\(log)")
        #expect(log.contains("\"through\":\"2026-10-31\""))
        #expect(log.contains("\"digest\":\""))
        let latest = try books.cli.ok(["checkpoint", "--latest"])
        #expect(latest.contains("\"treeSize\":\(size)"))
    }

    @Test("a month whose trial balance is not zero is not closed")
    func trialBalance() throws {
        let books = try CLILedger()
        try books.standardBooks()
        try LedgerSurgeon(books).execute("UPDATE account_day_totals SET credit_fen = credit_fen + 5 WHERE account = '40801' AND day = '2026-10-12'")
        let result = try books.cli.run(["period", "close", "2026-10", "--key", "admin.key"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("the trial balance of 2026-10 is not zero: debits 685.00, credits 685.05"), "\(result.stderr)")
        #expect(try books.cli.ok(["period", "list"]).contains("no month is closed"))
    }
}
