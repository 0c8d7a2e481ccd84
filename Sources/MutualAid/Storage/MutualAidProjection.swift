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

    /// The plan's money steps are followed by its registers (a unit's contributions, a claim's
    /// state, the caps used), which a plain reversal would leave behind: it is refused, and
    /// the plan's own correction named where there is one.
    public func reversalRefusal(of kind: EventKind) -> String? {
        guard mayApply(to: kind) else { return nil }
        let register = "the mutual-aid register follows \(kind) events, and a plain reversal would undo the postings but not the register"
        switch kind {
        case MutualAidKinds.contributionReceived:
            return register + "; return money received in error with `huzhu contribution refund`"
        case MutualAidKinds.contributionRefunded:
            return register + "; record the money coming back with `huzhu contribution receive`"
        default:
            return register + "; the plan has no correction for a \(kind) event yet"
        }
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
        case MutualAidKinds.claimFiled:
            try ClaimProjection.filed(event, data, db: db)
        case MutualAidKinds.claimReviewed, MutualAidKinds.claimApproved, MutualAidKinds.claimRejected, MutualAidKinds.claimPaid:
            try ClaimProjection.progressed(event, data, db: db)
        default:
            break
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
}
