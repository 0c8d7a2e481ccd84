import Foundation
import Ledger

extension MutualAidBook {
    /// Publishes a plan file into the log: the parsed rules in canonical form (what every
    /// later computation uses), the file's text and its SHA-256 (what people edited).
    ///
    /// Publishing again for the same year amends the plan from then on; claims record
    /// the seq of the rules they were computed with.
    @discardableResult
    public func publishPlan(text: String, file: String, signer: SigningKey) throws -> Int64 {
        let rules = try PlanRulesLoader.load(text, file: file)
        return try ledger.append(signer: signer) { session in
            try session.requireSigner(mayRecord: MutualAidKinds.planPublished)
            let register = try MutualAidBook.tables(session)
            try MutualAidBook.checkPublishable(rules, in: session.store)
            if let existing = try MutualAidBook.plan(year: rules.year, in: register), existing.rules == rules {
                return existing.seq
            }
            return try session.append(PlanPublishedEvent(planID: rules.id, year: Int64(rules.year), rules: rules.json, source: text,
                                                         sourceSHA256: SHA256Hash.of(Array(text.utf8)).hex,
                                                         file: URL(fileURLWithPath: file).lastPathComponent).draft()).seq
        }
    }
}

extension MutualAidBook {
    /// Checks `rules` against this ledger as publishing them would, writing nothing: for
    /// `huzhu plan publish --check`, so a file called valid is one that publishes.
    public func checkPublishable(_ rules: PlanRules) throws {
        try ledger.read { try MutualAidBook.checkPublishable(rules, in: $0) }
    }

    /// What publishing `rules` needs of the ledger: every account the rules name open in its
    /// chart, and a term that overlaps no other year's (a day of service belongs to one plan
    /// year: terms that overlap would send a claim to whichever year it names, with its caps).
    static func checkPublishable(_ rules: PlanRules, in reader: any LedgerStoreReader) throws {
        for benefit in rules.benefits where try reader.account(benefit.expenseAccount) == nil {
            throw LedgerRuleError.unknownAccount(benefit.expenseAccount)
        }
        for (_, code) in rules.accounts.roles where try reader.account(code) == nil {
            throw LedgerRuleError.unknownAccount(code)
        }
        for other in try PlanControls.publishedPlans(in: mutualAidRecords(reader)) where other.year != rules.year {
            if rules.term.overlaps(other.term) {
                throw MutualAidRuleError("the \(rules.year) plan's term \(rules.term.start) to \(rules.term.end) overlaps the \(other.year) plan's, \(other.term.start) to \(other.term.end); a day of service belongs to one plan year")
            }
        }
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
