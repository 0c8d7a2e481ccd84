import Foundation
import Ledger
import MutualAid
import MutualAidPostgres
import MutualAidSQLite
import Testing

/// The mutual-aid register's ports (`Sources/MutualAid/Ports`), run against both stores:
/// the demo's plan year moved into PostgreSQL (`db copy`, which rebuilds the register there
/// through the projections), then the same further work recorded on both through the same
/// commands (PostgreSQL's batch paths: a roster, a settlement file, batch decisions, a
/// payment run), and every read of every port asked of both. The file's SQLite register is
/// the reference; a few answers are also held to what the books say.
@Suite("the mutual-aid register's ports, on SQLite and on PostgreSQL")
struct RegisterConformanceTests {
    /// Recorded on the file before the copy: what draws a fresh salt for a member's personal
    /// data (details updated, a member enrolled), which would make the two ledgers' events
    /// differ if recorded on each.
    static let personalWork: [[String]] = [
        ["member", "update", "m0000000006d7", "--phone", "13900001111", "--bank-card", "6222020200112233445", "--reason", "原卡已销户", "--key", "clerk.key"],
        ["member", "enroll", "--unit", "U006", "--year", "2026", "--name", "张三", "--resident-id", "11010519491231002X", "--phone", "13800138000",
         "--bank-card", "6222000000000000001", "--date", "2026-12-05", "--key", "clerk.key"],
    ]

    /// The commands recorded on both stores after the copy, at one fixed time (`HUZHU_NOW`),
    /// so both ledgers get the same events: the register changes the demo does not make (a
    /// leaver, an erasure, a subsidy, a refund, a bill), claims imported, decided in batches
    /// and paid, and the statement index again.
    static let furtherWork: [[String]] = [
        ["member", "leave", "m0000000006d8", "--year", "2026", "--date", "2026-12-04", "--reason", "调离", "--key", "clerk.key"],
        ["member", "erase", "m0000000006da", "--reason", "本人申请删除", "--key", "admin.key"],
        ["contribution", "subsidy", "--year", "2026", "--amount", "1,234.56", "--ref", "补助-追加", "--date", "2026-12-05", "--key", "clerk.key"],
        ["contribution", "approve-refund", "--unit", "U003", "--year", "2026", "--amount", "60", "--ref", "RF-1", "--date", "2026-12-05", "--key", "approver-1.key"],
        ["contribution", "refund", "--unit", "U003", "--year", "2026", "--amount", "60", "--reason", "1 人调出", "--ref", "RF-1", "--date", "2026-12-05", "--key", "clerk.key"],
        ["contribution", "bill", "--year", "2026", "--unit", "U006", "--date", "2026-12-05", "--key", "clerk.key"],
        ["claim", "import", "december.csv", "--filed-on", "2026-12-06", "--key", "clerk.key"],
        ["claim", "review", "--all", "--year", "2026", "--note", "材料齐全", "--key", "approver-1.key"],
        ["claim", "approve", "--all", "--year", "2026", "--assessed-max", "5000", "--date", "2026-12-06", "--key", "approver-2.key"],
        ["claim", "pay", "--all", "--batch", "PAY-2026-12", "--out", "pay-2026-12.csv", "--date", "2026-12-07", "--key", "clerk.key"],
        ["member", "index", "--key", "admin.key"],
    ]

    /// One hospital settlement for December for each of `members`.
    static func settlements(_ members: [String]) -> String {
        "member,benefit,settlement_id,service_date,total_cost,covered,own_share,documents\n" + members.enumerated().map { index, member in
            "\(member),hospital,YB202612\(String(format: "%04d", index)),2026-12-0\(index % 5 + 1),\(10_000 + index * 370),\(6_000 + index * 200),"
                + "\(4_000 + index * 170),互助金申请表;出院小结;医保结算单;住院发票;会员身份证复印件"
        }.joined(separator: "\n") + "\n"
    }

