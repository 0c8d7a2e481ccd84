import Foundation
import Testing

@Suite("huzhu audit export and verify --bundle")
struct AuditBundleTests {
    func exported() throws -> (CLILedger, String) {
        let books = try CLILedger()
        try books.booksWithClosedMonth()
        let out = try books.cli.ok(["audit", "export", "--out", "bundle"])
        #expect(out.contains("exported \(try books.lastSeq()) events, 2 checkpoints and 2 keys"))
        return (books, books.path("bundle"))
    }

    func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test("a fresh bundle verifies with no database, and matches the ledger's root")
    func roundTrip() throws {
        let (books, bundle) = try exported()
        try FileManager.default.moveItem(atPath: books.database, toPath: books.database + ".away")
        let result = try books.cli.ok(["verify", "--bundle", bundle])
        #expect(result.contains("ok: bundle"))
        try FileManager.default.moveItem(atPath: books.database + ".away", toPath: books.database)
        let root = try books.cli.ok(["verify"]).split(separator: "\n")[1]
        #expect(result.contains(root), "the bundle's root is the ledger's")
        // Every line of events.jsonl is a body exactly as stored.
        let events = try lines(bundle + "/events.jsonl")
        #expect(events.count == Int(try books.lastSeq()) + 1 && events.last == "")
        #expect(try books.cli.run(["audit", "export", "--out", "bundle"]).status == 2, "an existing bundle is not overwritten")
    }

    @Test("outside evidence: a bundle cut short, or rewritten with every key, fails against a checkpoint kept elsewhere, naming it")
    func outsideCheckpoints() throws {
        let books = try CLILedger()
        try books.standardBooks()
        try books.write("published.json", try books.cli.ok(["checkpoint", "--key", "admin.key"]))
        try books.cli.ok(["audit", "export", "--out", "early"])
        try books.post(date: "2026-11-12", amount: "5.00", ref: "NOV-9")
        try books.write("later.json", try books.cli.ok(["checkpoint", "--key", "admin.key"]))
        try books.cli.ok(["audit", "export", "--out", "bundle"])
        let agreed = try books.cli.ok(["verify", "--bundle", "bundle", "--checkpoint", "published.json", "--checkpoint", "later.json"])
        #expect(agreed.contains("ok: bundle"))

        // A bundle that stops before what a checkpoint kept elsewhere covers.
        let short = try books.cli.run(["verify", "--bundle", "early", "--checkpoint", "later.json"])
        #expect(short.status == 1 && short.stdout.contains("checkpoints.outside") && short.stdout.contains("later.json: the checkpoint covers")
                && short.stdout.contains("it withholds events"), "\(short.stdout)")

