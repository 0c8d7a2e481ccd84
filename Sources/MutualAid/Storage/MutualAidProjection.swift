import GRDB
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
        guard let transaction = writer as? SQLiteLedgerStore.Transaction else {
            throw LedgerStoreError.notALedger("the mutual-aid projection needs the SQLite store")
        }
        let db = transaction.db
        let data = EventData(event)
        switch event.kind {
        case MutualAidKinds.planPublished:
            try db.run("INSERT OR REPLACE INTO plans (year, plan_id, seq, rules) VALUES (?, ?, ?, ?)",
                           arguments: [data.int("year"), data.string("planId"), event.seq,
                                       String(decoding: try CanonicalJSON.encode(data.value("rules")), as: UTF8.self)])
        case MutualAidKinds.unitAdded:
            try db.run("INSERT INTO units (unit_id, name, seq) VALUES (?, ?, ?)",
                           arguments: [data.string("unit"), data.string("name"), event.seq])
        case MutualAidKinds.memberEnrolled:
            try MemberEnrolledData(data).project(seq: event.seq, db: db)
        case MutualAidKinds.memberLeft:
            try db.run("UPDATE enrolments SET left_on = ? WHERE member_id = ? AND plan_year = ?",
                           arguments: [data.string("date"), data.string("member"), data.int("planYear")])
        case MutualAidKinds.memberDetailsUpdated:
            try db.run("UPDATE members SET commitment = ? WHERE member_id = ?", [data.string("commitment"), data.string("member")])
            guard db.changesCount == 1 else { throw data.badField("names member \(try data.string("member")), who is not on the register") }
        case MutualAidKinds.memberErased:
            try db.run("UPDATE members SET erased_seq = ? WHERE member_id = ?", [event.seq, data.string("member")])
        case MutualAidKinds.contributionBilled:
            try db.run("""
                INSERT INTO unit_contributions (unit_id, plan_year, billed_headcount, billed_unit_fen, billed_subsidy_fen)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (unit_id, plan_year) DO UPDATE SET billed_headcount = billed_headcount + excluded.billed_headcount,
                    billed_unit_fen = billed_unit_fen + excluded.billed_unit_fen,
                    billed_subsidy_fen = billed_subsidy_fen + excluded.billed_subsidy_fen
                """, [data.string("unit"), data.int("planYear"), data.int("headcount"), data.int("unitFen"),
                                 data.int("subsidyFen")])
        case MutualAidKinds.contributionReceived, MutualAidKinds.contributionRefunded:
            let column = event.kind == MutualAidKinds.contributionReceived ? "received_fen" : "refunded_fen"
            try db.run("""
                INSERT INTO unit_contributions (unit_id, plan_year, \(column)) VALUES (?, ?, ?)
                ON CONFLICT (unit_id, plan_year) DO UPDATE SET \(column) = \(column) + excluded.\(column)
                """, [data.string("unit"), data.int("planYear"), data.int("amountFen")])
        case MutualAidKinds.subsidyReceived:
            try db.run("""
                INSERT INTO subsidies (plan_year, received_fen) VALUES (?, ?)
                ON CONFLICT (plan_year) DO UPDATE SET received_fen = received_fen + excluded.received_fen
                """, [data.int("planYear"), data.int("amountFen")])
        case MutualAidKinds.contributionReversed:
            try Self.reverseContribution(event, data, db: db)
            try writer.insertReversal(original: data.int("reverses"), reversal: event.seq)
        case MutualAidKinds.subsidyReversed:
            try db.run("UPDATE subsidies SET received_fen = received_fen - ? WHERE plan_year = ?", [data.int("amountFen"), data.int("planYear")])
            guard db.changesCount == 1 else { throw data.badField("names plan year \(try data.int("planYear")), which received no subsidy") }
            try writer.insertReversal(original: data.int("reverses"), reversal: event.seq)
        case MutualAidKinds.claimFiled:
            try ClaimProjection.filed(event, data, db: db)
        case MutualAidKinds.claimReviewed, MutualAidKinds.claimApproved, MutualAidKinds.claimRejected, MutualAidKinds.claimPaid,
             MutualAidKinds.claimApprovalRevoked, MutualAidKinds.claimPaymentReturned:
            try ClaimProjection.progressed(event, data, db: db, writer: writer)
        default:
            break
        }
    }
}

extension MutualAidProjection {
    /// Takes a reversed bill, receipt or refund out of its unit's running sums, from the
    /// figures the `contribution.reversed` event copies from it (the audit checks the copy).
    static func reverseContribution(_ event: RecordedEvent, _ data: EventData, db: Database) throws {
        let unit = try data.string("unit"), year = try data.int("planYear")
        switch try data.string("reversedKind") {
        case MutualAidKinds.contributionBilled.name:
            try db.run("""
                UPDATE unit_contributions SET billed_headcount = billed_headcount - ?, billed_unit_fen = billed_unit_fen - ?,
                    billed_subsidy_fen = billed_subsidy_fen - ?
                WHERE unit_id = ? AND plan_year = ?
                """, [data.int("headcount"), data.int("unitFen"), data.int("subsidyFen"), unit, year])
        case MutualAidKinds.contributionReceived.name:
            try db.run("UPDATE unit_contributions SET received_fen = received_fen - ? WHERE unit_id = ? AND plan_year = ?",
                       [data.int("amountFen"), unit, year])
        case MutualAidKinds.contributionRefunded.name:
            try db.run("UPDATE unit_contributions SET refunded_fen = refunded_fen - ? WHERE unit_id = ? AND plan_year = ?",
                       [data.int("amountFen"), unit, year])
        case let other:
            throw data.badField("reverses a \(other) event, which is not a contribution")
        }
        guard db.changesCount == 1 else { throw data.badField("names unit \(unit), which has no contributions for \(year)") }
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
