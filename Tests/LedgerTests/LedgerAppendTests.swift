import Foundation
import GRDB
import Testing
@testable import Ledger

@Suite("Ledger: appending events")
struct LedgerAppendTests {
    @Test("a new ledger opens the default chart and verifies")
    func create() throws {
        let test = try TestLedger()
        let accounts = try test.ledger.read { try $0.accounts() }
        #expect(accounts.contains { $0.code.value == "22501" && $0.type == .liability })
        #expect(accounts.contains { $0.code.value == "32101" && $0.type == .netAssets })
        let report = try test.verify()
        #expect(report.isValid)
        #expect(report.eventCount == Int64(accounts.count) + 2)
    }

    @Test("posting updates balances in the same transaction")
    func post() throws {
        let test = try TestLedger()
        _ = try test.ledger.post([try test.entry(fen: 6000), try test.entry("2026-11-02", fen: 1234)], signer: test.clerk)
        let october = try test.ledger.read { try $0.totals(from: nil, through: LedgerDate("2026-10-31")) }
        #expect(october[try AccountCode("10201")] == AccountTotals(debit: Money(fen: 6000)))
        let all = try test.ledger.read { try $0.totals(from: nil, through: nil) }
        #expect(all[try AccountCode("40801")] == AccountTotals(credit: Money(fen: 7234)))
        #expect(try test.verify().isValid)
    }

