import Foundation
import GRDB
import Ledger

/// The mutual-aid plan kept in a Huzhu ledger: units, members, contributions and claims.
///
/// Every operation appends signed events through the Ledger in one transaction, after
/// checking the plan's rules against the projections read in that same transaction, so
/// two clerks working at once cannot both spend the last of a member's cap.
public struct MutualAidBook: Sendable {
    public let ledger: Ledger

    public init(ledger: Ledger) { self.ledger = ledger }

    /// Opens the ledger file at `path` as a mutual-aid book.
    public static func open(path: String) throws -> MutualAidBook {
        MutualAidBook(ledger: try HuzhuLedger.open(path: path))
    }

    /// The SQLite connection of an append session's transaction.
    static func database(_ session: AppendSession) throws -> Database {
        try database(session.store)
    }

    static func database(_ reader: any LedgerStoreReader) throws -> Database {
        guard let transaction = reader as? SQLiteLedgerStore.Transaction else {
            throw LedgerStoreError.notALedger("the mutual-aid book needs the SQLite store")
        }
        return transaction.db
    }

    /// Reads the mutual-aid tables on a consistent snapshot.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try ledger.read { reader in try body(try MutualAidBook.database(reader)) }
    }

    /// The plan rules published for `year`, and the seq of the event that published them.
    static func plan(year: Int, db: Database) throws -> (rules: PlanRules, seq: Int64)? {
        guard let row = try db.row("SELECT rules, seq FROM plans WHERE year = ?", [year]) else { return nil }
        let json = try JSONParser.parse(row[0] as String)
        return (try PlanRules(json: json), row[1])
    }

    static func requirePlan(year: Int, db: Database) throws -> (rules: PlanRules, seq: Int64) {
        guard let plan = try plan(year: year, db: db) else {
            throw LedgerInputError(field: "year", value: "\(year)",
                                   reason: "no plan is published for \(year); publish one with `huzhu plan publish plans/\(year).toml`")
        }
        return plan
    }

    public func plan(year: Int) throws -> (rules: PlanRules, seq: Int64)? {
        try read { try MutualAidBook.plan(year: year, db: $0) }
    }
}

/// A domain rule refused an operation; nothing was written.
public struct MutualAidRuleError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
