import Foundation
import GRDB
import Ledger

/// Who a payment goes to: the member's name and bank card as the register holds them,
/// checked before a payment is recorded or its bank file written.
public struct Payee: Sendable {
    public let name: String
    public let bankCard: String
}

/// Why a claim is held back from a payment (not paid, still approved).
public struct PaymentHold: Sendable, CustomStringConvertible {
    public let claim: Int64
    public let member: String
    public let reason: String
    public var description: String { "claim \(claim) (member \(member)): \(reason)" }
}

/// A payee found, or why the member cannot be paid.
enum PayeeLookup {
    case payee(Payee)
    case held(String)
}

extension MutualAidBook {
    /// The payee of `member`, or why the member cannot be paid: personal data erased, the
    /// fields on file not the ones the log committed to (edited outside Huzhu: a payout
    /// redirected to another card), or no valid bank card on file.
    static func payee(member: String, db: Database) throws -> PayeeLookup {
        guard let row = try db.row("""
            SELECT m.commitment, m.erased_seq, p.salt, p.fields FROM members m
            LEFT JOIN member_personal p ON p.member_id = m.member_id WHERE m.member_id = ?
            """, [member]) else { return .held("the member is not on the register") }
        guard (row[1] as Int64?) == nil, let salt = row[2] as Data?, let text = row[3] as String? else {
            return .held("the member's personal data was erased; there is no one to pay")
        }
        guard let personal = PersonalData(storedFields: text, salt: Array(salt)), personal.commitment == row[0] as String else {
            return .held("the personal details on file are not those the log committed to (the file was edited outside Huzhu); nothing is paid to them until `huzhu audit` is clean")
        }
        guard let card = personal.fields["bankCard"], (try? ContactDetails.bankCard(card)) != nil else {
            return .held("no valid bank card on file; record one with `huzhu member update \(member) --bank-card …`")
        }
        return .payee(Payee(name: personal.fields["name"] ?? "", bankCard: card))
    }

    /// Members whose personal fields on file do not match the commitment the log records
    /// for them (the register's `members.commitment`, which the audit's replay holds to the
    /// log): each with the seq of the event that committed to the details.
    public static func personalDataMismatches(in reader: any LedgerStoreReader) throws -> [(member: String, seq: Int64)] {
        try personalDataMismatches(db: database(reader))
    }

    /// Claims whose personal fields on file (the diagnosis) are not the ones their
    /// `claim.filed` event committed to (`personal`): each with its claim id, the event's seq.
    public static func claimPersonalDataMismatches(in reader: any LedgerStoreReader) throws -> [Int64] {
        let db = try database(reader)
        var found: [Int64] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT claim_id, salt, fields FROM claim_personal ORDER BY claim_id")
        while let row = try rows.next() {
            guard let claim = Int64(row[0] as String) else { continue }
            let committed = try reader.storedEvent(seq: claim).flatMap { try RecordedEvent(body: $0.body, signature: []).data["personal"]?.stringValue }
            if committed == nil || PersonalData(storedFields: row[2], salt: Array(row[1] as Data))?.commitment != committed { found.append(claim) }
        }
        return found
    }

    static func personalDataMismatches(db: Database) throws -> [(member: String, seq: Int64)] {
        var found: [(member: String, seq: Int64)] = []
        let rows = try Row.fetchCursor(db, sql: """
            SELECT m.member_id, m.commitment, p.salt, p.fields, m.first_seq FROM member_personal p
            JOIN members m ON m.member_id = p.member_id ORDER BY m.first_seq
            """)
        while let row = try rows.next() {
            if PersonalData(storedFields: row[3], salt: Array(row[2] as Data))?.commitment != row[1] as String {
                found.append((row[0], row[4]))
            }
        }
        return found
    }
}