        // The history rewritten by someone holding every key: an early entry's memo changed, every
        // later event and checkpoint re-signed. The bundle alone cannot tell; the published checkpoint can.
        let log = try books.cli.ok(["log", "--kind", "entry.posted", "--format", "json"]).split(separator: "\n")
        let first = Int64((try JSONSerialization.jsonObject(with: Data(log[0].utf8)) as! [String: Any])["seq"] as! Int)
        try LedgerSurgeon(books).rewrite(first) { $0.data["memo"] = .string("改写的摘要") }
        try books.cli.ok(["audit", "export", "--out", "rewritten"])
        #expect(try books.cli.run(["verify", "--bundle", "rewritten"]).status == 0, "consistent with itself")
        let rewritten = try books.cli.run(["verify", "--bundle", "rewritten", "--checkpoint", "published.json"])
        #expect(rewritten.status == 1 && rewritten.stdout.contains("published.json: the checkpoint states root")
                && rewritten.stdout.contains("the bundle rewrites what it covers"), "\(rewritten.stdout)")

        // A checkpoint of another ledger is not evidence about this one.
        let other = try CLILedger()
        try other.write("theirs.json", try other.cli.ok(["checkpoint", "--key", "admin.key"]))
        let foreign = try books.cli.run(["verify", "--bundle", "bundle", "--checkpoint", other.path("theirs.json")])
        #expect(foreign.status == 1 && foreign.stdout.contains("the checkpoint is for ledger"), "\(foreign.stdout)")
        #expect(try books.cli.run(["verify", "--bundle", "bundle", "--checkpoint", "bundle/manifest.json"]).status == 2)
    }

    @Test("one byte changed in an event's line fails, naming its seq")
    func alteredEvent() throws {
        let (books, bundle) = try exported()
        let seq = 50 < (try books.lastSeq()) ? try books.lastSeq() - 3 : 2
        var events = try lines(bundle + "/events.jsonl")
        let line = events[Int(seq) - 1]
        let target = line.range(of: "\"seq\":\(seq)")!
        events[Int(seq) - 1] = line.replacingCharacters(in: target, with: "\"seq\":\(seq)".replacingOccurrences(of: "\"seq\"", with: "\"seQ\""))
        try events.joined(separator: "\n").write(toFile: bundle + "/events.jsonl", atomically: true, encoding: .utf8)
        let result = try books.cli.run(["verify", "--bundle", bundle])
        #expect(result.status == 1)
        #expect(result.stderr.contains("bundle verification failed at seq \(seq):"), "\(result.stderr)")
    }

    @Test("an amount changed in an event's line fails at that seq")
    func alteredAmount() throws {
        let (books, bundle) = try exported()
        var events = try lines(bundle + "/events.jsonl")
        let index = events.firstIndex { $0.contains("\"amountFen\":8500") }!
        events[index] = events[index].replacingOccurrences(of: "\"amountFen\":8500", with: "\"amountFen\":8600")
        try events.joined(separator: "\n").write(toFile: bundle + "/events.jsonl", atomically: true, encoding: .utf8)
        let result = try books.cli.run(["verify", "--bundle", bundle, "--format", "json"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("{\"check\":\"chain\",\"reason\":\"the stored hash does not match the event's bytes (the event was altered)\",\"seq\":\(index + 1)}"), "\(result.stdout)")
        #expect(result.stderr.contains("failed at seq \(index + 1):"))
    }

    @Test("a changed signature, key or checkpoint list fails")
    func alteredSideFiles() throws {
        let (books, bundle) = try exported()
        var signatures = try lines(bundle + "/signatures.tsv")
        let fields = signatures[9].split(separator: "\t").map(String.init)
        let flipped = (fields[2].first == "0" ? "1" : "0") + fields[2].dropFirst()
        signatures[9] = [fields[0], fields[1], flipped].joined(separator: "\t")
        try signatures.joined(separator: "\n").write(toFile: bundle + "/signatures.tsv", atomically: true, encoding: .utf8)
        let result = try books.cli.run(["verify", "--bundle", bundle])
        #expect(result.status == 1)
        #expect(result.stderr.contains("failed at seq 10: the signature does not verify"), "\(result.stderr)")

        let (books2, bundle2) = try exported()
        let keys = try String(contentsOfFile: bundle2 + "/keys.json", encoding: .utf8)
        try keys.replacingOccurrences(of: "\"clerk\"", with: "\"admin\"").write(toFile: bundle2 + "/keys.json", atomically: true, encoding: .utf8)
        let keyResult = try books2.cli.run(["verify", "--bundle", bundle2])
        #expect(keyResult.status == 1)
        #expect(keyResult.stdout.contains("ERROR bundle"), "\(keyResult.stdout)")

        let (books3, bundle3) = try exported()
        let checkpoints = try lines(bundle3 + "/checkpoints.jsonl")
        try (checkpoints.dropFirst().joined(separator: "\n")).write(toFile: bundle3 + "/checkpoints.jsonl", atomically: true, encoding: .utf8)
        let checkpointResult = try books3.cli.run(["verify", "--bundle", bundle3])
        #expect(checkpointResult.status == 1)
        #expect(checkpointResult.stdout.contains("missing from the checkpoint list"), "\(checkpointResult.stdout)")
    }

    @Test("a bundle cut short fails as truncated")
    func truncated() throws {
        let (books, bundle) = try exported()
        for name in ["events.jsonl", "signatures.tsv"] {
            let kept = try lines(bundle + "/" + name).dropLast(3)
            try (kept.joined(separator: "\n") + "\n").write(toFile: bundle + "/" + name, atomically: true, encoding: .utf8)
        }
        let result = try books.cli.run(["verify", "--bundle", bundle])
        #expect(result.status == 1)
        #expect(result.stderr.contains("the store counts \(try books.lastSeq()) events but only \(try books.lastSeq() - 2)"), "\(result.stderr)")
    }
}
