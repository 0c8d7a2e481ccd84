import Ledger

/// A plan as the log holds it for one year: its first publication and its amendments, in
/// the order they were published.
///
/// Which rules assess a claim is decided here, the one way filing and the audit both use:
/// among the publications recorded before the claim, the newest whose rules are in force
/// on its service date. A first publication is in force from the term's start; an
/// amendment from its effective day. So an amendment changes the payout of later service
/// dates only, and never a claim already filed.
public struct PublishedPlan: Sendable {
    public struct Version: Sendable {
        /// The seq of the `plan.published` event.
        public let seq: Int64
        /// The day an amendment takes effect; nil for the first publication.
        public let effective: LedgerDate?
        public let rules: PlanRules

        public init(seq: Int64, effective: LedgerDate?, rules: PlanRules) {
            self.seq = seq
            self.effective = effective
            self.rules = rules
        }
    }

    /// Never empty; by seq.
    public let versions: [Version]

    public init(versions: [Version]) {
        precondition(!versions.isEmpty, "a published plan has at least one publication")
        self.versions = versions.sorted { $0.seq < $1.seq }
    }

    /// The plan with `version`, published after every version it has, added: what a replay
    /// of the log (the audit) keeps as it reads each publication, without sorting again.
    public func appending(_ version: Version) -> PublishedPlan {
        precondition(version.seq > current.seq, "publications are appended in seq order")
        return PublishedPlan(sorted: versions + [version])
    }

    private init(sorted versions: [Version]) {
        self.versions = versions
    }

    public var id: String { versions[0].rules.id }
    public var year: Int { versions[0].rules.year }
    /// The plan as it stands: its newest publication.
    public var current: Version { versions[versions.count - 1] }

    /// The publication that assesses a claim for service on `date` recorded at seq `before`
    /// (the next seq, for a claim about to be filed).
    public func version(inForceOn date: LedgerDate, before seq: Int64 = .max) -> Version? {
        versions.last { $0.seq < seq && ($0.effective.map { $0 <= date } ?? true) }
    }

    /// The plans of `records`, one per plan id, in the order first published.
    public static func plans(_ records: [PublishedPlanRecord]) throws -> [PublishedPlan] {
        var order: [String] = []
        var versions: [String: [Version]] = [:]
        for record in records.sorted(by: { $0.seq < $1.seq }) {
            let rules = try PlanRules(json: try JSONParser.parse(record.rules))
            let effective = try record.effective.map { try LedgerDate($0) }
            if versions[record.planID] == nil { order.append(record.planID) }
            versions[record.planID, default: []].append(Version(seq: record.seq, effective: effective, rules: rules))
        }
        return order.compactMap { versions[$0].map(PublishedPlan.init(versions:)) }
    }
}
