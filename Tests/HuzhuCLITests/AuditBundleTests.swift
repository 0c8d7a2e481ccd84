import Foundation
import Testing

@Suite("huzhu audit export and verify --bundle")
struct AuditBundleTests {
    func exported() throws -> (CLILedger, String) {
        let books = try CLILedger()
        try books.standardBooks()
        try books.cli.ok(["period", "close", "2026-10", "--key", "admin.key"])
        try books.post(date: "2026-11-12", amount: "5.00", ref: "NOV-9")
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
