import Ledger

/// Keeps the mutual-aid tables in step with the log, inside the same transaction.
///
/// A pure function of the events: replaying the log into an empty file rebuilds every
/// table here exactly (the personal-data tables excepted, which are not projections).
public struct MutualAidProjection: EventProjection {
    public init() {}

    /// The domain's kinds: everything it records is named by one of these prefixes.
    public func mayApply(to kind: EventKind) -> Bool {
        ["plan.", "unit.", "member.", "contribution.", "subsidy.", "claim."].contains { kind.name.hasPrefix($0) }
    }

    public func apply(_ event: RecordedEvent, postings: [Posting], to writer: any LedgerStoreWriter) throws {
        guard mayApply(to: event.kind) else { return }
        let tables = try mutualAidTables(writer)
        let data = EventData(event)
        switch event.kind {
        case MutualAidKinds.planPublished:
            try tables.insertPlan(year: data.int("year"), planID: data.string("planId"), seq: event.seq,
                                  rules: String(decoding: try CanonicalJSON.encode(data.value("rules")), as: UTF8.self))
        case MutualAidKinds.unitAdded:
            try tables.insertUnit(data.string("unit"), name: data.string("name"), seq: event.seq)
        case MutualAidKinds.memberEnrolled:
            try tables.insertEnrolment(MemberEnrolledData(data), seq: event.seq)
        case MutualAidKinds.memberLeft:
            try tables.recordLeft(member: data.string("member"), planYear: data.int("planYear"), on: data.string("date"))
        case MutualAidKinds.memberDetailsUpdated:
            guard try tables.updateCommitment(member: data.string("member"), commitment: data.string("commitment")) else {
                throw data.badField("names member \(try data.string("member")), who is not on the register")
            }
        case MutualAidKinds.memberErased:
            try tables.markErased(member: data.string("member"), seq: event.seq)
        case MutualAidKinds.contributionBilled:
            var billed = UnitContributionRecord()
            billed.billedHeadcount = try data.int("headcount")
            billed.billedUnit = Money(fen: try data.int("unitFen"))
            billed.billedSubsidy = Money(fen: try data.int("subsidyFen"))
            _ = try tables.addContributions(unit: data.string("unit"), planYear: data.int("planYear"), billed, mustExist: false)
        case MutualAidKinds.contributionReceived, MutualAidKinds.contributionRefunded:
            var moved = UnitContributionRecord()
            let amount = Money(fen: try data.int("amountFen"))
            if event.kind == MutualAidKinds.contributionReceived { moved.received = amount } else { moved.refunded = amount }
            _ = try tables.addContributions(unit: data.string("unit"), planYear: data.int("planYear"), moved, mustExist: false)
        case MutualAidKinds.subsidyReceived:
            _ = try tables.addSubsidy(planYear: data.int("planYear"), fen: data.int("amountFen"), mustExist: false)
        case MutualAidKinds.contributionReversed:
            try Self.reverseContribution(data, tables: tables)
            try writer.insertReversal(original: data.int("reverses"), reversal: event.seq)
        case MutualAidKinds.subsidyReversed:
            guard try tables.addSubsidy(planYear: data.int("planYear"), fen: -data.int("amountFen"), mustExist: true) else {
                throw data.badField("names plan year \(try data.int("planYear")), which received no subsidy")
            }
            try writer.insertReversal(original: data.int("reverses"), reversal: event.seq)
        case MutualAidKinds.claimFiled:
            try ClaimProjection.filed(event, data, tables: tables)
        case MutualAidKinds.claimReviewed, MutualAidKinds.claimApproved, MutualAidKinds.claimRejected, MutualAidKinds.claimPaid,
             MutualAidKinds.claimApprovalRevoked, MutualAidKinds.claimPaymentReturned:
            try ClaimProjection.progressed(event, data, tables: tables, writer: writer)
        default:
            break
        }
    }
}

extension MutualAidProjection {
    /// Takes a reversed bill, receipt or refund out of its unit's running sums, from the
    /// figures the `contribution.reversed` event copies from it (the audit checks the copy).
    static func reverseContribution(_ data: EventData, tables: any MutualAidTables) throws {
        let unit = try data.string("unit"), year = try data.int("planYear")
        var undone = UnitContributionRecord()
        switch try data.string("reversedKind") {
        case MutualAidKinds.contributionBilled.name:
            undone.billedHeadcount = -(try data.int("headcount"))
            undone.billedUnit = Money(fen: -(try data.int("unitFen")))
            undone.billedSubsidy = Money(fen: -(try data.int("subsidyFen")))
        case MutualAidKinds.contributionReceived.name:
            undone.received = Money(fen: -(try data.int("amountFen")))
        case MutualAidKinds.contributionRefunded.name:
            undone.refunded = Money(fen: -(try data.int("amountFen")))
        case let other:
            throw data.badField("reverses a \(other) event, which is not a contribution")
        }
        guard try tables.addContributions(unit: unit, planYear: year, undone, mustExist: true) else {
            throw data.badField("names unit \(unit), which has no contributions for \(year)")
        }
    }
}

/// Typed reads of an event's data, for projections of events the domain itself wrote.
struct EventData {
    let event: RecordedEvent

    init(_ event: RecordedEvent) { self.event = event }

    func value(_ key: String) throws -> JSONValue {
        guard let value = event.data[key] else { throw missing(key) }
        return value
    }

    func string(_ key: String) throws -> String {
        guard let text = event.data[key]?.stringValue else { throw missing(key) }
        return text
    }

    func optionalString(_ key: String) -> String? { event.data[key]?.stringValue }

    func int(_ key: String) throws -> Int64 {
        guard let number = event.data[key]?.integerValue else { throw missing(key) }
        return number
    }

    func optionalInt(_ key: String) -> Int64? { event.data[key]?.integerValue }

    func bool(_ key: String) -> Bool { event.data[key]?.boolValue ?? false }

    func missing(_ key: String) -> EventDecodingError {
        .badField("\(event.kind) at seq \(event.seq) lacks \(key)")
    }

    /// The event's data is well-formed but says something the tables contradict.
    func badField(_ reason: String) -> EventDecodingError {
        .badField("\(event.kind) at seq \(event.seq) \(reason)")
    }

    func intArray(_ key: String) throws -> [Int64] {
        guard let items = event.data[key]?.arrayValue else { throw missing(key) }
        return try items.map { item in
            guard let number = item.integerValue else { throw missing(key) }
            return number
        }
    }
}
