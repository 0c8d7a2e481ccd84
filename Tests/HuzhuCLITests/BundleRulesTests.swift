import Foundation
import Ledger
import Testing

/// The rules docs/FORMAT.md and docs/BUNDLE.md state, each broken in a bundle as an outsider
/// would break it: raw edits of the bundle's files, and alterations re-signed with the books'
/// own valid keys (`LedgerSurgeon`). Huzhu (`verify --bundle`) and the independent verifier
/// (`tools/verify_ledger.py --bundle`) must both refuse each one, at the same seq, or both
/// name the bundle as a whole. The table in docs/BUNDLE.md §12 points here.
@Suite("the offline rules: huzhu verify --bundle and tools/verify_ledger.py refuse the same alterations")
struct BundleRulesTests {
    /// October's entries, a checkpoint, November's, October closed, one more in November.
    /// Returns the books and the seq of the close.
    func closedBooks() throws -> (CLILedger, Int64) {
        let books = try CLILedger()
        return (books, try books.booksWithClosedMonth())
    }

    func python(_ arguments: [String]) throws -> (status: Int32, output: String) { try IndependentVerifierTests.python(arguments) }

    /// Exports the books to a fresh bundle and returns its folder.
    func export(_ books: CLILedger, _ name: String = "bundle") throws -> String {
        try books.cli.ok(["audit", "export", "--out", name])
        return books.path(name)
    }

