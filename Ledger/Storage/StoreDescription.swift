/// What a store is, as `huzhu db info` shows it: which kind, where, which schema, how big.
public struct StoreDescription: Sendable {
    /// "SQLite" or "PostgreSQL".
    public let kind: String
    /// The file, or the database's URL without its password.
    public let location: String
    /// The server's or the library's version.
    public let engineVersion: String
    /// The schema versions the store records, in order (the core's `ledger-v1`, then each domain's).
    public let schemaVersions: [String]
    /// Bytes on disk: the file and its write-ahead log, or the database.
    public let bytes: Int64

    public init(kind: String, location: String, engineVersion: String, schemaVersions: [String], bytes: Int64) {
        self.kind = kind
        self.location = location
        self.engineVersion = engineVersion
        self.schemaVersions = schemaVersions
        self.bytes = bytes
    }
}