    @Test("every read of the register answers alike from a ledger file and from PostgreSQL, after the same work")
    func sameAnswers() throws {
        let books = try CLILedger()
        var demo = books.cli
        demo.environment["HUZHU_NOW"] = "2026-12-07T02:00:00Z"
        try demo.ok(["demo", "--dir", "year"])
        let file = books.path("year/huzhu.db"), database = try CLILedger.freshDatabase()
        let inYear = CLI(directory: books.path("year"), environment: ["HUZHU_DB": file, "HUZHU_NOW": "2026-12-07T02:00:00Z"])
        for command in Self.personalWork { try inYear.ok(command) }
        try demo.ok(["db", "copy", file, database])
        let members = try MutualAidBook.open(path: file).members(year: 2026, limit: 60).map(\.member)
        try books.write("year/december.csv", Self.settlements(Array(members.suffix(40))))
        for location in [file, database] {
            let cli = CLI(directory: books.path("year"), environment: ["HUZHU_DB": location, "HUZHU_NOW": "2026-12-07T02:00:00Z"])
            for command in Self.furtherWork { try cli.ok(command) }
        }
        let reference = MutualAidBook(ledger: try HuzhuLedger.open(path: file))
        let postgres = MutualAidBook(ledger: try HuzhuLedger.open(url: database))
        let (expected, found) = (try Self.answers(reference), try Self.answers(postgres))
        #expect(expected.count > 2_000, "\(expected.count) questions")
        #expect(found.count == expected.count)
        for (question, answer) in expected {
            #expect(found[question] == answer, "\(question): PostgreSQL answers \(found[question] ?? "nothing"), the file \(answer)")
        }
        // Both ledgers hold the same events, so their statement indexes are the same.
        #expect(try HuzhuLedger.open(path: file).read { try $0.size() } == (try HuzhuLedger.open(url: database).read { try $0.size() }))
        // And a few of the answers are what the work recorded.
        #expect(expected["units"]?.contains("U006") == true)
        #expect(expected["claim ids paid in 2026"]?.isEmpty == false)
        #expect(expected["erased residents"]?.contains("m0000000006da") == true, "\(expected["erased residents"] ?? "")")
        #expect(expected["enrolment terms of m0000000006d8"]?.contains("2026-12-04") == true, "\(expected["enrolment terms of m0000000006d8"] ?? "")")
        #expect(expected["batch PAY-2026-12 paid"] != "0", "\(expected["batch PAY-2026-12 paid"] ?? "")")
    }

