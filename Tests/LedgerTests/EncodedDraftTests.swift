import Foundation
@testable import Ledger
import Testing

/// The bulk path writes event bytes without building dictionaries; what it writes must be
/// exactly what the general encoder writes from the dictionaries.
@Suite("Events: bytes written directly equal the canonical encoding")
struct EncodedDraftTests {
    static let memos = ["", "bulk", "工会 互助 2026", "a \"quoted\" memo", "back\\slash", "tab\there", "line\nbreak",
                        "\u{01}control", "e\u{301} decomposed", "Å", "emoji 👩‍⚕️", String(repeating: "长", count: 500)]

    @Test("a journal entry's data, for memos that need escaping or normalising, keys and amounts", arguments: memos)
    func journalEntry(memo text: String) throws {
        let largest = JSONValue.integerMagnitudeMax
        // A memo with a control character is refused (PlainText); the escapes it needs are
        // still written for a reference that holds one.
        var memo = text, ref = "V-1"
        if PlainText.firstControl(in: text) != nil {
            #expect(throws: LedgerInputError.self) { try JournalEntry(date: LedgerDate("2026-02-28"), memo: text, postings: [
                .debit(AccountCode("10201"), Money(fen: 1)), .credit(AccountCode("40801"), Money(fen: 1))]) }
            (memo, ref) = ("", "V-" + text)
        }
        let cases: [(ref: String?, postings: [Posting])] = [
            (ref, [try .debit(AccountCode("10201"), Money(fen: 1)), try .credit(AccountCode("40801"), Money(fen: 1))]),
            ("参考/2026", [try .debit(AccountCode("10201"), Money(fen: 123_456_789)), try .credit(AccountCode("40801"), Money(fen: 123_456_000)),
                          try .credit(AccountCode("22501"), Money(fen: 789))]),
            (nil, [try .credit(AccountCode("40801"), Money(fen: largest)), try .debit(AccountCode("10201"), Money(fen: largest))]),
        ]
        for (ref, postings) in cases {
            let entry = try JournalEntry(date: LedgerDate("2026-02-28"), memo: memo, postings: postings, idempotencyKey: ref)
            let draft = try entry.draft
            let encoded = try entry.encodedDraft
            #expect(encoded.encodedData == (try CanonicalJSON.encode(.object(draft.data))), "memo \(memo.debugDescription), ref \(ref ?? "nil")")
            #expect(encoded.kind == draft.kind && encoded.date == draft.date && encoded.postings == draft.postings)
            #expect(encoded.idempotencyKey == draft.idempotencyKey)
        }
    }

    @Test("a journal entry's key too long is refused as the general path refuses it")
    func longKey() throws {
        let entry = try JournalEntry(date: LedgerDate("2026-02-28"), memo: "",
                                     postings: [.debit(AccountCode("10201"), Money(fen: 5)), .credit(AccountCode("40801"), Money(fen: 5))],
                                     idempotencyKey: String(repeating: "k", count: 195))
        #expect(throws: LedgerInputError.self) { try entry.draft }
        #expect(throws: LedgerInputError.self) { try entry.encodedDraft }
    }

    @Test("one body writer, reused across kinds, times and seqs, writes the generic canonical form")
    func bodies() throws {
        let actor = SigningKey().id
        var writer = CanonicalBodyWriter(ledgerID: "f8a1933b-ee1d-4d4c-9698-abf38a2e8c0c", actor: actor)
        let times = [try EventTime("2026-11-22T05:10:34Z"), try EventTime("2026-11-22T05:10:35Z")]
        let kinds: [EventKind] = [.entryPosted, .accountOpened, "member.enrolled", .entryPosted]
        var prev = SHA256Hash.zero
        for seq in [Int64(1), 9, 10, 99_999, 1_000_000, 9_007_199_254_740_991] {
            for (index, kind) in kinds.enumerated() {
                let data = try CanonicalJSON.encode(["n": .integer(seq), "memo": .string("第\(index)")])
                let time = times[index % 2]
                let written = try writer.body(seq: seq, prev: prev, kind: kind, time: time, encodedData: data)
                let expected = try CanonicalJSON.encode([
                    "ledger": "f8a1933b-ee1d-4d4c-9698-abf38a2e8c0c", "seq": .integer(seq), "prev": .string(prev.hex),
                    "kind": .string(kind.name), "time": .string(time.text), "actor": .string(actor.value),
                    "data": try JSONParser.parse(data),
                ])
                #expect(written == expected)
                prev = MerkleHashing.leafHash(written)
            }
        }
        #expect(throws: CanonicalJSONError.self) {
            try writer.body(seq: 9_007_199_254_740_992, prev: prev, kind: .entryPosted, time: times[0], encodedData: Array("{}".utf8))
        }
    }
}
