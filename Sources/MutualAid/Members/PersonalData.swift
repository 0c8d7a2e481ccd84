import Foundation
import Ledger

/// A person's sensitive fields (PIPL 敏感个人信息): kept outside the log, behind a salted
/// commitment that the events carry.
///
/// The commitment is SHA-256(salt ‖ canonical JSON of the fields). It reveals nothing
/// (the salt is 16 random bytes), yet whoever holds the fields and the salt can prove
/// they are the ones the ledger recorded. Erasing deletes fields and salt; the chain,
/// which only holds the commitment, still verifies.
public struct PersonalData: Sendable, Hashable {
    public let fields: [String: String]
    public let salt: [UInt8]
    /// The canonical JSON of `fields`, as stored beside the log and committed to.
    public let canonicalFields: [UInt8]
    /// Hex of SHA-256(salt ‖ canonical fields). Computed once with the fields: a roster
    /// of a million members needs each twice (the event and the stored row).
    public let commitment: String

    public static let saltByteCount = 16

    public init(fields: [String: String], salt: [UInt8]? = nil) {
        self.fields = fields.filter { !$0.value.isEmpty }
        if let salt {
            self.salt = salt
        } else {
            var source = SaltSource(count: 1)
            self.salt = source.next()
        }
        canonicalFields = try! CanonicalJSON.encode(.object(self.fields.mapValues { .string($0) }))
        commitment = SHA256Hash.of(self.salt + canonicalFields).hex
    }
}

extension PersonalData {
    /// The personal data as `member_personal` and `claim_personal` store it: the canonical
    /// JSON of the fields and the salt. Nil when the stored text is not a JSON object.
    init?(storedFields text: String, salt: [UInt8]) {
        guard let fields = (try? JSONParser.parse(text))?.objectValue?.compactMapValues(\.stringValue) else { return nil }
        self.init(fields: fields, salt: salt)
    }
}

/// Random salts, drawn from the system's generator many at a time: a roster of a million
/// people needs a million salts, and one system call each would be a visible share of
/// enrolling them.
public struct SaltSource {
    private var buffer: [UInt8] = []
    private var position = 0
    private let batch: Int

    /// A source that draws `count` salts per system call.
    public init(count: Int = 256) { batch = max(1, count) }

    public mutating func next() -> [UInt8] {
        let size = PersonalData.saltByteCount
        if position + size > buffer.count {
            buffer = [UInt8](repeating: 0, count: batch * size)
            buffer.withUnsafeMutableBytes { arc4random_buf($0.baseAddress!, $0.count) }
            position = 0
        }
        defer { position += size }
        return Array(buffer[position..<position + size])
    }
}

/// How personal fields are shown in lists and reports: enough to recognise, not to misuse.
public enum Masking {
    /// "110105********002X" → "110***********002X": first 3 and last 4.
    public static func residentID(_ text: String) -> String { keep(text, first: 3, last: 4) }
    /// "张三丰" → "张**".
    public static func name(_ text: String) -> String { keep(text, first: 1, last: 0) }
    /// "13812345678" → "138****5678".
    public static func phone(_ text: String) -> String { keep(text, first: 3, last: 4) }
    /// "6222021234567890123" → "6222***********0123".
    public static func bankCard(_ text: String) -> String { keep(text, first: 4, last: 4) }

    static func keep(_ text: String, first: Int, last: Int) -> String {
        let characters = Array(text)
        guard characters.count > first + last else { return String(repeating: "*", count: characters.count) }
        return String(characters.prefix(first)) + String(repeating: "*", count: characters.count - first - last)
            + String(characters.suffix(last))
    }
}