    /// Both verifiers refuse `bundle`: at seq `seq` (or, when nil, the bundle as a whole),
    /// Huzhu naming its check and saying `huzhu`, the reference verifier saying `python`.
    func expectRefused(_ books: CLILedger, _ bundle: String, at seq: Int64?, check: String, huzhu: String, python expected: String,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let ours = try books.cli.run(["verify", "--bundle", bundle])
        #expect(ours.status == 1 && ours.stdout.contains("ERROR \(check)") && ours.stdout.contains(huzhu),
                "huzhu: \(ours.stdout)", sourceLocation: sourceLocation)
        let at = seq.map { "failed at seq \($0):" } ?? "failed (\(check)):"
        #expect(ours.stderr.contains(at), "huzhu: \(ours.stderr)", sourceLocation: sourceLocation)
        let theirs = try python(["--bundle", bundle])
        let where_ = seq.map { "FAIL seq \($0): " } ?? "FAIL bundle: "
        #expect(theirs.status == 1 && theirs.output.contains(where_) && theirs.output.contains(expected),
                "verify_ledger.py: \(theirs.output)", sourceLocation: sourceLocation)
    }

    func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func writeLines(_ lines: [String], _ path: String) throws {
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Rewrites the manifest with `edit` applied, in canonical form (so only the edit is wrong).
    func editManifest(_ bundle: String, _ edit: (inout [String: JSONValue]) -> Void) throws {
        let path = bundle + "/manifest.json"
        var members = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: path))).objectValue!
        edit(&members)
        try Data(try CanonicalJSON.encode(.object(members)) + [0x0A]).write(to: URL(fileURLWithPath: path))
    }

    @Test("a clean bundle: both verifiers agree, root and all")
    func clean() throws {
        let (books, _) = try closedBooks()
        let bundle = try export(books)
        let ours = try books.cli.ok(["verify", "--bundle", bundle])
        let theirs = try python(["--bundle", bundle])
        let root = try books.cli.ok(["verify"]).split(separator: "\n")[1].split(separator: " ")[1]
        let size = try books.lastSeq()
        #expect(theirs.status == 0 && theirs.output.contains("ok: \(size) events, root \(root)"), "\(theirs.output)")
        #expect(ours.contains(String(root)))
    }

    @Test("periods: a close whose totals, account count or through date are wrong though its digest is right, re-signed")
    func closeSummary() throws {
        for (field, value) in [("debitFen", JSONValue.integer(1)), ("accounts", .integer(9)), ("through", .string("2026-10-30"))] {
            let (books, close) = try closedBooks()
            try LedgerSurgeon(books).rewrite(close) { fields in
                var summary = fields.data["closingBalances"]!.objectValue!
                if case let .integer(number) = value, field == "debitFen" {
                    summary[field] = .integer(summary[field]!.integerValue! + number)
                    summary["creditFen"] = .integer(summary["creditFen"]!.integerValue! + number)
                } else {
                    summary[field] = value
                }
                fields.data["closingBalances"] = .object(summary)
            }
            #expect(try books.audit().errors("periods").map(\.seqs) == [[close]], "\(field): the audit finds it too")
            try expectRefused(books, try export(books), at: close, check: "periods",
                              huzhu: "has the right digest but states \(field)", python: "do not match the postings before the close")
        }
    }

    @Test("periods: a month closed before it ended, closed out of order, or closed while an earlier month with entries is open")
    func closeOrder() throws {
        // Recorded on 31 October at 18:00 in the books' time zone: the month had not ended.
        let (early, close) = try closedBooks()
        try LedgerSurgeon(early).rewrite(close) { $0.time = try! EventTime("2026-10-31T10:00:00Z") }
        try expectRefused(early, try export(early), at: close, check: "periods", huzhu: "before the month ended", python: "before the month ended")

        // November closed while October, which has entries, is still open.
        let (skipped, november) = try closedBooks()
        try LedgerSurgeon(skipped).rewrite(november) { $0.data["period"] = .string("2026-11") }
        try expectRefused(skipped, try export(skipped), at: november, check: "periods",
                          huzhu: "2026-11 was closed while earlier months with entries were open: 2026-10",
                          python: "2026-11 was closed while earlier months with entries were open: 2026-10")

        // September closed after October: October's close had shut it already.
        let (late, _) = try closedBooks()
        try late.cli.ok(["checkpoint", "--key", "admin.key"])
        let last = try late.lastSeq()
        try LedgerSurgeon(late).rewrite(last) { fields in
            fields.kind = "period.closed"
            fields.data["period"] = .string("2026-09")
        }
        try expectRefused(late, try export(late), at: last, check: "periods", huzhu: "2026-09 was closed after 2026-10",
                          python: "2026-09 was closed after 2026-10")
    }

    @Test("periods: an entry re-signed into a closed month")
    func datedIntoClosedMonth() throws {
        let (books, close) = try closedBooks()
        let last = try books.lastSeq()
        try LedgerSurgeon(books).rewrite(last) { $0.data["date"] = .string("2026-10-25") }
        try expectRefused(books, try export(books), at: last, check: "periods", huzhu: "that was closed at seq \(close)",
                          python: "in the month 2026-10 that was closed at seq \(close)")
    }

    @Test("books.reversals: a reversal re-signed to name another entry, or dated before its original, fails at the reversal")
    func reversals() throws {
        for alteration in ["lines", "date"] {
            let books = try CLILedger()
            try books.standardBooks()
            let original = try books.post(date: "2026-11-10", amount: "30.00", ref: "NOV-2")
            let other = try books.post(date: "2026-11-11", amount: "45.00", ref: "NOV-3")
            try books.cli.ok(["reverse", "\(original)", "--reason", "录入错误", "--date", "2026-11-12", "--key", "clerk.key"])
            let reversal = try books.lastSeq()
            // Re-signed with the clerk's own valid key, every later event re-chained.
            try LedgerSurgeon(books).rewrite(reversal) { fields in
                if alteration == "lines" { fields.data["reverses"] = .integer(other) } else { fields.data["date"] = .string("2026-11-09") }
            }
            let expected = alteration == "lines" ? "does not post event \(other)'s lines on the opposite sides" : "before it was made"
            try expectRefused(books, try export(books), at: reversal, check: "books.reversals", huzhu: expected, python: expected)
        }
    }

    @Test("events.idempotency: two events re-signed to carry one idempotency key fail the audit and the bundle, at the later one")
    func repeatedIdempotencyKey() throws {
        let books = try CLILedger()
        try books.standardBooks()
        let first = try books.post(date: "2026-11-10", amount: "30.00", ref: "NOV-2")
        let second = try books.post(date: "2026-11-11", amount: "45.00", ref: "NOV-3")
        // The second entry's body given the first one's key, re-signed with the clerk's key; the
        // index column is left as it was (the database's unique index would refuse the copy).
        try LedgerSurgeon(books).rewrite(second) { $0.data["idempotencyKey"] = .string("entry:NOV-2") }
        #expect(try books.audit().errors("events.idempotency").map(\.seqs) == [[first, second]])
        try expectRefused(books, try export(books), at: second, check: "events.idempotency",
                          huzhu: "carry one idempotency key \"entry:NOV-2\"", python: "events \(first) and \(second) carry one idempotency key")

        // An insider who also drops the unique index and writes the column to match: the body
        // and its column agree, and the store's own scan of the column finds the repeat.
        let unindexed = try CLILedger()
        try unindexed.standardBooks()
        let third = try unindexed.post(date: "2026-11-10", amount: "30.00", ref: "NOV-2")
        let fourth = try unindexed.post(date: "2026-11-11", amount: "45.00", ref: "NOV-3")
        let surgeon = try LedgerSurgeon(unindexed)
        try surgeon.execute("DROP INDEX events_by_idempotency_key")
        try surgeon.rewrite(fourth) { $0.data["idempotencyKey"] = .string("entry:NOV-2") }
        try surgeon.execute("UPDATE events SET idempotency_key = 'entry:NOV-2' WHERE seq = \(fourth)")
        let audit = try unindexed.audit()
        #expect(audit.errors("events.idempotency").map(\.seqs) == [[third, fourth]])
        #expect(audit.errors("books.replay").isEmpty)
    }

    @Test("chain: an event re-signed naming another ledger, and a checkpoint event re-signed over a tree that is not the events before it")
    func chainRules() throws {
        let (books, close) = try closedBooks()
        let ledger = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: try export(books, "first") + "/manifest.json")))["ledger"]!.stringValue!
        let entry = close - 2
        try LedgerSurgeon(books).rewrite(entry, raw: { $0.replacingOccurrences(of: ledger, with: "00000000-0000-4000-8000-000000000000") })
        try expectRefused(books, try export(books), at: entry, check: "chain", huzhu: "ledger", python: "the event belongs to ledger")

        let (shifted, shiftedClose) = try closedBooks()
        try LedgerSurgeon(shifted).rewrite(shiftedClose, raw: {
            $0.replacingOccurrences(of: "\"treeSize\":\(shiftedClose - 1)", with: "\"treeSize\":\(shiftedClose - 2)")
        })
        try expectRefused(shifted, try export(shifted), at: shiftedClose, check: "chain", huzhu: "is of tree size \(shiftedClose - 2), not \(shiftedClose - 1)",
                          python: "the checkpoint covers \(shiftedClose - 2) events")
    }

    @Test("books.reversals: a bank's returned payment re-signed as a core entry.reversed of the claim's payment, a domain money event")
    func coreReversalOfDomainEvent() throws {
        let plan = try MutualAidBooks(members: 2)
        let (claim, _) = try plan.file(plan.members[0], settlement: "S-1", extra: plan.medical(ownShare: "1000"))
        try plan.approveFully(claim)
        try plan.cli.ok(["claim", "pay", "\(claim)", "--batch", "P-1", "--out", "p.csv", "--date", "2026-04-10", "--key", "clerk.key"])
        try plan.cli.ok(["claim", "return-payment", "\(claim)", "--reason", "账户已销户", "--date", "2026-04-20", "--key", "clerk.key"])
        let returned = try plan.books.lastSeq()
        // Same lines, same date, same clerk: only the kind is the core's.
        try LedgerSurgeon(plan.books, extraKeys: ["approver-1.key", "approver-2.key", "both.key"]).rewrite(returned) { $0.kind = "entry.reversed" }
        try expectRefused(plan.books, try export(plan.books), at: returned, check: "books.reversals",
                          huzhu: "an entry.reversed, reverses event", python: "an entry.reversed, reverses event")
    }

    @Test("checkpoints: a line of checkpoints.jsonl, validly signed by the administrator, that no event records")
    func checkpointNoEventRecords() throws {
        let (books, _) = try closedBooks()
        let bundle = try export(books)
        // A genuine tree head of the first 5 events, signed with the admin key, said to be recorded by entry 6.
        let hashes = try lines(bundle + "/signatures.tsv").prefix(5).map { try SHA256Hash(hex: String($0.split(separator: "\t")[1])) }
        var frontier = MerkleFrontier()
        for hash in hashes { frontier.append(hash) { _, _, _ in } }
        let ledger = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: bundle + "/manifest.json")))["ledger"]!.stringValue!
        let signed = Checkpoint(ledgerID: ledger, treeSize: 5, rootHash: frontier.root, time: try EventTime("2026-10-09T02:00:00Z"),
                                signer: try SigningKey.load(from: books.path("admin.key")))
        let line = String(decoding: try CanonicalJSON.encode(["checkpoint": signed.json, "seq": .integer(6)]), as: UTF8.self)
        try writeLines([line] + (try lines(bundle + "/checkpoints.jsonl")), bundle + "/checkpoints.jsonl")
        try editManifest(bundle) { $0["checkpoints"] = .integer($0["checkpoints"]!.integerValue! + 1) }
        try expectRefused(books, bundle, at: 6, check: "chain", huzhu: "but that event records no such checkpoint",
                          python: "the checkpoint list names event 6, which records no such checkpoint")
    }

    @Test("manifest and files: a name not event 1's, a manifest not canonical or with a key of its own, a file a bundle does not hold")
    func manifestAndFiles() throws {
        let (books, _) = try closedBooks()
        let renamed = try export(books, "renamed")
        try editManifest(renamed) { $0["name"] = .string("另一个工会") }
        try expectRefused(books, renamed, at: nil, check: "bundle", huzhu: "but event 1 names it", python: "but event 1 names it")

        let relabelled = try export(books, "relabelled")
        try editManifest(relabelled) { $0["ledger"] = .string("00000000-0000-4000-8000-000000000000") }
        try expectRefused(books, relabelled, at: nil, check: "bundle", huzhu: "but event 1 creates", python: "but event 1 creates")

        let spaced = try export(books, "spaced")
        let text = try String(contentsOfFile: spaced + "/manifest.json", encoding: .utf8)
        try text.replacingOccurrences(of: "{\"checkpoints\"", with: "{ \"checkpoints\"").write(toFile: spaced + "/manifest.json", atomically: true, encoding: .utf8)
        try expectRefused(books, spaced, at: nil, check: "bundle", huzhu: "is not canonical JSON", python: "is not canonical JSON")

        let extraKey = try export(books, "extra-key")
        try editManifest(extraKey) { $0["verified"] = .bool(true) }
        try expectRefused(books, extraKey, at: nil, check: "bundle", huzhu: "has keys a manifest does not: verified",
                          python: "does not have exactly the keys")

        let extraFile = try export(books, "extra-file")
        try "审计意见：无误\n".write(toFile: extraFile + "/opinion.txt", atomically: true, encoding: .utf8)
        try expectRefused(books, extraFile, at: nil, check: "bundle", huzhu: "the bundle holds opinion.txt", python: "the bundle holds opinion.txt")

        let plan = try export(books, "extra-plan")
        try FileManager.default.createDirectory(atPath: plan + "/plans", withIntermediateDirectories: true)
        try "[plan]\n".write(toFile: plan + "/plans/3-plan.toml", atomically: true, encoding: .utf8)
        try editManifest(plan) { $0["plans"] = .integer(1) }
        try expectRefused(books, plan, at: nil, check: "bundle.plans", huzhu: "plans/3-plan.toml is not the file of any plan.published event",
                          python: "plans/3-plan.toml is not the file of any plan.published event")
    }
}
