import Ledger

/// A work unit's code (单位编码), chosen by the office: letters, digits, '-' and '_'.
public struct UnitID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let value: String
    public static let lengthMax = 32

    public init(_ text: String) throws(LedgerInputError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.utf8.count <= UnitID.lengthMax,
              trimmed.utf8.allSatisfy({ $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") })
        else {
            throw LedgerInputError(field: "unit", value: text, reason: "a unit code is 1 to 32 letters, digits, '-' or '_'")
        }
        value = trimmed
    }

    public var description: String { value }
    public static func < (lhs: UnitID, rhs: UnitID) -> Bool { lhs.value < rhs.value }
}

/// A member's opaque id. Events name members only by it, never by name or ID number.
public struct MemberID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let value: String

    /// A new random id, "m" and 12 hex digits.
    public static func random() -> MemberID {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<6).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return MemberID(trusted: "m" + Hex.encode(bytes))
    }

    public init(_ text: String) throws(LedgerInputError) {
        guard text.utf8.count == 13, text.first == "m", Hex.decode(String(text.dropFirst())) != nil else {
            throw LedgerInputError(field: "member", value: text, reason: "a member id is \"m\" and 12 hex digits, e.g. m3fa2c9e01b7d")
        }
        value = text
    }

    init(trusted value: String) { self.value = value }

    public var description: String { value }
    public static func < (lhs: MemberID, rhs: MemberID) -> Bool { lhs.value < rhs.value }
}

extension UInt8 {
    var isASCIIAlphanumeric: Bool {
        (0x30...0x39).contains(self) || (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self)
    }
}

import Foundation
