import Foundation
import GRDB
import Ledger
import Testing

/// Edits the SQLite file behind the ledger's back, as an insider with file access could,
/// and checks that `huzhu verify` exits 1 naming the first seq that no longer holds.
@Suite("huzhu verify: tamper evidence")
struct TamperTests {
    /// A ledger with a few entries and a checkpoint; returns it and the seq of an entry.
    func books() throws -> (CLILedger, Int64) {
        let books = try CLILedger()
        for index in 1...5 { try books.post(amount: "\(index * 100).00", ref: "T-\(index)") }
        try books.cli.ok(["checkpoint", "--key", "admin.key"])
        let seq = try books.post(amount: "777.00", ref: "T-6")
        try books.post(amount: "888.00", ref: "T-7")
        return (books, seq)
    }

    /// Opens the file with the append-only triggers dropped.
    func tamper(_ books: CLILedger, _ sql: String) throws {
        let queue = try DatabaseQueue(path: books.database)
        try queue.write { db in
            for table in ["events", "merkle_nodes", "checkpoints"] {
                try db.execute(sql: "DROP TRIGGER IF EXISTS \(table)_refuse_update; DROP TRIGGER IF EXISTS \(table)_refuse_delete;")
            }
            try db.execute(sql: sql)
        }
    }

    func expectFailure(_ books: CLILedger, seq: Int64, _ reason: String) throws {
        let result = try books.cli.run(["verify"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("verification failed at seq \(seq):"), "\(result.stderr)")
        #expect(result.stderr.contains(reason), "\(result.stderr)")
    }

    @Test("a changed amount")
    func amount() throws {
        let (books, seq) = try books()
        try tamper(books, """
            UPDATE events SET body = CAST(replace(CAST(body AS TEXT), '"amountFen":77700', '"amountFen":77800') AS BLOB) WHERE seq = \(seq)
            """)
        try expectFailure(books, seq: seq, "stored hash does not match")
    }

    @Test("a changed amount with the stored hash recomputed to match")
    func amountAndHash() throws {
        let (books, seq) = try books()
        let queue = try DatabaseQueue(path: books.database)
        let body: Data = try queue.read { try Data.fetchOne($0, sql: "SELECT body FROM events WHERE seq = ?", arguments: [seq])! }
        let edited = Data(String(decoding: body, as: UTF8.self).replacingOccurrences(of: "\"amountFen\":77700", with: "\"amountFen\":1").utf8)
        var leaf = Data([0]); leaf.append(edited)
        let hash = try sha256(leaf)
        try tamper(books, "UPDATE events SET body = x'\(edited.hex)', hash = x'\(hash.hex)' WHERE seq = \(seq)")
        // The next event's prev no longer matches, and the signature fails on this one.
        try expectFailure(books, seq: seq, "signature does not verify")
    }

    @Test("a changed signature")
    func signature() throws {
        let (books, seq) = try books()
        try tamper(books, "UPDATE events SET signature = zeroblob(64) WHERE seq = \(seq)")
        try expectFailure(books, seq: seq, "signature does not verify")
    }

    @Test("a changed prev, with the stored hash recomputed to match")
    func prev() throws {
        let (books, seq) = try books()
        let queue = try DatabaseQueue(path: books.database)
        let body: Data = try queue.read { try Data.fetchOne($0, sql: "SELECT body FROM events WHERE seq = ?", arguments: [seq])! }
        var text = String(decoding: body, as: UTF8.self)
        let marker = text.range(of: "\"prev\":\"")!
        text.replaceSubrange(marker.upperBound..<text.index(marker.upperBound, offsetBy: 4), with: "0000")
        let edited = Data(text.utf8)
        var leaf = Data([0]); leaf.append(edited)
        try tamper(books, "UPDATE events SET body = x'\(edited.hex)', hash = x'\(try sha256(leaf).hex)' WHERE seq = \(seq)")
        try expectFailure(books, seq: seq, "prev is 0000")
    }

    @Test("a deleted event")
    func deleted() throws {
        let (books, seq) = try books()
        try tamper(books, "DELETE FROM events WHERE seq = \(seq)")
        try expectFailure(books, seq: seq, "event \(seq) is missing")
    }

    @Test("the last events deleted: the log is shorter than its checkpoint")
    func truncated() throws {
        let (books, _) = try books()
        let checkpointSize = try DatabaseQueue(path: books.database).read { try Int64.fetchOne($0, sql: "SELECT tree_size FROM checkpoints")! }
        try tamper(books, "DELETE FROM events WHERE seq >= \(checkpointSize - 1)")
        try expectFailure(books, seq: checkpointSize - 1, "truncated")
    }

    @Test("two events swapped")
    func reordered() throws {
        let (books, seq) = try books()
        try tamper(books, """
            CREATE TEMP TABLE a AS SELECT * FROM events WHERE seq = \(seq);
            CREATE TEMP TABLE b AS SELECT * FROM events WHERE seq = \(seq + 1);
            UPDATE events SET body = (SELECT body FROM b), hash = (SELECT hash FROM b), signature = (SELECT signature FROM b) WHERE seq = \(seq);
            UPDATE events SET body = (SELECT body FROM a), hash = (SELECT hash FROM a), signature = (SELECT signature FROM a) WHERE seq = \(seq + 1);
            """)
        try expectFailure(books, seq: seq, "reordered")
    }

    @Test("a changed Merkle node")
    func merkleNode() throws {
        let (books, _) = try books()
        // Level 4 is the lowest level a store keeps (levels 1–3 are computed from the
        // event hashes); its first node is completed by event 16.
        try tamper(books, "UPDATE merkle_nodes SET hash = zeroblob(32) WHERE level = 4 AND idx = 0")
        try expectFailure(books, seq: 16, "Merkle node at level 4, index 0")
    }

    @Test("an untouched ledger verifies")
    func clean() throws {
        let (books, _) = try books()
        #expect(try books.cli.ok(["verify"]).contains("ok:"))
    }

    func sha256(_ data: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(data)
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        var bytes = Data()
        var index = text.startIndex
        for _ in 0..<32 {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }
}

extension Data {
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}

@Suite("huzhu verify: what an insider holding the keys cannot slip past")
struct ResignedTamperTests {
    @Test("a correctly signed body that is not canonical (a space added)")
    func nonCanonical() throws {
        let books = try CLILedger()
        let seq = try books.post(amount: "5.00", ref: "NC")
        try LedgerSurgeon(books).rewrite(seq, raw: { $0.replacingOccurrences(of: "\"memo\":", with: "\"memo\": ") })
        let result = try books.cli.run(["verify"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("seq \(seq): the stored bytes are not in canonical form"), "\(result.stderr)")
    }

    @Test("a correctly signed event with a field its kind does not write, or without one it does (events.format)")
    func strayFields() throws {
        let books = try CLILedger()
        let added = try books.post(amount: "5.00", ref: "F1")
        let taken = try books.post(amount: "6.00", ref: "F2")
        try LedgerSurgeon(books).rewrite(added) { $0.data["approvedBy"] = .string("nobody") }
        try LedgerSurgeon(books).rewrite(taken) { $0.data["memo"] = nil }
        #expect(try books.cli.run(["verify"]).status == 0)  // the chain and signatures hold: only the audit reads the kinds
        let result = try books.cli.run(["audit"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("events.format") && result.stdout.contains("seq \(added)")
                && result.stdout.contains("written again its fields differ"), "\(result.stdout)")
        #expect(result.stdout.contains("entry.posted at seq \(taken) lacks memo"), "\(result.stdout)")
    }

    @Test("the last checkpoint event deleted, its checkpoint still listed")
    func deletedCheckpointEvent() throws {
        let books = try CLILedger()
        try books.post(amount: "5.00", ref: "C1")
        try books.cli.ok(["checkpoint", "--key", "admin.key"])
        let seq = try books.lastSeq()
        try LedgerSurgeon(books).execute("DELETE FROM events WHERE seq = \(seq); DELETE FROM merkle_nodes WHERE idx * (1 << level) + (1 << level) > \(seq - 1)")
        let result = try books.cli.run(["verify"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("which the log no longer holds"), "\(result.stderr)")
    }

    @Test("a key registered twice, or revoked when it was never registered")
    func keyEvents() throws {
        let books = try CLILedger()
        let registration = try books.scalar("SELECT max(seq) FROM events WHERE kind = 'key.registered'")
        try books.post(amount: "5.00", ref: "K1")
        let seq = try books.lastSeq()
        try LedgerSurgeon(books).rewrite(seq) { fields in
            let stored = try! DatabaseQueue(path: books.database).read { try Data.fetchOne($0, sql: "SELECT body FROM events WHERE seq = ?", arguments: [registration])! }
            let original = try! RecordedEvent(body: Array(stored), signature: [])
            fields.kind = original.kind
            fields.actor = original.actor
            fields.data = original.data
        }
        let result = try books.cli.run(["verify"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("seq \(seq): key") && result.stderr.contains("registered a second time"), "\(result.stderr)")
    }
}
