import Foundation
import Ledger

/// What a role may do in a ledger's database (`huzhu db grant`), beside the owner who
/// created it (`huzhu init`, migrations, `db grant` itself).
public enum LedgerAccess: String, CaseIterable, Sendable {
    /// Appends: SELECT and INSERT on the log's tables, never UPDATE or DELETE (the trigger
    /// refuses those to everyone, the owner included; a clerk lacks even the grant); SELECT,
    /// INSERT, UPDATE and DELETE on the register and the other projections, which every
    /// append updates.
    case clerk
    /// Reads: SELECT on every table, for audits, verification, reports and copies.
    case auditor
}

extension PostgresLedgerStore {
    /// The append-only tables: the events, their Merkle nodes and the checkpoints.
    public static let logTables: Set<String> = ["events", "merkle_nodes", "checkpoints"]

    /// Gives `role` (which must exist: `CREATE ROLE name LOGIN PASSWORD '…'`) exactly
    /// `access` on every table of the ledger's schema, taking back whatever it held there
    /// before, in one transaction; returns the statements run. Must be run by the tables'
    /// owner. Tables a later Huzhu adds need it run again (docs/OPERATIONS.md).
    @discardableResult
    public func grant(_ access: LedgerAccess, to role: String) throws -> [String] {
        try transaction(begin: "BEGIN") { transaction in
            guard try transaction.scalar("SELECT count(*) FROM pg_roles WHERE rolname = $1", [.text(role)]) == 1 else {
                throw LedgerInputError(field: "role", value: role, reason: "no such role on the server; create it first (CREATE ROLE \(role) LOGIN PASSWORD '…')")
            }
            let quoted = Self.quoted(role)
            let schema = try transaction.texts("SELECT current_schema()").first ?? "public"
            var statements = ["GRANT CONNECT ON DATABASE \(Self.quoted(info.database)) TO \(quoted)",
                              "GRANT USAGE ON SCHEMA \(Self.quoted(schema)) TO \(quoted)"]
            for table in try transaction.texts("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename") {
                let privileges: String
                switch access {
                case .auditor: privileges = "SELECT"
                case .clerk where table == "schema_versions": privileges = "SELECT"
                case .clerk where Self.logTables.contains(table): privileges = "SELECT, INSERT"
                case .clerk: privileges = "SELECT, INSERT, UPDATE, DELETE"
                }
                statements += ["REVOKE ALL ON \(Self.quoted(table)) FROM \(quoted)", "GRANT \(privileges) ON \(Self.quoted(table)) TO \(quoted)"]
            }
            for statement in statements { try run(statement) }
            return statements
        }
    }

    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
