import Foundation
import Ledger

/// A correction of a member's personal details within a plan year: a bank card a payment
/// bounced from, a new phone, a name corrected. The resident ID, by which the register
/// knows the person, is not changed here.
public struct MemberDetailsUpdate: Sendable {
    public let name: String?
    public let phone: String?
    public let bankCard: String?

    /// Checks each given field by `ContactDetails`; nil leaves it as it is on file.
    public init(name: String? = nil, phone: String? = nil, bankCard: String? = nil) throws(LedgerInputError) {
        let name = try name.map(ContactDetails.name), phone = try phone.map(ContactDetails.phone)
        let bankCard = try bankCard.map(ContactDetails.bankCard)
        guard name != nil || phone != nil || bankCard != nil else {
            throw LedgerInputError(field: "details", value: "", reason: "give at least one of the name, the phone and the bank card")
        }
        self.name = name
        self.phone = phone
        self.bankCard = bankCard
    }

    /// The fields it sets, as `PersonalData` keys them.
    var fields: [String: String] {
        var fields: [String: String] = [:]
        if let name { fields["name"] = name }
        if let phone { fields["phone"] = phone }
        if let bankCard { fields["bankCard"] = bankCard }
        return fields
    }
}

extension MutualAidBook {
    /// Corrects a member's personal details: the fields on file change under a new salt,
    /// and a `member.details-updated` event commits to them, naming which changed (never
    /// their values), so the register's commitment follows the latest details and whoever
    /// holds them can still prove them; earlier events keep their commitments to the old
    /// ones, as after an erasure. Returns nil, recording nothing, when nothing changes.
    @discardableResult
    public func updateDetails(member: MemberID, _ update: MemberDetailsUpdate, reason: String, signer: SigningKey) throws -> Int64? {
        let why = reason.trimmingSpaces()
        guard !why.isEmpty else { throw LedgerInputError(field: "reason", value: reason, reason: "say why the details change") }
        return try ledger.append(signer: signer) { session in
            try session.requireSigner(mayRecord: MutualAidKinds.memberDetailsUpdated)
            let register = try MutualAidBook.tables(session)
            guard let (standing, stored) = try register.memberOnFile(member.value) else {
                throw MutualAidRuleError("there is no member \(member)")
            }
            if let seq = standing.erasedSeq { throw MutualAidRuleError("member \(member)'s personal data was erased at seq \(seq)") }
            guard let stored else {
                throw MutualAidRuleError("member \(member) has no personal data on file")
            }
            let onFile = try JSONParser.parse(stored.fields).objectValue?.compactMapValues(\.stringValue) ?? [:]
            let changed = update.fields.filter { onFile[$0.key] != $0.value }
            guard !changed.isEmpty else { return nil }
            let personal = PersonalData(fields: onFile.merging(changed) { _, new in new })
            try register.updatePersonal(member: member.value, personal: personal)
            return try session.append(MemberDetailsUpdatedEvent(member: member.value, commitment: personal.commitment,
                                                                updated: changed.keys.sorted(), reason: why).draft()).seq
        }
    }
}