    @Test("an entry is rejected, and nothing written, when it breaks a rule")
    func rules() throws {
        let test = try TestLedger()
        let before = try test.ledger.read { try $0.size() }
        let unbalanced = { try JournalEntry(date: LedgerDate("2026-10-08"), memo: "", postings: [
            .debit(AccountCode("10201"), Money(fen: 100)), .credit(AccountCode("40801"), Money(fen: 99)),
        ]) }
        #expect(throws: LedgerInputError.self) { try unbalanced() }
        #expect(throws: LedgerInputError.self) {
            try JournalEntry(date: LedgerDate("2026-10-08"), memo: "", postings: [.debit(AccountCode("10201"), Money(fen: 100))])
        }
        #expect(throws: LedgerRuleError.unknownAccount(try AccountCode("10299"))) {
            try test.ledger.post([test.entry(debit: "10299")], signer: test.clerk)
        }
        #expect(throws: LedgerRuleError.parentAccount(try AccountCode("102"))) {
            try test.ledger.post([test.entry(debit: "102")], signer: test.clerk)
        }
        #expect(throws: LedgerRuleError.self) { try test.ledger.post([test.entry()], signer: test.admin) }
        let stranger = SigningKey()
        #expect(throws: LedgerRuleError.unregisteredKey(stranger.id)) {
            try test.ledger.post([test.entry()], signer: stranger)
        }
        // A batch with one bad entry writes none of them.
        #expect(throws: BatchRowError.self) {
            try test.ledger.post([test.entry(ref: "a"), test.entry(debit: "10299", ref: "b")], signer: test.clerk)
        }
        #expect(try test.ledger.read { try $0.size() } == before)
        #expect(try test.ledger.read { try $0.seq(idempotencyKey: "entry:a") } == nil)
    }

    @Test("a revoked key can sign nothing more")
    func revoked() throws {
        let test = try TestLedger()
        _ = try test.ledger.post([try test.entry()], signer: test.clerk)
        let revokedAt = try test.ledger.revokeKey(test.clerk.id, reason: "left", signer: test.admin)
        #expect(throws: LedgerRuleError.revokedKey(test.clerk.id, revokedSeq: revokedAt)) {
            try test.ledger.post([test.entry()], signer: test.clerk)
        }
        #expect(try test.verify().isValid)
    }

    @Test("a repeated idempotency key returns the original entry; other content under it is refused")
    func idempotency() throws {
        let test = try TestLedger()
        let first = try test.ledger.post([try test.entry(ref: "V-1")], signer: test.clerk)[0]
        let again = try test.ledger.post([try test.entry(ref: "V-1")], signer: test.clerk)[0]
        #expect(again == .duplicate(seq: first.seq))
        #expect(throws: LedgerRuleError.idempotencyConflict(key: "entry:V-1", seq: first.seq)) {
            try test.ledger.post([test.entry(fen: 1, ref: "V-1")], signer: test.clerk)
        }
        let inOneBatch = try test.ledger.post([try test.entry(ref: "V-2"), try test.entry(ref: "V-2")], signer: test.clerk)
        #expect(inOneBatch[1] == .duplicate(seq: inOneBatch[0].seq))
    }

    @Test("a key vouched unused skips the search, yet a used one still fails the whole session")
    func keyVouchedUnused() throws {
        let test = try TestLedger()
        _ = try test.ledger.post([try test.entry(ref: "W-1")], signer: test.clerk)
        let size = try test.ledger.read { try $0.size() }
        // Vouched wrongly: the store's unique index refuses the second use when the event is written.
        #expect(throws: (any Error).self) {
            try test.ledger.append(signer: test.clerk) { session in
                try session.append(try test.entry(ref: "W-2").draft, keyIsUnused: true)
                try session.append(try test.entry(ref: "W-1").draft, keyIsUnused: true)
            }
        }
        #expect(try test.ledger.read { try $0.size() } == size)
        // Vouched rightly, or within the session: recorded once, a repeat still found.
        let outcomes = try test.ledger.append(signer: test.clerk) { session in
            [try session.append(try test.entry(ref: "W-3").draft, keyIsUnused: true),
             try session.append(try test.entry(ref: "W-3").draft, keyIsUnused: true)]
        }
        #expect(outcomes[1] == .duplicate(seq: outcomes[0].seq))
        #expect(try test.verify().failures.isEmpty)
    }

    @Test("a reversal posts the opposite lines once, and balances return to zero")
    func reversal() throws {
        let test = try TestLedger()
        let posted = try test.ledger.post([try test.entry(fen: 5000)], signer: test.clerk)[0]
        let reversal = try test.ledger.reverse(seq: posted.seq, date: LedgerDate("2026-10-09"), reason: "typo", signer: test.clerk)
        let totals = try test.ledger.read { try $0.totals(from: nil, through: nil) }
        let bank = totals[try AccountCode("10201")]!
        #expect(try bank.balance(for: .asset) == .zero)
        #expect(throws: LedgerRuleError.alreadyReversed(seq: posted.seq, by: reversal.seq)) {
            try test.ledger.reverse(seq: posted.seq, date: LedgerDate("2026-10-09"), reason: "again", signer: test.clerk)
        }
        #expect(throws: LedgerRuleError.alreadyReversed(seq: posted.seq, by: reversal.seq)) {
            try test.ledger.reverse(seq: posted.seq, date: LedgerDate("2026-10-10"), reason: "typo", signer: test.clerk)
        }
        // The same reversal asked for again (a retried command) is answered with the one recorded.
        let size = try test.ledger.read { try $0.size() }
        #expect(try test.ledger.reverse(seq: posted.seq, date: LedgerDate("2026-10-09"), reason: " typo", signer: test.clerk)
                == .duplicate(seq: reversal.seq))
        #expect(try test.ledger.read { try $0.size() } == size)

        #expect(throws: LedgerRuleError.self) {
            try test.ledger.reverse(seq: reversal.seq, date: LedgerDate("2026-10-09"), reason: "x", signer: test.clerk)
        }
        #expect(throws: LedgerRuleError.noSuchEvent(seq: 9999)) {
            try test.ledger.reverse(seq: 9999, date: LedgerDate("2026-10-09"), reason: "x", signer: test.clerk)
        }
        let long = try TestLedger()
        let entry = try long.ledger.post([try long.entry(fen: 5000)], signer: long.clerk)[0]
        #expect { try long.ledger.reverse(seq: entry.seq, date: LedgerDate("2026-10-09"), reason: String(repeating: "错", count: 501), signer: long.clerk) }
            throws: { ($0 as? LedgerInputError)?.description.contains("at most 500 characters, found 501") == true }
        #expect(try long.ledger.read { try $0.size() } == entry.seq)
    }

    @Test("a reversal is not dated before the entry it reverses, and names it with its reason")
    func reversalDate() throws {
        let test = try TestLedger()
        let posted = try test.ledger.post([try test.entry("2026-10-08", fen: 5000)], signer: test.clerk)[0]
        #expect(throws: LedgerRuleError.notReversible(seq: posted.seq, reason: "it is dated 2026-10-08, and a reversal dated 2026-10-07 would undo it before it was made")) {
            try test.ledger.reverse(seq: posted.seq, date: LedgerDate("2026-10-07"), reason: "typo", signer: test.clerk)
        }
        let reversal = try test.ledger.reverse(seq: posted.seq, date: LedgerDate("2026-10-08"), reason: " typo ", signer: test.clerk)
        let event = try #require(try test.ledger.read { try $0.storedEvent(seq: reversal.seq) }.map { try RecordedEvent(body: $0.body, signature: []) })
        #expect(event.kind == .entryReversed && event.data["reverses"] == .integer(posted.seq) && event.data["reason"] == .string("typo"))
        #expect(event.idempotencyKey == "reversal:\(posted.seq)")
        #expect(try event.postings() == (try test.entry("2026-10-08", fen: 5000)).postings.map(\.reversed))
    }

    @Test("a key whose event was reversed is issued again as key#2, key#3; a standing one is found as it is")
    func keyAfterReversals() throws {
        let test = try TestLedger()
        func generation() throws -> (key: String, seq: Int64?) {
            try test.ledger.append(signer: test.clerk) { try $0.keyAfterReversals("entry:V-1") }
        }
        #expect(try generation() == ("entry:V-1", nil))
        let first = try test.ledger.post([try test.entry(ref: "V-1")], signer: test.clerk)[0]
        #expect(try generation() == ("entry:V-1", first.seq))
        _ = try test.ledger.reverse(seq: first.seq, date: LedgerDate("2026-10-09"), reason: "wrong account", signer: test.clerk)
        #expect(try generation() == ("entry:V-1#2", nil))
        let second = try test.ledger.append(signer: test.clerk) { session in
            try session.append(EventDraft(kind: .entryPosted, date: LedgerDate("2026-10-09"), postings: try test.entry().postings,
                                          idempotencyKey: try session.keyAfterReversals("entry:V-1").key, fields: ["memo": "again"]))
        }
        #expect(try generation() == ("entry:V-1#2", second.seq))
        _ = try test.ledger.reverse(seq: second.seq, date: LedgerDate("2026-10-09"), reason: "still wrong", signer: test.clerk)
        #expect(try generation() == ("entry:V-1#3", nil))
        #expect(try test.verify().failures.isEmpty)
    }

    @Test("checkpoints sign the tree head, and proofs from the store verify")
    func checkpointsAndProofs() throws {
        let test = try TestLedger()
        _ = try test.ledger.post((0..<40).map { try test.entry(fen: Int64($0 + 1)) }, signer: test.clerk)
        let first = try test.ledger.signCheckpoint(signer: test.admin)
        _ = try test.ledger.post((0..<7).map { try test.entry(fen: Int64($0 + 100)) }, signer: test.clerk)
        let second = try test.ledger.signCheckpoint(signer: test.admin)
        #expect(first.checkpoint.isSigned(by: test.admin.publicKey))
        #expect(!first.checkpoint.isSigned(by: test.clerk.publicKey))
        #expect(second.checkpoint.treeSize == second.seq - 1)
        #expect(try test.ledger.root(size: first.checkpoint.treeSize) == first.checkpoint.rootHash)
        for seq in [1, 2, 17, first.checkpoint.treeSize] {
            let proof = try test.ledger.inclusionProof(seq: seq, treeSize: first.checkpoint.treeSize)
            #expect(proof.verify())
            #expect(proof.rootHash == first.checkpoint.rootHash)
        }
        let consistency = try test.ledger.consistencyProof(oldSize: first.checkpoint.treeSize, newSize: second.checkpoint.treeSize)
        #expect(consistency.verify())
        #expect(consistency.newRoot == second.checkpoint.rootHash)
        let report = try test.verify()
        #expect(report.isValid)
        #expect(report.checkpointsVerified == 2)
    }

    @Test("events are stored as canonical bytes whose hash and signature check")
    func storedBytes() throws {
        let test = try TestLedger()
        let seq = try test.ledger.post([try test.entry(ref: "R", memo: "互助金 e\u{301}")], signer: test.clerk)[0].seq
        let stored = try #require(try test.ledger.read { try $0.storedEvent(seq: seq) })
        let event = try RecordedEvent(body: stored.body, signature: stored.signature)
        #expect(try CanonicalJSON.encode(JSONParser.parse(stored.body)) == stored.body)
        #expect(event.hash == stored.hash)
        #expect(test.clerk.publicKey.isValidSignature(stored.signature, for: stored.hash.bytes))
        #expect(event.data["memo"] == .string("互助金 \u{E9}"))
        #expect(event.actor == test.clerk.id)
        #expect(try event.postings().count == 2)
    }

    @Test("the event table refuses UPDATE and DELETE")
    func appendOnly() throws {
        let test = try TestLedger()
        let queue = try DatabaseQueue(path: test.path)
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "UPDATE events SET kind = 'x' WHERE seq = 1") } }
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "DELETE FROM events WHERE seq = 1") } }
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "DELETE FROM merkle_nodes") } }
    }
}
