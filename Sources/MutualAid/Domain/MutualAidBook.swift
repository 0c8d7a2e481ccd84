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

    /// The plan rules for `year` as they stand (amendments applied), and the seq of the
    /// event that published them.
    static func plan(year: Int, in records: any MutualAidRecords) throws -> (rules: PlanRules, seq: Int64)? {
        guard let current = try publishedPlan(year: year, in: records)?.current else { return nil }
        return (current.rules, current.seq)
    }

    /// The rules that now assess a claim of `year` for service on `serviceDate`: the newest
    /// publication in force that day (as a claim filed now would be assessed).
    static func rulesInForce(year: Int, serviceDate: String, in records: any MutualAidRecords) throws -> PlanRules {
        let current = try requirePlan(year: year, in: records).rules
        guard let date = try? LedgerDate(serviceDate), let plan = try publishedPlan(year: year, in: records) else { return current }
        return plan.version(inForceOn: date)?.rules ?? current
    }

    /// The plan published for `year`, with its amendments.
    static func publishedPlan(year: Int, in records: any MutualAidRecords) throws -> PublishedPlan? {
        try publishedPlans(year: year, in: records).first
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

    /// The plan published for `year` with its amendments, for `huzhu plan show`.
    public func publishedPlan(year: Int) throws -> PublishedPlan? {
        try read { try MutualAidBook.publishedPlan(year: year, in: $0) }
    }
}

/// A domain rule refused an operation; nothing was written.
public struct MutualAidRuleError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
