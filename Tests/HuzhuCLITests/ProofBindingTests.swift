import Foundation
import GRDB
import Ledger
import Testing

/// `huzhu proof check` (issue 23): a proof verifies only for the sizes a signed checkpoint
/// states, since the hashes alone fit several sizes, and a member's statement holds only
/// that member's lines, each once, of the kind and ledger it says, under a checked signature.
@Suite("proofs bound to signed checkpoints; statements that cannot mislead", .serialized)
struct ProofBindingTests {
    func object(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    func write(_ books: CLILedger, _ name: String, _ value: [String: Any]) throws {
        try books.write(name, String(decoding: try JSONSerialization.data(withJSONObject: value), as: UTF8.self))
    }

    /// `statement` edited by `edit`, written as `name` and checked: it must fail. Returns what
    /// `huzhu proof check` printed.
    func refused(_ statement: [String: Any], edited edit: (inout [String: Any]) -> Void, as name: String, in plan: MutualAidBooks,
                 admin: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        var statement = statement
        edit(&statement)
        try write(plan.books, name, statement)
        let result = try plan.cli.run(["proof", "check", name, "--public-key", admin])
        #expect(result.status == 1, "\(name): \(result.stdout)", sourceLocation: sourceLocation)
        return result.stdout
    }

    /// Books with two members' claims paid, and checkpoints before and after the second claim.
    func books() throws -> (plan: MutualAidBooks, admin: String, first: Int64, second: Int64) {
        let plan = try MutualAidBooks(members: 2)
        let (claim, _) = try plan.file(plan.members[0], settlement: "S-1", extra: plan.medical(ownShare: "1000"))
        try plan.approveFully(claim)
        let first = try Int64(#require(try object(try plan.cli.ok(["checkpoint", "--key", "admin.key"]))["checkpoint"] as? [String: Any])["treeSize"] as! Int)
        let (other, _) = try plan.file(plan.members[1], settlement: "S-2", extra: plan.medical(ownShare: "800"))
        try plan.approveFully(other)
        try plan.cli.ok(["claim", "pay", "--all", "--batch", "P-1", "--out", "pay.csv", "--date", "2026-04-10", "--key", "clerk.key"])
        let second = try Int64(#require(try object(try plan.cli.ok(["checkpoint", "--key", "admin.key"]))["checkpoint"] as? [String: Any])["treeSize"] as! Int)
        let admin = try plan.cli.ok(["key", "list", "--role", "admin", "--public-keys"]).trimmingCharacters(in: .whitespacesAndNewlines)
        return (plan, admin, first, second)
    }

    @Test("an inclusion proof with its tree size edited fails, with its checkpoint or without it, though the hashes alone accept some of those sizes")
    func inclusionBound() throws {
        let (plan, admin, _, size) = try books()
        let seq: Int64 = 1
        let json = try plan.cli.ok(["proof", "inclusion", "\(seq)"])
        try plan.books.write("proof.json", json)
        #expect(try plan.cli.ok(["proof", "check", "proof.json", "--public-key", admin]).contains("is in the tree of \(size) events"))
        let proof = try object(json)
        let path = try (proof["proof"] as! [String]).map { try SHA256Hash(hex: $0) }
        let leaf = try SHA256Hash(hex: proof["leafHash"] as! String), root = try SHA256Hash(hex: proof["rootHash"] as! String)
        var acceptedByHashesAlone: [Int64] = []
        for edited in (size + 1)...(size * 2) {
            if MerkleProofVerifier.verifyInclusion(leafHash: leaf, index: seq - 1, size: edited, proof: path, root: root) { acceptedByHashesAlone.append(edited) }
            var changed = proof
            changed["treeSize"] = edited
            try write(plan.books, "edited.json", changed)
            let withCheckpoint = try plan.cli.run(["proof", "check", "edited.json", "--public-key", admin])
            #expect(withCheckpoint.status == 1 && withCheckpoint.stdout.contains("no checkpoint states tree size \(edited)"), "\(withCheckpoint.stdout)")
            changed["checkpoint"] = nil
            try write(plan.books, "edited.json", changed)
            let without = try plan.cli.run(["proof", "check", "edited.json", "--public-key", admin])
            #expect(without.status == 1 && without.stdout.contains("is not bound to anything signed"), "\(without.stdout)")
        }
        #expect(!acceptedByHashesAlone.isEmpty, "the case the checkpoint guards: sizes the RFC 9162 check alone accepts")
        // No key: nothing is checked, and the command says so rather than passing.
        let keyless = try plan.cli.run(["proof", "check", "proof.json"])
        #expect(keyless.status == 2 && keyless.stderr.contains("--public-key") && keyless.stderr.contains("proves nothing"), "\(keyless.stderr)")
        // A checkpoint signed by another key does not bind it.
        let stranger = SigningKey().publicKey.hex
        #expect(try plan.cli.run(["proof", "check", "proof.json", "--public-key", stranger]).stdout.contains("is signed by a given key"))
    }

    @Test("a consistency proof binds its two sizes through their checkpoints, embedded or given with --checkpoint; an edited new size fails")
    func consistencyBound() throws {
        let (plan, admin, old, new) = try books()
        let json = try plan.cli.ok(["proof", "consistency", "\(old)", "\(new)"])
        try plan.books.write("consistency.json", json)
        #expect(try plan.cli.ok(["proof", "check", "consistency.json", "--public-key", admin]).contains("both sizes signed"))
        var proof = try object(json)
        for edited in [new - 1, new + 1, new + 4] {
            proof["newSize"] = edited
            try write(plan.books, "edited.json", proof)
            let result = try plan.cli.run(["proof", "check", "edited.json", "--public-key", admin])
            #expect(result.status == 1 && result.stdout.contains("FAIL"), "\(edited): \(result.stdout)")
        }
        // The checkpoints given as files (a statement's, the published site's) instead of embedded.
        proof = try object(json)
        try write(plan.books, "old.json", proof.removeValue(forKey: "oldCheckpoint") as! [String: Any])
        try write(plan.books, "new.json", proof.removeValue(forKey: "newCheckpoint") as! [String: Any])
        try write(plan.books, "bare.json", proof)
        #expect(try plan.cli.run(["proof", "check", "bare.json", "--public-key", admin]).status == 1)
        #expect(try plan.cli.ok(["proof", "check", "bare.json", "--public-key", admin, "--checkpoint", "old.json", "--checkpoint", "new.json"])
            .contains("both sizes signed"))
    }

    @Test("a statement refuses another member's line, a line twice, a wrong kind, year or ledger, a leaf hash not the line's, and no key")
    func statementCannotMislead() throws {
        let (plan, admin, _, _) = try books()
        let mine = try object(try plan.cli.ok(["member", "statement", plan.members[0], "--year", "2026"]))
        let theirs = try object(try plan.cli.ok(["member", "statement", plan.members[1], "--year", "2026"]))
        try write(plan.books, "statement.json", mine)
        #expect(try plan.cli.ok(["proof", "check", "statement.json", "--public-key", admin]).contains("ok:"))
        let lines = mine["lines"] as! [[String: Any]]
        let check = { (name: String, edit: (inout [String: Any]) -> Void) throws -> String in
            try self.refused(mine, edited: edit, as: name, in: plan, admin: admin)
        }
        let otherClaim = (theirs["lines"] as! [[String: Any]]).first { $0["kind"] as? String == "claim.filed" }!
        #expect(try check("other.json") { $0["lines"] = lines + [otherClaim] }.contains("is not member \(plan.members[0])'s for 2026"))
        #expect(try check("twice.json") { $0["lines"] = lines + [lines[0]] }.contains("listed twice"))
        #expect(try check("kind.json") { statement in
            var changed = lines
            changed[0]["kind"] = "claim.paid"
            statement["lines"] = changed
        }.contains("the line says claim.paid"))
        #expect(try check("year.json") { $0["year"] = 2027 }.contains("no enrolment of member \(plan.members[0]) for 2027"))
        #expect(try check("ledger.json") { $0["ledger"] = "another-ledger" }.contains("names ledger another-ledger"))
        #expect(try check("upper.json") { statement in
            var changed = lines
            changed[0]["leafHash"] = (lines[0]["leafHash"] as! String).uppercased()
            statement["lines"] = changed
        }.contains("the leaf hash shown is not the hash of the line's bytes"))
        #expect(try plan.cli.run(["proof", "check", "statement.json"]).status == 2, "a statement no key checks is an error, not a pass")
    }

    @Test("a statement proves it is complete against the statement index: a line left out, another member's entry or an altered tally fails; the audit and the bundle recompute every index")
    func statementComplete() throws {
        let (plan, admin, _, _) = try books()
        let before = try plan.cli.ok(["member", "statement", plan.members[0], "--year", "2026"])
        try plan.books.write("unindexed.json", before)
        #expect(try plan.cli.ok(["proof", "check", "unindexed.json", "--public-key", admin]).contains("note: the statement does not prove it is complete"))

        let indexed = try plan.cli.ok(["member", "index", "--key", "admin.key"])
        #expect(indexed.contains("indexed 3 members and units"), "\(indexed)")  // the two members and their unit
        let mine = try object(try plan.cli.ok(["member", "statement", plan.members[0], "--year", "2026"]))
        try write(plan.books, "statement.json", mine)
        let ok = try plan.cli.ok(["proof", "check", "statement.json", "--public-key", admin])
        #expect(ok.contains("complete: no event of the member's"), "\(ok)")

        let lines = mine["lines"] as! [[String: Any]]
        let check = { (name: String, edit: (inout [String: Any]) -> Void) throws -> String in
            try self.refused(mine, edited: edit, as: name, in: plan, admin: admin)
        }
        // The payment left out: every remaining line is genuine, but the tally says one is missing.
        let left = try check("left-out.json") { $0["lines"] = lines.filter { $0["kind"] as? String != "claim.paid" } }
        #expect(left.contains("the index records") && left.contains("events were left out"), "\(left)")
        // Another member's entry shown in place of the member's own.
        let theirs = try object(try plan.cli.ok(["member", "statement", plan.members[1], "--year", "2026"]))
        let swapped = try check("swapped.json") { statement in
            var index = statement["index"] as! [String: Any]
            index["member"] = (theirs["index"] as! [String: Any])["member"]
            statement["index"] = index
        }
        #expect(swapped.contains("not member:\(plan.members[0])'s"), "\(swapped)")
        // The entry's tally lowered to match a shortened statement: it is no longer in the index's root.
        let lowered = try check("lowered.json") { statement in
            var index = statement["index"] as! [String: Any]
            var member = index["member"] as! [String: Any]
            var entry = member["entry"] as! [String: Any]
            var years = entry["years"] as! [String: Any]
            var year = years["2026"] as! [String: Any]
            year["count"] = (year["count"] as! Int) - 1
            years["2026"] = year
            entry["years"] = years
            member["entry"] = entry
            index["member"] = member
            statement["index"] = index
            statement["lines"] = lines.filter { $0["kind"] as? String != "claim.paid" }
        }
        #expect(lowered.contains("not in the index's root"), "\(lowered)")

        // An index re-signed to count one subject fewer (one left out of the tree): the audit and the bundle both refuse it.
        let seq = try plan.books.scalar("SELECT max(seq) FROM events WHERE kind = 'statements.indexed'")
        try LedgerSurgeon(plan.books, extraKeys: ["approver-1.key", "approver-2.key"]).rewrite(seq) { $0.data["subjects"] = .integer(2) }
        #expect(try plan.books.audit().errors("statements.index").map(\.seqs) == [[seq]])
        try plan.cli.ok(["audit", "export", "--out", "bundle"])
        let bundle = try plan.cli.run(["verify", "--bundle", "bundle"])
        #expect(bundle.status == 1 && bundle.stdout.contains("statements.index") && bundle.stderr.contains("failed at seq \(seq)"), "\(bundle.stdout)")
    }

    @Test("the statement index kept beside its event gives the statement a recount gives; a kept entry or leaf altered, or the rows gone, are not used; the audit replays without it")
    func keptStatementIndex() throws {
        let (plan, admin, _, _) = try books()
        try plan.cli.ok(["member", "index", "--key", "admin.key"])
        let indexSeq = try plan.books.scalar("SELECT max(seq) FROM events WHERE kind = 'statements.indexed'")
        #expect(try plan.books.scalar("SELECT count(*) FROM statement_index_kept WHERE index_seq = \(indexSeq)") == 3)
        let member = plan.members[0]
        let kept = try plan.cli.ok(["member", "statement", member, "--year", "2026"])
        try plan.books.write("kept.json", kept)
        #expect(try plan.cli.ok(["proof", "check", "kept.json", "--public-key", admin]).contains("complete: no event of the member's"))
        #expect(try plan.books.audit().findings.filter { $0.severity != "info" }.isEmpty, "the kept index is not a projection the replay compares")

        func edit(_ sql: String) throws { try DatabaseQueue(path: plan.books.database).write { try $0.execute(sql: sql) } }
        // An entry altered (a tally lowered, its own leaf left): the statement recounts from the log.
        try edit("UPDATE statement_index_kept SET entry = CAST(replace(CAST(entry AS TEXT), '\"count\":', '\"count\":1') AS BLOB) WHERE subject = 'member:\(member)'")
        #expect(try plan.cli.ok(["member", "statement", member, "--year", "2026"]) == kept)
        // The altered entry's leaf put in too: the leaves no longer give the signed root.
        try DatabaseQueue(path: plan.books.database).write { db in
            let entry = try Data.fetchOne(db, sql: "SELECT entry FROM statement_index_kept WHERE subject = ?", arguments: ["member:" + member])!
            try db.execute(sql: "UPDATE statement_index_kept SET leaf = ? WHERE subject = ?",
                           arguments: [Data(MerkleHashing.leafHash([UInt8](entry)).bytes), "member:" + member])
        }
        #expect(try plan.cli.ok(["member", "statement", member, "--year", "2026"]) == kept)
        // The rows gone (an index recorded before the books kept one): recounted too.
        try edit("DELETE FROM statement_index_kept")
        #expect(try plan.cli.ok(["member", "statement", member, "--year", "2026"]) == kept)
    }

    @Test("a ledger from before the kept steps and index (migrations v7, v8): its claims' step seqs are filled from the log as the projection keeps them, and its statements recount")
    func stepSeqsMigrated() throws {
        let (plan, _, _, _) = try books()
        try plan.cli.ok(["member", "index", "--key", "admin.key"])
        let statement = try plan.cli.ok(["member", "statement", plan.members[0], "--year", "2026"])
        func steps() throws -> [String] {
            try DatabaseQueue(path: plan.books.database).read { try String.fetchAll($0, sql: "SELECT step_seqs FROM claims ORDER BY claim_id") }
        }
        let projected = try steps()
        let fromLog = try DatabaseQueue(path: plan.books.database).read { db in
            try String.fetchAll(db, sql: """
                SELECT group_concat(',' || seq, '') FROM (SELECT seq, json_extract(CAST(body AS TEXT), '$.data.claim') AS claim FROM events
                WHERE kind IN ('claim.reviewed', 'claim.approved', 'claim.paid') ORDER BY seq) GROUP BY claim ORDER BY CAST(claim AS TEXT)
                """)
        }
        #expect(projected == fromLog && projected.allSatisfy { $0.split(separator: ",").count == 3 }, "reviewed, approved, paid: \(projected)")
        try DatabaseQueue(path: plan.books.database).write { db in
            try db.execute(sql: """
                ALTER TABLE claims DROP COLUMN step_seqs;
                DROP TABLE statement_index_kept;
                DELETE FROM grdb_migrations WHERE identifier IN ('mutual-aid-v7-claim-step-seqs', 'mutual-aid-v8-statement-index-kept');
                """)
        }
        #expect(try plan.cli.ok(["member", "statement", plan.members[0], "--year", "2026"]) == statement)
        #expect(try steps() == projected)
        #expect(try plan.books.audit().findings.filter { $0.severity != "info" }.isEmpty)
    }
}
