import Ledger
import MutualAid

/// The parsers that take outside input, each as a fuzz target: libFuzzer (`scripts/fuzz`)
/// feeds them generated inputs, and the corpus test (Tests/FuzzTests) feeds them every
/// file of Fuzz/Corpus, the seeds and every input a run once found.
///
/// A target fails on a crash or a trap (an overflow, an index out of range), or on a
/// property broken, which `check` names and `run` stops the process for, as libFuzzer
/// expects of a finding. Refusing an input with an error is not a failure; that is what
/// bad input is for.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The strict JSON reader of event bodies and batch files, and the canonical check:
    /// whatever it calls canonical is exactly what the canonical encoder writes, and
    /// whatever it reads, encoded, reads back as the same value and canonical.
    case json
    /// An event body as a verifier reads it: a body it calls canonical is the body
    /// `RecordedEvent.canonicalBody` writes for the fields read from it.
    case event
    /// The CSV reader of rosters, settlement files and bank statements, in every encoding
    /// it detects, with and without a header row.
    case csv
    /// The plan file reader: the TOML subset and the rules read from it.
    case toml

    /// Runs one input through the target; the property it broke, or nil.
    public func check(_ bytes: [UInt8]) -> String? {
        switch self {
        case .json: Self.json(bytes)
        case .event: Self.event(bytes)
        case .csv: Self.csv(bytes)
        case .toml: Self.toml(bytes)
        }
    }

    /// Runs one input through the target, and stops the process if it broke a property.
    public func run(_ bytes: [UInt8]) {
        if let broken = check(bytes) { preconditionFailure("\(rawValue): \(broken)") }
    }

    static func json(_ bytes: [UInt8]) -> String? {
        guard let (value, canonical) = try? JSONParser.parseNotingForm(bytes) else { return nil }
        // A value the encoder refuses (a string it cannot write) has no canonical form.
        guard let encoded = try? CanonicalJSON.encode(value) else {
            return canonical ? "the parser called bytes canonical that the encoder refuses to write" : nil
        }
        if canonical && encoded != bytes { return "the parser called bytes canonical that the encoder writes otherwise" }
        guard let (again, againCanonical) = try? JSONParser.parseNotingForm(encoded) else {
            return "the encoder wrote bytes the parser refuses"
        }
        if !againCanonical { return "the parser does not call the encoder's own bytes canonical" }
        return again == value ? nil : "the encoder's bytes read back as another value"
    }

    static func event(_ bytes: [UInt8]) -> String? {
        guard let event = try? RecordedEvent(body: bytes, signature: []), event.isCanonical else { return nil }
        let written = try? RecordedEvent.canonicalBody(ledgerID: event.ledgerID, seq: event.seq, prev: event.prev, kind: event.kind,
                                                       time: event.time, actor: event.actor, data: event.data)
        return written == bytes ? nil : "a body read as canonical is not the body its fields write"
    }

    static func csv(_ bytes: [UInt8]) -> String? {
        for hasHeader in [true, false] {
            guard let reader = try? CSVReader(bytes: bytes, hasHeader: hasHeader, name: "fuzz.csv") else { continue }
            var previous = 0
            while let row = try? reader.next() {
                if row.row <= previous { return "row \(row.row) follows row \(previous)" }
                previous = row.row
            }
        }
        return nil
    }

    static func toml(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        _ = try? TOMLParser.parse(text, file: "fuzz.toml")
        _ = try? PlanRules(toml: text, file: "fuzz.toml")
        return nil
    }
}
