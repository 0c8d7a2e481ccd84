import Audit
import Foundation
import Ledger
import LedgerPostgres
import MutualAid
import MutualAidPostgres
import MutualAidSQLite

/// Where a ledger is, as a user names it: a file path, or a PostgreSQL database as
/// `postgres://user@host:port/db`. Chooses the store for every command (`--db`) and for
/// both ends of `huzhu db copy`.
struct LedgerLocation {
    /// The location as given.
    let text: String

    init(_ text: String) { self.text = text }

    /// Whether the ledger is in a PostgreSQL database rather than a file.
    var isPostgres: Bool { PostgresConnectionInfo.isPostgresURL(text) }

    /// The location as messages show it: a URL without its password.
    var displayName: String { isPostgres ? PostgresConnectionInfo.redacted(text) : text }

    /// Opens the ledger with every domain's rules and projections.
    func open() throws -> Ledger {
        isPostgres ? try HuzhuLedger.open(url: text) : try HuzhuLedger.open(path: text)
    }

    /// Creates a ledger here with the default chart.
    func create(name: String, admin: SigningKey, adminHolder: String) throws -> Ledger {
        isPostgres ? try HuzhuLedger.create(url: text, name: name, admin: admin, adminHolder: adminHolder)
            : try HuzhuLedger.create(path: text, name: name, admin: admin, adminHolder: adminHolder)
    }

    /// The store here, with the ledger's and the register's tables and no event: a new
    /// file, or an empty database. `discard` removes what a failed copy made (the file; a
    /// database keeps its empty tables, which the next copy uses).
    func createEmptyStore() throws -> (store: any LedgerStore, discard: () -> Void) {
        if isPostgres { return (try HuzhuLedger.createEmptyStore(url: text), {}) }
        let store = try HuzhuLedger.createEmptyStore(path: text)
        return (store, { store.removeFiles() })
    }

    /// Where the audit keeps its state by default: beside a ledger file, or for a database
    /// in the current folder under the database's name.
    var defaultAuditStatePath: String {
        guard isPostgres, let info = try? PostgresConnectionInfo(url: text) else {
            return AuditState.defaultPath(forLedgerAt: text)
        }
        return AuditState.defaultPath(forLedgerAt: "huzhu-\(info.host)-\(info.port)-\(info.database)")
    }
}
