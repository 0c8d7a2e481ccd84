import Ledger

/// Personal data on file, kept outside the log (which holds only each record's commitment):
/// members' fields by member or resident ID, claims' diagnoses, and the tombstones of
/// people erased.
public protocol PersonalRecords {
    /// The member a resident ID is on file for, with their fields and salt.
    func personal(residentID: String) throws -> (member: String, personal: StoredPersonal)?
    /// The members erased whose resident ID hashes to `hash`, each with the seq of their erasure.
    func erasedResidents(hash: String) throws -> [(member: String, erasedSeq: Int64)]
    /// Whether anyone was ever erased (most ledgers: no, and then no ID needs hashing).
    func anyErasedResidents() throws -> Bool
    /// Calls `body` with every member's fields on file, by first seq, with the member's
    /// standing (to hold the fields to the commitment the log records).
    func forEachMemberPersonal(_ body: (String, MemberStanding, StoredPersonal) throws -> Void) throws
    /// Calls `body` with every claim's fields on file (its diagnosis), by claim id.
    func forEachClaimPersonal(_ body: (Int64, StoredPersonal) throws -> Void) throws
    /// Calls `body` with every erasure's tombstone: the resident ID's hash, the member, the
    /// seq of the erasure; by seq.
    func forEachErasedResident(_ body: (_ hash: String, _ member: String, _ erasedSeq: Int64) throws -> Void) throws
}

/// One record's personal fields as stored: canonical JSON, and the salt of its commitment.
public struct StoredPersonal: Sendable, Hashable {
    public let residentID: String?
    /// The fields as canonical JSON text.
    public let fields: String
    public let salt: [UInt8]

    public init(residentID: String?, fields: String, salt: [UInt8]) {
        self.residentID = residentID
        self.fields = fields
        self.salt = salt
    }

    /// The fields and salt as personal data, or nil when the stored text is not a JSON
    /// object of strings (edited outside Huzhu).
    public var data: PersonalData? { PersonalData(storedFields: fields, salt: salt) }

    /// Stored fields text as the JSON object a record carries, or nil when there is none
    /// (erased) or it is not an object.
    public static func object(_ fields: String?) -> [String: JSONValue]? {
        fields.flatMap { try? JSONParser.parse($0).objectValue }
    }
}
