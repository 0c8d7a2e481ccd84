import Foundation
import Ledger

/// What publishing a plan file did.
public struct PlanPublication: Sendable {
    /// The `plan.published` event: new, or the one that already holds these rules.
    public let seq: Int64
    /// True when the plan already stood as the file says, so nothing was written.
    public let wasAlreadyPublished: Bool
    /// For an amendment, what it changed.
    public let changes: PlanChanges?
}

extension MutualAidBook {
    /// Publishes a plan file into the log: the parsed rules in canonical form (what every
    /// later computation uses), the file's text and its SHA-256 (what people edited).
    ///
    /// A plan id published for the year already is changed only by an amendment, which
    /// says from which day and why (`PublishedPlan` says which claims it assesses); the
    /// same rules again are already published and write nothing.
    @discardableResult
    public func publishPlan(text: String, file: String, signer: SigningKey, amendment: PlanAmendment? = nil) throws -> PlanPublication {
        let rules = try PlanRulesLoader.load(text, file: file)
        return try ledger.append(signer: signer) { session in
            try session.requireSigner(mayRecord: MutualAidKinds.planPublished)
            let register = try MutualAidBook.tables(session)
            let changes = try MutualAidBook.checkPublishable(rules, amendment: amendment, in: session.store)
            if let existing = try MutualAidBook.publishedPlans(year: rules.year, in: register).first(where: { $0.id == rules.id }),
               existing.current.rules == rules {
                return PlanPublication(seq: existing.current.seq, wasAlreadyPublished: true, changes: nil)
            }
            let seq = try session.append(PlanPublishedEvent(planID: rules.id, year: Int64(rules.year), rules: rules.json, source: text,
                                                            sourceSHA256: SHA256Hash.of(Array(text.utf8)).hex,
                                                            file: URL(fileURLWithPath: file).lastPathComponent,
                                                            amendment: changes == nil ? nil : amendment).draft()).seq
            return PlanPublication(seq: seq, wasAlreadyPublished: false, changes: changes)
        }
    }
}

extension MutualAidBook {
    /// Checks `rules` against this ledger as publishing them would, writing nothing: for
    /// `huzhu plan publish --check`, so a file called valid is one that publishes.
    /// Returns what an amendment would change.
    @discardableResult
    public func checkPublishable(_ rules: PlanRules, amendment: PlanAmendment? = nil) throws -> PlanChanges? {
        try ledger.read { try MutualAidBook.checkPublishable(rules, amendment: amendment, in: $0) }
    }

    /// What publishing `rules` needs of the ledger: every account the rules name open in its
    /// chart; a term that overlaps no other year's (a day of service belongs to one plan
    /// year: terms that overlap would send a claim to whichever year it names, with its caps);
    /// and, for a plan id the year has already, an amendment that changes only what an
    /// amendment may (`PlanChanges`), from a day of the term. Returns the amendment's changes
    /// (nil for a first publication, or for the rules already in force).
    static func checkPublishable(_ rules: PlanRules, amendment: PlanAmendment?, in reader: any LedgerStoreReader) throws -> PlanChanges? {
        for benefit in rules.benefits where try reader.account(benefit.expenseAccount) == nil {
            throw LedgerRuleError.unknownAccount(benefit.expenseAccount)
        }
        for (_, code) in rules.accounts.roles where try reader.account(code) == nil {
            throw LedgerRuleError.unknownAccount(code)
        }
        let records = try mutualAidRecords(reader)
        for other in try PlanControls.publishedPlans(in: records) where other.year != rules.year {
            if rules.term.overlaps(other.term) {
                throw MutualAidRuleError("the \(rules.year) plan's term \(rules.term.start) to \(rules.term.end) overlaps the \(other.year) plan's, \(other.term.start) to \(other.term.end); a day of service belongs to one plan year")
            }
        }
        let year = try publishedPlans(year: rules.year, in: records)
        guard let existing = year.first(where: { $0.id == rules.id }) else {
            if let other = year.first {
                throw MutualAidRuleError("\(rules.year) already has plan \(other.id) (seq \(other.current.seq)); a ledger holds one plan per plan year, so publish this file's rules as an amendment of \(other.id): give it id = \"\(other.id)\" and publish with --amend")
            }
            if amendment != nil {
                throw LedgerInputError(field: "amend", value: rules.id, reason: "there is nothing to amend: no plan \(rules.id) is published for \(rules.year); publish it without --amend")
            }
            return nil
        }
        let changes = PlanChanges(from: existing.current.rules, to: rules)
        if changes.isEmpty { return nil }
        let listed = changes.lines.map { "  " + $0 }.joined(separator: "\n")
        guard let amendment else {
            throw MutualAidRuleError("plan \(rules.id) for \(rules.year) is already published (seq \(existing.current.seq)) with other rules; to change them from a day of the term, publish with --amend --effective YYYY-MM-DD --reason \"…\". This file changes:\n" + listed)
        }
        if !changes.refused.isEmpty {
            throw MutualAidRuleError("an amendment changes what claims are paid (the benefits, the name, the annual cap) and may not change " + changes.refused.joined(separator: ", ") + "; bills, decisions and postings already recorded rest on them. This file changes:\n" + listed)
        }
        guard rules.term.contains(amendment.effective) else {
            throw LedgerInputError(field: "effective", value: amendment.effective.text, reason: "an amendment takes effect on a day of the plan's term, \(rules.term.start) to \(rules.term.end)")
        }
        let reason = amendment.reason.trimmingSpaces()
        guard !reason.isEmpty, reason.count <= PlanAmendment.reasonLengthMax, reason == amendment.reason else {
            throw LedgerInputError(field: "reason", value: amendment.reason, reason: "an amendment needs a reason of 1 to \(PlanAmendment.reasonLengthMax) characters, without leading or trailing spaces")
        }
        return changes
    }

    /// The plans published for `year`, one per plan id, with their amendments.
    static func publishedPlans(year: Int, in records: any MutualAidRecords) throws -> [PublishedPlan] {
        try PublishedPlan.plans(records.publishedPlans(year: year))
    }
}

extension MutualAidBook {
    /// Adds a work unit (基层单位) whose members enrol through it.
    @discardableResult
    public func addUnit(_ id: UnitID, name: String, signer: SigningKey) throws -> Int64 {
        let trimmed = name.trimmingSpaces()
        guard !trimmed.isEmpty, trimmed.count <= 100 else {
            throw LedgerInputError(field: "name", value: name, reason: "a unit needs a name of 1 to 100 characters")
        }
        return try ledger.append(signer: signer) { session in
            let register = try MutualAidBook.tables(session)
            if try register.unitName(id.value) != nil {
                throw MutualAidRuleError("unit \(id) already exists")
            }
            return try session.append(UnitAddedEvent(unit: id.value, name: trimmed).draft()).seq
        }
    }

    public struct UnitSummary: Sendable {
        public let id: String
        public let name: String
        public let members: Int
    }

    public func units(year: Int) throws -> [UnitSummary] {
        try read { try $0.unitSummaries(planYear: year).map { UnitSummary(id: $0.id, name: $0.name, members: $0.members) } }
    }
}
