import Ledger

/// Takes members' personal data across when a ledger moves to another store (`huzhu db
/// copy`). It is kept beside the log, not in it (the log holds only each record's
/// commitment, so an erasure can delete it), so no replay of the events brings it: each
/// member's and claim's fields and salt, and each erasure's tombstone, are copied as stored.
///
/// Runs after the log is copied, in the same transaction, so the members and claims the
/// rows belong to are already in the target's register.
public enum PersonalDataCopy {
    /// What was copied.
    public struct Counts: Sendable, Equatable {
        public var members = 0
        public var claims = 0
        public var erasures = 0

        public init() {}
    }

    public static func copy(from source: any LedgerStoreReader, to target: any LedgerStoreWriter) throws -> Counts {
        let records = try mutualAidRecords(source)
        let copied = try mutualAidRecords(target)
        let tables = try mutualAidTables(target)
        var counts = Counts()
        try records.forEachMemberPersonal { member, _, stored in
            guard let residentID = stored.residentID, let personal = stored.data else {
                throw LedgerInputError(field: "member_personal", value: member,
                                       reason: "the source holds personal data for this member that is not a JSON object of fields with a resident ID (edited outside Huzhu?); `huzhu audit` names it")
            }
            try tables.insertPersonal(member: member, residentID: residentID, personal: personal)
            counts.members += 1
        }
        try records.forEachClaimPersonal { claim, stored in
            guard let member = try copied.claim(claim)?.member, let personal = stored.data else {
                throw LedgerInputError(field: "claim_personal", value: "\(claim)",
                                       reason: "the source holds personal data for a claim the log does not hold, or that is not a JSON object of fields; `huzhu audit` names it")
            }
            try tables.insertClaimPersonal(claim: claim, member: member, personal: personal)
            counts.claims += 1
        }
        try records.forEachErasedResident { hash, member, seq in
            try tables.insertErasedResident(hash: hash, member: member, seq: seq)
            counts.erasures += 1
        }
        return counts
    }
}
