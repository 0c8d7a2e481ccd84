import Foundation
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
    static func payee(member: String, in register: any MutualAidRecords) throws -> PayeeLookup {
        guard let (standing, stored) = try register.memberOnFile(member) else { return .held("the member is not on the register") }
        guard standing.erasedSeq == nil, let stored else {
            return .held("the member's personal data was erased; there is no one to pay")
        }
        guard let personal = stored.data, personal.commitment == standing.commitment else {
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
        var found: [(member: String, seq: Int64)] = []
        try mutualAidRecords(reader).forEachMemberPersonal { member, standing, personal in
            if personal.data?.commitment != standing.commitment { found.append((member, standing.firstSeq)) }
        }
        return found
    }

    /// Claims whose personal fields on file (the diagnosis) are not the ones their
    /// `claim.filed` event committed to (`personal`): each with its claim id, the event's seq.
    public static func claimPersonalDataMismatches(in reader: any LedgerStoreReader) throws -> [Int64] {
        var found: [Int64] = []
        try mutualAidRecords(reader).forEachClaimPersonal { claim, personal in
            let committed = try reader.storedEvent(seq: claim).flatMap { try ClaimFiledEvent(event: RecordedEvent(body: $0.body, signature: [])).personal }
            if committed == nil || personal.data?.commitment != committed { found.append(claim) }
        }
        return found
    }
}
