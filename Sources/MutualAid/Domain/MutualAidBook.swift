import Foundation
import Ledger

/// The mutual-aid plan kept in a Huzhu ledger: units, members, contributions and claims.
///
/// Every operation appends signed events through the Ledger in one transaction, after
/// checking the plan's rules against the projections read in that same transaction, so
/// two clerks working at once cannot both spend the last of a member's cap.
public struct MutualAidBook: Sendable {
    public let ledger: Ledger

    public init(ledger: Ledger) { self.ledger = ledger }

    /// The register an append session writes, for one operation or batch.
    static func tables(_ session: AppendSession) throws -> any MutualAidTables {
        try mutualAidTables(session.store)
    }

    /// Reads the mutual-aid register on a consistent snapshot.
    public func read<T>(_ body: (any MutualAidRecords) throws -> T) throws -> T {
        try ledger.read { reader in try body(try mutualAidRecords(reader)) }
    }

    /// The plan rules published for `year`, and the seq of the event that published them.
    static func plan(year: Int, in records: any MutualAidRecords) throws -> (rules: PlanRules, seq: Int64)? {
        guard let published = try records.publishedPlan(year: year) else { return nil }
        return (try PlanRules(json: try JSONParser.parse(published.rules)), published.seq)
    }

    static func requirePlan(year: Int, in records: any MutualAidRecords) throws -> (rules: PlanRules, seq: Int64) {
        guard let plan = try plan(year: year, in: records) else {
            throw LedgerInputError(field: "year", value: "\(year)",
                                   reason: "no plan is published for \(year); publish one with `huzhu plan publish plans/\(year).toml`")
        }
        return plan
    }

    public func plan(year: Int) throws -> (rules: PlanRules, seq: Int64)? {
        try read { try MutualAidBook.plan(year: year, in: $0) }
    }
}

/// A domain rule refused an operation; nothing was written.
public struct MutualAidRuleError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
