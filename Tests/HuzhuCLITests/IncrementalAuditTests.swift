import Foundation
import Ledger
import Testing

@Suite("huzhu audit --since-checkpoint")
struct IncrementalAuditTests {
    @Test("reads only the events after the last verified checkpoint, and still finds a fault in them")
    func sinceCheckpoint() throws {
        let books = try CLILedger()
        let checkpointSeq = try books.standardBooks()
        #expect(try books.audit().status == 0)
        let state = try String(contentsOfFile: books.database + ".audit-state.json", encoding: .utf8)
        #expect(state.contains("\"treeSize\":\(checkpointSeq - 1)"))

        try books.post(date: "2026-11-08", amount: "7.00", ref: "NOV-7")
        let incremental = try books.audit(["--since-checkpoint", "--no-save-state"])
        #expect(incremental.status == 0, "\(incremental.findings)")
        #expect(incremental.report["firstSeq"]?.integerValue == checkpointSeq)
        #expect(incremental.report["scope"]?["treeSize"]?.integerValue == checkpointSeq - 1)
        #expect(incremental.findings.map(\.check) == ["books.replay", "claims.assessment", "fund.controls"],
                "only the notes that the replay, the claims recomputation and the fund's controls are skipped")

        let seq = try books.lastSeq()
        try LedgerSurgeon(books).execute("UPDATE events SET signature = zeroblob(64) WHERE seq = \(seq)")
        let tampered = try books.audit(["--since-checkpoint"])
        #expect(tampered.status == 1)
        #expect(tampered.errors.map(\.seqs) == [[seq]] && tampered.checksWithErrors == ["chain"], "\(tampered.findings)")
    }

    @Test("a clean run moves the state to the newest checkpoint it rests on")
    func advances() throws {
        let books = try CLILedger()
        try books.standardBooks()
        #expect(try books.audit().status == 0)
        try books.post(date: "2026-11-08", amount: "7.00", ref: "NOV-7")
        try books.cli.ok(["checkpoint", "--key", "admin.key"])
        let newest = try books.lastSeq()
        #expect(try books.audit(["--since-checkpoint"]).status == 0)
        let state = try String(contentsOfFile: books.database + ".audit-state.json", encoding: .utf8)
        #expect(state.contains("\"checkpointSeq\":\(newest)"))
    }

    @Test("history rewritten since the last audit, by someone holding every key, is reported")
    func fork() throws {
        let books = try CLILedger()
        let checkpointSeq = try books.standardBooks()
        #expect(try books.audit().status == 0)
        // Rewrite an October entry before the checkpoint, keeping it balanced, and re-sign everything after it.
        let seq = checkpointSeq - 3
        try LedgerSurgeon(books).rewrite(seq) { fields in
            let postings = fields.data["postings"]!.arrayValue!.map { line -> JSONValue in
                var object = line.objectValue!
                object["amountFen"] = .integer(1)
                return .object(object)
            }
            fields.data["postings"] = .array(postings)
        }
        // A full audit cannot tell: every signature is real and every rule holds.
        #expect(try books.audit(["--no-save-state"]).status == 0)
        // The incremental audit remembers the root it verified.
        let audit = try books.audit(["--since-checkpoint"])
        #expect(audit.status == 1)
        #expect(audit.checksWithErrors == ["checkpoints"], "\(audit.findings)")
        #expect(audit.errors[0].explanation.contains("the history was rewritten since"))
        #expect(audit.errors[0].seqs == [checkpointSeq - 1])
    }
}
