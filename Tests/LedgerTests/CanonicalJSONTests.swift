import Testing
@testable import Ledger

@Suite("Canonical JSON (RFC 8785)")
struct CanonicalJSONTests {
    func text(_ value: JSONValue) throws -> String {
        String(decoding: try CanonicalJSON.encode(value), as: UTF8.self)
    }

    @Test("sorts keys by UTF-16 code units and writes no whitespace")
    func sorting() throws {
        let value: JSONValue = ["b": 1, "a": [true, false, nil], "A": "x", "é": 2, "\u{1F600}": 3, "\u{FB01}": 4]
        // U+1F600 is the surrogate pair D83D DE00, which sorts before U+FB01 in UTF-16 order
        // although it comes after it in code point order.
        #expect(try text(value) == "{\"A\":\"x\",\"a\":[true,false,null],\"b\":1,\"é\":2,\"\u{1F600}\":3,\"\u{FB01}\":4}")
    }

    @Test("escapes strings as ECMAScript does")
    func escapes() throws {
        #expect(try text(.string("a\"b\\c\n\t\r\u{8}\u{C}\u{1}\u{1F}/\u{7F}")) == "\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001f/\u{7F}\"")
        #expect(try text(.string("中文")) == "\"中文\"")
    }

    @Test("text of ASCII and CJK ideographs is taken as NFC; anything else is normalised")
    func nfcFastPath() {
        #expect(CanonicalJSON.isASCIIOrCJK("会员张三 123"))
        #expect(!CanonicalJSON.isASCIIOrCJK("\u{F900}"))  // a compatibility ideograph: NFC maps it to U+8C48
        #expect(CanonicalJSON.normalized("\u{F900}") == "\u{8C48}")
        #expect(Array(CanonicalJSON.normalized("e\u{301}张").utf8) == Array("\u{E9}张".utf8))
    }

    @Test("normalises strings to NFC")
    func nfc() throws {
        // "é" written as e + combining acute becomes the single code point U+00E9.
        #expect(try CanonicalJSON.encode(.string("e\u{301}")) == Array("\"\u{E9}\"".utf8))
    }

