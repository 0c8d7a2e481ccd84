import Ledger

/// A work unit's code (单位编码), chosen by the office: letters, digits, '-' and '_'.
public struct UnitID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let value: String
    public static let lengthMax = 32

    public init(_ text: String) throws(LedgerInputError) {
        let trimmed = text.trimmingSpaces()
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

    /// The id of a member first enrolled by the event at `seq`: "m" and the seq in 12 hex
    /// digits. Unique (one first enrolment per event), it says nothing about the person,
    /// and ids rising with the log keep a million-member import writing at the ends of
    /// the tables' B-trees instead of all over them.
    public init(enrolmentSeq seq: Int64) {
        let digits = String(seq, radix: 16)
        value = "m" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    public init(_ text: String) throws(LedgerInputError) {
        guard text.utf8.count == 13, text.first == "m", Hex.decode(String(text.dropFirst())) != nil else {
            throw LedgerInputError(field: "member", value: text, reason: "a member id is \"m\" and 12 hex digits, e.g. m0000000004d2")
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