    /// Every read of every port, each question's answer written out in one order (a
    /// dictionary's keys sorted), so that two registers that hold the same give the same text.
    static func answers(_ book: MutualAidBook) throws -> [String: String] {
        let indexSeq = try book.ledger.read { try $0.seqs(ofKind: MutualAidKinds.statementsIndexed).last }
        return try book.read { register in
            var answers: [String: String] = [:]
            func ask(_ question: String, _ answer: () throws -> Any?) throws {
                answers[question] = describe(try answer())
            }
            let year = 2026
            let from = try LedgerDate("2026-01-01"), through = try LedgerDate("2026-12-31"), october = try LedgerDate("2026-10-15")
            let units = try register.units(limit: .max)
            try ask("units") { units }
            try ask("published plan rules") { try register.publishedPlanRules(limit: 10) }
            try ask("publications of 2026") { try register.publishedPlans(year: year) }
            try ask("billed net of refunds") { try register.billedNetOfRefunds(planYear: year) }
            try ask("contribution reversals") { try register.contributionReversals(from: from, through: through) }
            try ask("unit summaries") { try register.unitSummaries(planYear: year) }
            try ask("any erased residents") { try register.anyErasedResidents() }
            for (unit, _) in units {
                try ask("unit name \(unit)") { try register.unitName(unit) }
                try ask("unit year \(unit)") { try register.unitYear(unit: unit, planYear: year) }
                try ask("enrolled count \(unit)") { try register.enrolledCount(unit: unit, planYear: year) }
                try ask("contributions \(unit)") { try register.contributions(unit: unit, planYear: year) }
                try ask("enrolments \(unit)") { try register.enrolments(unit: unit, planYear: year, limit: 25) }
                try ask("claims of unit \(unit)") { try register.claims(unit: unit, planYear: year, limit: .max) }
            }
            try ask("approved claims") { try register.approvedClaims(from: from, through: through, planYear: year) }
            try ask("approved claims, any year") { try register.approvedClaims(from: from, through: through, planYear: nil) }
            try ask("paid claims") { try register.paidClaims(from: from, through: through) }
            try ask("pending claims mid-October") { try register.pendingClaims(at: october) }
            try ask("pending claims at the end") { try register.pendingClaims(at: through) }
            try ask("rejected claims") { try register.rejectedClaims(from: from, through: through) }
            try ask("claims of the year") { try register.claimsOfSpan(from: from, through: through, limit: .max) }
            try ask("unpaid approved claims") { try register.unpaidApprovedClaims(from: from, through: through) }
            try ask("batch PAY-2026-12 paid") { try register.batchPaidFen("PAY-2026-12") }
            try ask("batch PAY-2026-12 payments") { try register.standingPayments(batch: "PAY-2026-12") }
            var all = ClaimFilter()
            all.planYear = year
            try ask("claim ids paid in 2026") { try register.claimIDs(all, states: [.paid]) }
            try ask("claim ids approved or reviewed") { try register.claimIDs(all, states: [.approved, .reviewed, .partlyApproved]) }
            var claims: [ClaimRecord] = []
            try register.forEachClaim(all, states: nil) { claims.append($0) }
            try ask("every claim") { claims }
            for claim in claims {
                try ask("claim \(claim.claim)") { try register.claim(claim.claim) }
                try ask("claim step \(claim.claim)") { try register.claimForStep(claim.claim) }
                try ask("corrected \(claim.claim)") { try register.correctedSeq(claim: claim.claim) }
                try ask("cap usage \(claim.claim)") { try register.capUsage(member: claim.member, planYear: year, benefit: claim.benefit) }
            }
            var listed: [MemberListing] = []
            try register.forEachMember(planYear: year, unit: nil, limit: nil) { listed.append($0) }
            try ask("members") { listed }
            let asked = Set(listed.map(\.member)).union(["m0000000006d7", "m0000000006d8", "m0000000006da"]).sorted()
            for member in asked.prefix(300) + asked.filter({ $0.hasPrefix("m0000000006d") }) {
                try ask("enrolment of \(member)") { try register.enrolment(member: member, planYear: year) }
                try ask("enrolment terms of \(member)") { try register.enrolmentTerms(member: member, planYear: year) }
                try ask("claimant \(member)") { try register.claimant(member: member) }
                try ask("on file \(member)") { try register.memberOnFile(member) }
                try ask("caps used \(member)") { try register.capsUsed(member: member) }
            }
            if let enrolment = try register.enrolment(member: "m0000000006d7", planYear: year) {
                try ask("statement events of m0000000006d7") {
                    try register.statementEventSeqs(member: "m0000000006d7", unit: enrolment.unit, enrolmentSeq: enrolment.seq, planYear: year)
                }
            }
            var personal: [String] = []
            try register.forEachMemberPersonal { member, standing, stored in personal.append("\(member) \(describe(standing)) \(describe(stored))") }
            try ask("member personal data") { personal.sorted() }
            var claimPersonal: [String] = []
            try register.forEachClaimPersonal { claim, stored in claimPersonal.append("\(claim) \(describe(stored))") }
            try ask("claim personal data") { claimPersonal.sorted() }
            var erased: [String] = []
            try register.forEachErasedResident { hash, member, seq in erased.append("\(hash) \(member) \(seq)") }
            try ask("erased residents") { erased.sorted() }
            if let first = erased.first?.split(separator: " ").first {
                try ask("erased resident lookup") { try register.erasedResidents(hash: String(first)) }
            }
            try ask("resident lookup") { try register.personal(residentID: "11010519491231002X") }
            if let indexSeq {
                try ask("kept statement leaves") { try register.keptStatementLeaves(indexSeq: indexSeq) }
                try ask("kept statement entry of U001") { try register.keptStatementEntry(subject: "unit:U001", indexSeq: indexSeq) }
            }
            return answers
        }
    }

    /// An answer as text, field by field, in one order whatever order a store returned a
    /// dictionary or set in (so only what is held can differ, not how it was fetched).
    static func describe(_ value: Any?) -> String {
        guard let value else { return "nil" }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.map { describe($0.value) } ?? "nil"
        case .dictionary:
            return "[" + mirror.children.map { pair in
                let parts = Mirror(reflecting: pair.value).children.map { describe($0.value) }
                return parts.joined(separator: ": ")
            }.sorted().joined(separator: ", ") + "]"
        case .set:
            return "{" + mirror.children.map { describe($0.value) }.sorted().joined(separator: ", ") + "}"
        case .collection:
            return "[" + mirror.children.map { describe($0.value) }.joined(separator: ", ") + "]"
        case .struct, .class, .tuple:
            return "\(mirror.subjectType)(" + mirror.children.map { "\($0.label ?? ""): \(describe($0.value))" }.joined(separator: ", ") + ")"
        case .enum where !mirror.children.isEmpty:
            return "\(mirror.subjectType)(" + mirror.children.map { "\($0.label ?? ""): \(describe($0.value))" }.joined(separator: ", ") + ")"
        default:
            return String(describing: value)
        }
    }
}