    @Test("integers only within ±(2^53 − 1)")
    func integers() throws {
        #expect(try text(.integer(9_007_199_254_740_991)) == "9007199254740991")
        #expect(try text(.integer(-9_007_199_254_740_991)) == "-9007199254740991")
        #expect(try text(.integer(0)) == "0")
        #expect(throws: CanonicalJSONError.integerOutOfRange(9_007_199_254_740_992)) {
            try CanonicalJSON.encode(.integer(9_007_199_254_740_992))
        }
    }

    @Test("the parser refuses floats, big integers, duplicates and trailing bytes", arguments: [
        "1.5", "1e3", "9007199254740992", "{\"a\":1,\"a\":2}", "{} x", "01", "\"\u{1}\"", "[1,]", "{\"a\" 1}", "\"\\ud800\"",
    ])
    func strictParser(text: String) {
        #expect(throws: CanonicalJSONError.self) { try JSONParser.parse(text) }
    }

    @Test("parse then encode is the identity on canonical bytes")
    func roundTrip() throws {
        let canonical = "{\"data\":{\"memo\":\"互助\\n\",\"postings\":[{\"account\":\"10201\",\"amountFen\":6000,\"side\":\"debit\"}]},\"seq\":-3}"
        #expect(try text(JSONParser.parse(canonical)) == canonical)
        #expect(try JSONParser.parse("{ \"a\" : \"\\u00e9\\ud83d\\ude00\" }") == ["a": "é\u{1F600}"])
    }

    @Test("an event body written field by field equals the generic canonical form")
    func eventBody() throws {
        let data: [String: JSONValue] = ["memo": "互助 e\u{301}", "postings": [["side": "debit", "account": "10201", "amountFen": 6000]],
                                         "date": "2026-10-08", "Zeta": true, "é": nil]
        let prev = SHA256Hash.of([1, 2, 3])
        let fast = try RecordedEvent.canonicalBody(ledgerID: "L", seq: 42, prev: prev, kind: "entry.posted",
                                                   time: EventTime("2026-11-21T23:52:17Z"), actor: KeyID("0123456789abcdef"), data: data)
        let generic = try CanonicalJSON.encode(["ledger": "L", "seq": 42, "prev": .string(prev.hex), "kind": "entry.posted",
                                                "time": "2026-11-21T23:52:17Z", "actor": "0123456789abcdef", "data": .object(data)])
        #expect(fast == generic)
    }

    /// The parser's verdict on the form of bytes must equal the encoder's: the verifier
    /// trusts it instead of encoding every event again.
    @discardableResult
    func expectFormVerdictAgrees(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> (parsed: Bool, canonical: Bool) {
        guard let (value, isCanonical) = try? JSONParser.parseNotingForm(bytes) else { return (false, false) }
        let reencoded = try? CanonicalJSON.encode(value)
        #expect(isCanonical == (reencoded == bytes), "\(String(decoding: bytes, as: UTF8.self))", sourceLocation: sourceLocation)
        return (true, isCanonical)
    }

    @Test("the parser tells canonical bytes from every other spelling of the same value", arguments: [
        #"{"a":1,"b":[true,null,"x"]}"#, #"{"b":1,"a":2}"#, #"{"a":1, "b":2}"#, " {\"a\":1}", "{\"a\":1}\n",
        #"{"a":-0}"#, #"{"a":0}"#, #"{"a":-12}"#, #""a\/b""#, #""a/b""#, #""\u0041""#, #""\u0001""#, #""\u001F""#, #""\u001f""#,
        #""\u0009""#, #""\t""#, #""\b\f\n\r\"\\""#, #""\u00e9""#, "\"\u{E9}\"", "\"e\u{301}\"", #""\ud83d\ude00""#, "\"\u{1F600}\"",
        "{\"\u{1F600}\":1,\"\u{FB01}\":2}", "{\"\u{FB01}\":1,\"\u{1F600}\":2}", "{\"A\":1,\"a\":2}", "{\"a\":1,\"A\":2}",
        "{\"e\u{301}\":1}", "{\"\u{E9}\":1,\"z\":2}", "{\"z\":1,\"\u{E9}\":2}", "[1,2]", "[1 ,2]", "[ ]", "[]", "{}", "{ }",
    ])
    func formVerdict(_ text: String) {
        expectFormVerdictAgrees(Array(text.utf8))
    }

    @Test("the parser's verdict agrees with re-encoding on thousands of altered event bodies")
    func formVerdictOnMutations() throws {
        let body = try RecordedEvent.canonicalBody(
            ledgerID: "l-1", seq: 42, prev: .zero, kind: EventKind("claim.filed"), time: EventTime("2026-11-21T23:52:17Z"),
            actor: KeyID("0123456789abcdef"),
            data: ["memo": "住院 e\u{301} \"q\" \\ / \u{1}", "amountFen": -1500, "postings": [["account": "10201", "side": "debit"]],
                   "nested": ["z": [1, 2, ["é": true]], "a": nil]])
        expectFormVerdictAgrees(body)
        #expect(try JSONParser.parseNotingForm(body).isCanonical)
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array(" \t\n{}[],:\"\\/-0123456789aeuAEU".utf8) + [0xC3, 0xA9, 0xCC, 0x81, 0xFF]
        var parsed = 0, noncanonical = 0
        for _ in 0..<20_000 {
            var mutated = body
            for _ in 0...Int.random(in: 0...2, using: &generator) {
                let index = Int.random(in: 0..<mutated.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: mutated[index] = alphabet.randomElement(using: &generator)!
                case 1: mutated.insert(alphabet.randomElement(using: &generator)!, at: index)
                default: mutated.remove(at: index)
                }
            }
            let verdict = expectFormVerdictAgrees(mutated)
            if verdict.parsed { parsed += 1 }
            if verdict.parsed && !verdict.canonical { noncanonical += 1 }
        }
        // Enough of the alterations still parse, many of them as other spellings, for the comparison to mean something.
        #expect(parsed > 1_000 && noncanonical > 500, "\(parsed) parsed, \(noncanonical) not canonical")
    }
}
