/// Typed reads of a recorded event's data, for `EventValue`s: each names the event and the
/// field when the field is missing or of the wrong type.
public struct EventFields {
    public let event: RecordedEvent
    /// The event's postings, when whoever hands the event over has read them already (a
    /// projection is given them): read again otherwise.
    let parsedPostings: [Posting]?

    public init(_ event: RecordedEvent, postings: [Posting]? = nil) {
        self.event = event
        parsedPostings = postings
    }

    public var data: [String: JSONValue] { event.data }

    public func value(_ key: String) throws -> JSONValue {
        guard let value = event.data[key] else { throw missing(key) }
        return value
    }

    public func string(_ key: String) throws -> String {
        guard let text = event.data[key]?.stringValue else { throw missing(key) }
        return text
    }

    /// A string that may be absent; present, it must be a string.
    public func optionalString(_ key: String) throws -> String? {
        guard let value = event.data[key] else { return nil }
        guard let text = value.stringValue else { throw missing(key) }
        return text
    }

    public func int(_ key: String) throws -> Int64 {
        guard let number = event.data[key]?.integerValue else { throw missing(key) }
        return number
    }

    /// An integer that may be absent; present, it must be an integer.
    public func optionalInt(_ key: String) throws -> Int64? {
        guard let value = event.data[key] else { return nil }
        guard let number = value.integerValue else { throw missing(key) }
        return number
    }

    public func bool(_ key: String) throws -> Bool {
        guard let flag = event.data[key]?.boolValue else { throw missing(key) }
        return flag
    }

    public func intArray(_ key: String) throws -> [Int64] {
        guard let items = event.data[key]?.arrayValue else { throw missing(key) }
        return try items.map { item in
            guard let number = item.integerValue else { throw missing(key) }
            return number
        }
    }

    public func stringArray(_ key: String) throws -> [String] {
        guard let items = event.data[key]?.arrayValue else { throw missing(key) }
        return try items.map { item in
            guard let text = item.stringValue else { throw missing(key) }
            return text
        }
    }

    /// A string field parsed by `parse` (an account code, a date), its error naming the field.
    public func parsed<T>(_ key: String, _ parse: (String) throws -> T) throws -> T {
        let text = try string(key)
        do { return try parse(text) } catch { throw badField("has \(key) \(text): \(error)") }
    }

    /// The event's business date (`date`).
    public func date() throws -> LedgerDate {
        guard let date = event.date else { throw missing("date") }
        return date
    }

    public func idempotencyKey() throws -> String {
        guard let key = event.idempotencyKey else { throw missing("idempotencyKey") }
        return key
    }

    /// The event's postings; empty where it moves no money.
    public func postings() throws -> [Posting] {
        if let parsedPostings { return parsedPostings }
        do { return try event.postings() } catch { throw badField("has postings that do not read: \(error)") }
    }

    /// An array of postings under another key (a proposal's `lines`).
    public func postings(_ key: String) throws -> [Posting] {
        guard let lines = event.data[key]?.arrayValue else { throw missing(key) }
        do { return try lines.map { try Posting(json: $0) } } catch { throw badField("has \(key) that do not read: \(error)") }
    }

    /// The error for a field that is absent, or present with the wrong type.
    public func missing(_ key: String) -> EventDecodingError {
        .badField("\(event.kind) at seq \(event.seq) " + (event.data[key] == nil ? "lacks \(key)" : "has \(key) of the wrong type"))
    }

    /// The event's data is well-formed but says something the tables contradict.
    public func badField(_ reason: String) -> EventDecodingError {
        .badField("\(event.kind) at seq \(event.seq) \(reason)")
    }
}
