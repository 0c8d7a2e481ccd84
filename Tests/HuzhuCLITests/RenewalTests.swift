import Foundation
import Ledger
import Testing

/// Renewing a unit's members for the next plan year through the real binary: who is renewed,
/// that coverage continues (no new waiting period), the changes file's joiners and leavers,
/// and what is refused with the ledger left as it was.
@Suite("huzhu member renew", .serialized)
struct RenewalTests {
    /// A changes file: `rows` are (roster row without its header, change cell).
    static func changes(_ rows: [(String, String)]) -> String {
        "姓名,身份证号,手机号,银行卡号,变动\n" + rows.map { "\($0.0),\($0.1)\n" }.joined()
    }

    static func rosterRow(_ index: Int) -> String {
        MutualAidBooks.roster(count: 1, start: index).split(separator: "\n")[1].description
    }

    static func listed(_ plan: MutualAidBooks, year: Int) throws -> [String: String] {
        let json = try plan.cli.ok(["member", "list", "--year", "\(year)", "--format", "json"])
        let list = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [[String: Any]]
        return Dictionary(uniqueKeysWithValues: list.map { ($0["member"] as! String, $0["coverageStart"] as! String) })
    }

    @Test("last year's members are renewed with their coverage continuing; leavers, those who left and the erased are not; joiners are enrolled",
          arguments: CLILedger.Store.allCases)
    func renewsTheUnit(store: CLILedger.Store) throws {
        let plan = try MutualAidBooks(members: 6, store: store)
        let members = plan.members
        try plan.cli.ok(["member", "leave", members[0], "--year", "2026", "--date", "2026-06-30", "--reason", "调离", "--key", "clerk.key"])
        try plan.cli.ok(["member", "erase", members[2], "--reason", "本人申请删除", "--key", "admin.key"])
        // A 90-day waiting period for the medical benefit's new participants.
        try plan.publishOwnSharePlan2027 { $0.replacingOccurrences(of: "minimumPayout = \"20.00\"", with: "minimumPayout = \"20.00\"\nwaitingDays = 90") }
        try plan.books.write("changes.csv", Self.changes([(Self.rosterRow(1), "退出"), (Self.rosterRow(40), "加入")]))

        let out = try plan.cli.ok(["member", "renew", "--unit", "U001", "--from", "2026", "--year", "2027", "--roster", "changes.csv",
                                   "--date", "2026-11-10", "--key", "clerk.key"])
        #expect(out.contains("renewing 3 of 2026's members and 1 joiner(s) for 2027; not renewed: 1 left during 2026, 1 leaving, 1 erased"), "\(out)")
        #expect(out.contains("enrolled 4; already enrolled 0; rejected 0"), "\(out)")

        let renewed = try Self.listed(plan, year: 2027)
        #expect(Set(renewed.keys).isSuperset(of: members[3...5]) && renewed.count == 4, "\(renewed)")
        for member in members[3...5] { #expect(renewed[member] == "2026-01-01") }
        let joiner = try #require(renewed.keys.first { !members.contains($0) })
        #expect(renewed[joiner] == "2027-01-01")

        // Continuing coverage: a renewed member's claim early in 2027 is paid, a joiner's is
        // within the waiting period.
        try plan.cli.ok(["contribution", "bill", "--year", "2027", "--date", "2026-12-21", "--key", "clerk.key"])
        try plan.cli.ok(["contribution", "receive", "--unit", "U001", "--year", "2027", "--amount", "120", "--bank-ref", "B-2027",
                         "--date", "2026-12-28", "--key", "clerk.key"])
        let continuing = try plan.file(members[3], settlement: "R1", service: "2027-01-10", filed: "2027-01-12", extra: plan.medical(ownShare: "1000")).1
        #expect(continuing.contains("payout 150.00"), "\(continuing)")
        let waiting = try plan.file(joiner, settlement: "R2", service: "2027-01-10", filed: "2027-01-12", extra: plan.medical(ownShare: "1000")).1
        #expect(waiting.contains("REJECTED") && waiting.contains("90-day waiting period"), "\(waiting)")

        // Run again, the same changes: nothing new is written.
        let before = try plan.books.lastSeq()
        let again = try plan.cli.ok(["member", "renew", "--unit", "U001", "--from", "2026", "--year", "2027", "--roster", "changes.csv",
                                     "--date", "2026-11-10", "--key", "clerk.key"])
        #expect(again.contains("enrolled 0; already enrolled 4; rejected 0"), "\(again)")
        #expect(try plan.books.lastSeq() == before)
        let audit = try plan.books.audit()
        #expect(audit.status == 0 && audit.findings.isEmpty, "\(audit.findings)")
    }

    @Test("a leaver who was not last year's member, a bad change, the wrong years or a date outside enrolment are refused, and nothing is written")
    func refusals() throws {
        let plan = try MutualAidBooks(members: 3)
        try plan.publishOwnSharePlan2027()
        let before = try plan.books.lastSeq()
        func refused(_ extra: [String], _ expected: String, unit: String = "U001", date: String = "2026-11-10") throws {
            let result = try plan.cli.run(["member", "renew", "--unit", unit, "--date", date, "--key", "clerk.key"] + extra)
            #expect(result.status != 0, "\(extra)")
            #expect(result.stderr.contains(expected), "\(result.stderr)")
        }
        try plan.books.write("stranger.csv", Self.changes([(Self.rosterRow(1), "leave"), (Self.rosterRow(50), "leave")]))
        try refused(["--from", "2026", "--year", "2027", "--roster", "stranger.csv"], "row 3: resident ID")
        try refused(["--from", "2026", "--year", "2027", "--roster", "stranger.csv"], "is leaving, but was not enrolled for 2026 through unit U001")
        try plan.books.write("bad.csv", Self.changes([(Self.rosterRow(1), "转出")]))
        try refused(["--from", "2026", "--year", "2027", "--roster", "bad.csv"], "row 2")
        try refused(["--from", "2026", "--year", "2027", "--roster", "bad.csv"], "a change is join (加入) or leave (退出)")
        try refused(["--from", "2026", "--year", "2028"], "--from 2027 --year 2028")
        try refused(["--from", "2027", "--year", "2028"], "2028")
        try refused(["--from", "2026", "--year", "2027"], "enrols from", date: "2028-01-05")
        try refused(["--from", "2026", "--year", "2027"], "no such unit", unit: "U999")
        #expect(try plan.books.lastSeq() == before)

        // --skip-invalid renews the rest and reports the stranger.
        let skipped = try plan.cli.ok(["member", "renew", "--unit", "U001", "--from", "2026", "--year", "2027", "--roster", "stranger.csv",
                                       "--date", "2026-11-10", "--skip-invalid", "--key", "clerk.key"])
        #expect(skipped.contains("enrolled 2; already enrolled 0; rejected 1"), "\(skipped)")
    }
}
