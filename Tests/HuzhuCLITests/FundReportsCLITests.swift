import Foundation
import Testing

/// A mutual-aid ledger made through the CLI with the own-share-15% plan for 2026
/// (60 yuan a head: 30 from the unit, 30 the union's subsidy), whose fund figures the
/// tests below work out by hand, in fen.
///
/// Units and members (enrolled 2025-11-15, billed 2025-12-21):
///
/// | unit | members        | billed unit / subsidy | received               |
/// |------|----------------|-----------------------|------------------------|
/// | U001 | 张三丰 李四 王五 | 90.00 / 90.00          | 90.00 on 2025-12-28     |
/// | U002 | 赵六 钱七       | 60.00 / 60.00          | 60.00 on 2026-01-10     |
/// | U003 | 孙八            | 30.00 / 30.00          | nothing (not covered)   |
///
/// The union's subsidy: 150.00 received 2026-03-18 (of 180.00 billed).
///
/// | claim | member | benefit        | filed      | assessed  | what happened                                             |
/// |-------|--------|----------------|------------|-----------|-----------------------------------------------------------|
/// | c1    | 张三丰  | medical        | 2026-02-10 |    300.00 | approved 02-20, paid 03-05                                |
/// | c2    | 李四    | accident-death | 2026-03-02 | 20,000.00 | two approvers 03-10 and 03-12 (≥ 5,000), paid 03-20       |
/// | c3    | 王五    | medical        | 2026-03-03 |           | rejected by the rules: 15.00 is below the 20.00 minimum   |
/// | c4    | 孙八    | medical        | 2026-03-05 |           | rejected by the rules: U003 has not paid                  |
/// | c5    | 赵六    | medical        | 2026-03-15 |    150.00 | reviewed, rejected by an approver 03-25                   |
/// | c6    | 钱七    | medical        | 2026-03-28 |    120.00 | reviewed: pending                                         |
/// | c7    | 张三丰  | medical        | 2026-03-29 |     90.00 | approved 03-30, not paid                                  |
struct FundBooks {
    let books: CLILedger
    let claims: [String: String]

    init() throws {
        books = try CLILedger(name: "测试市总工会职工医疗互助")
        let cli = books.cli
        for approver in ["approver1", "approver2"] {
            try cli.ok(["key", "new", "--out", "\(approver).key"])
            try cli.ok(["key", "register", "--key", "admin.key", "--key-file", "\(approver).key", "--roles", "approver", "--holder", "审批人\(approver.suffix(1))"])
        }
        let plan = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("plans/own-share-15pct-2026.toml").path
        try cli.ok(["plan", "publish", plan, "--key", "admin.key"])
        let units = [("U001", "市机械厂工会", ["张三丰", "李四", "王五"]), ("U002", "市纺织厂工会", ["赵六", "钱七"]), ("U003", "市第一中学工会", ["孙八"])]
        var serial = 11
        for (unit, name, people) in units {
            try cli.ok(["unit", "add", unit, "--name", name, "--key", "clerk.key"])
            var roster = "name,resident_id,bank_card\n"
            for person in people {
                roster += "\(person),\(residentID("110105198001010\(serial)")),62220200001234\(serial)\n"
                serial += 2
            }
            try books.write("roster-\(unit).csv", roster)
            try cli.ok(["member", "enroll", "--unit", unit, "--year", "2026", "--roster", "roster-\(unit).csv", "--date", "2025-11-15", "--key", "clerk.key"])
        }
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(try cli.ok(["member", "list", "--year", "2026", "--format", "json"]).utf8))
            as? [[String: Any]])
        var members: [String: String] = [:]
        for member in listed {
            members[String((member["name"] as! String).prefix(1))] = member["member"] as? String
        }
        try cli.ok(["contribution", "bill", "--year", "2026", "--date", "2025-12-21", "--key", "clerk.key"])
        try cli.ok(["contribution", "receive", "--unit", "U001", "--year", "2026", "--amount", "90", "--bank-ref", "B-1", "--date", "2025-12-28", "--key", "clerk.key"])
        try cli.ok(["contribution", "receive", "--unit", "U002", "--year", "2026", "--amount", "60", "--bank-ref", "B-2", "--date", "2026-01-10", "--key", "clerk.key"])
        try cli.ok(["contribution", "subsidy", "--year", "2026", "--amount", "150", "--ref", "补助-2026", "--date", "2026-03-18", "--key", "clerk.key"])

        var claims: [String: String] = [:]
        func file(_ name: String, _ member: String, _ benefit: String, service: String, filed: String, ownShare: String?) throws {
            var arguments = ["claim", "file", "--member", members[member]!, "--benefit", benefit, "--settlement", "YB-\(name)",
                             "--service-date", service, "--filed-on", filed, "--key", "clerk.key"]
            if let ownShare { arguments += ["--own-share", ownShare] }
            let output = try cli.ok(arguments)
            let match = try #require(output.firstMatch(of: /claim (\d+) filed/), "\(output)")
            claims[name] = String(match.1)
        }
        try file("c1", "张", "medical", service: "2026-02-05", filed: "2026-02-10", ownShare: "2000")
        try cli.ok(["claim", "review", claims["c1"]!, "--key", "approver1.key"])
        try cli.ok(["claim", "approve", claims["c1"]!, "--date", "2026-02-20", "--key", "approver2.key"])
        try cli.ok(["claim", "pay", claims["c1"]!, "--batch", "P-1", "--out", "p1.csv", "--date", "2026-03-05", "--key", "clerk.key"])

        try file("c2", "李", "accident-death", service: "2026-03-01", filed: "2026-03-02", ownShare: nil)
        try cli.ok(["claim", "review", claims["c2"]!, "--key", "approver1.key"])
        #expect(try cli.ok(["claim", "approve", claims["c2"]!, "--date", "2026-03-10", "--key", "approver1.key"]).contains("second approver"))
        try cli.ok(["claim", "approve", claims["c2"]!, "--date", "2026-03-12", "--key", "approver2.key"])
        try cli.ok(["claim", "approve-batch", "P-2", claims["c2"]!, "--date", "2026-03-19", "--key", "approver1.key"])  // over the threshold
        try cli.ok(["claim", "pay", claims["c2"]!, "--batch", "P-2", "--out", "p2.csv", "--date", "2026-03-20", "--key", "clerk.key"])

        try file("c3", "王", "medical", service: "2026-03-01", filed: "2026-03-03", ownShare: "100")
        try file("c4", "孙", "medical", service: "2026-03-04", filed: "2026-03-05", ownShare: "500")
        try file("c5", "赵", "medical", service: "2026-03-10", filed: "2026-03-15", ownShare: "1000")
        try cli.ok(["claim", "review", claims["c5"]!, "--key", "approver1.key"])
        try cli.ok(["claim", "reject", claims["c5"]!, "--reason", "非医保范围内费用", "--date", "2026-03-25", "--key", "approver2.key"])
        try file("c6", "钱", "medical", service: "2026-03-20", filed: "2026-03-28", ownShare: "800")
        try cli.ok(["claim", "review", claims["c6"]!, "--key", "approver1.key"])
        try file("c7", "张", "medical", service: "2026-03-25", filed: "2026-03-29", ownShare: "600")
        try cli.ok(["claim", "review", claims["c7"]!, "--key", "approver1.key"])
        try cli.ok(["claim", "approve", claims["c7"]!, "--date", "2026-03-30", "--key", "approver2.key"])
        try cli.ok(["checkpoint", "--key", "admin.key"])
        self.claims = claims
    }

    /// Runs `huzhu report ARGS --format json` and returns the object.
    func json(_ arguments: [String]) throws -> [String: Any] {
        let text = try books.cli.ok(["report"] + arguments + ["--format", "json"])
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}

/// A resident ID: 17 digits and the GB 11643 check character.
func residentID(_ first17: String) -> String {
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    let sum = zip(first17, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
    return first17 + String(Array("10X98765432")[sum % 11])
}

/// The rows of table `key` in a report's JSON.
func rows(_ report: [String: Any], _ key: String) throws -> [[String: Any]] {
    let tables = try #require(report["tables"] as? [[String: Any]])
    return try #require(tables.first { $0["key"] as? String == key }?["rows"] as? [[String: Any]], "no table \(key)")
}

/// The row of `rows` whose `column` is `value`.
func row(_ rows: [[String: Any]], _ column: String, _ value: String) throws -> [String: Any] {
    try #require(rows.first { $0[column] as? String == value }, "no row with \(column) = \(value)")
}

let fundReportKinds = ["fund", "claims", "unit-statement"]

@Suite("huzhu report fund, claims and unit-statement, end to end")
struct FundReportsCLITests {
    @Test("the fund report for March 2026: every figure in fen, and the tie to the trial balance")
    func fundMarch() throws {
        let fund = try FundBooks()
        let report = try fund.json(["fund", "--month", "2026-03"])
        #expect(report["report"] as? String == "fund")
        #expect(report["balanced"] as? Bool == true)

        let money = try rows(report, "fund")
        func fen(_ item: String) throws -> [Int] {
            let line = try row(money, "item", item)
            return [line["periodFen"] as? Int ?? -1, line["yearToDateFen"] as? Int ?? -1]
        }
        #expect(try fen("单位互助金开单") == [0, 0])            // billed in December 2025
        #expect(try fen("单位互助金到账") == [0, 6_000])        // U002 on 2026-01-10
        #expect(try fen("工会补助到账") == [15_000, 15_000])
        #expect(try fen("收入合计") == [0, 0])
        #expect(try fen("医疗互助金") == [9_000, 39_000])        // c7; c1 + c7
        #expect(try fen("意外身故互助金") == [2_000_000, 2_000_000])
        #expect(try fen("支出合计") == [2_009_000, 2_039_000])
        #expect(try fen("三、结余（收入合计 - 支出合计）") == [-2_009_000, -2_039_000])
        #expect(try fen("已支付互助金（支付 − 退回）") == [2_030_000, 2_030_000])   // c1 + c2

        let payouts = try rows(report, "payoutsByBenefit")
        let medical = try row(payouts, "benefit", "medical")
        #expect(medical["personTimes"] as? Int == 1 && medical["approvedFen"] as? Int == 9_000)
        #expect(medical["paidCount"] as? Int == 1 && medical["paidFen"] as? Int == 30_000)
        #expect(medical["personTimesYearToDate"] as? Int == 2 && medical["approvedYearToDateFen"] as? Int == 39_000)
        let death = try row(payouts, "benefit", "accident-death")
        #expect(death["personTimes"] as? Int == 1 && death["approvedFen"] as? Int == 2_000_000 && death["paidFen"] as? Int == 2_000_000)
        let total = try row(payouts, "name", "合计")
        #expect(total["personTimes"] as? Int == 2 && total["approvedFen"] as? Int == 2_009_000)
        #expect(total["personTimesYearToDate"] as? Int == 3 && total["paidYearToDateFen"] as? Int == 2_030_000)

        let pending = try rows(report, "pending")
        #expect(pending.count == 2)
        #expect(try row(pending, "benefit", "medical")["count"] as? Int == 1)
        #expect(try row(pending, "benefit", "medical")["assessedFen"] as? Int == 12_000)   // c6

        let rejected = try rows(report, "rejected")
        #expect(try row(rejected, "reason", "低于最低给付额")["count"] as? Int == 1)
        #expect(try row(rejected, "reason", "单位互助金未缴清")["count"] as? Int == 1)
        #expect(try row(rejected, "reason", "审批不予给付：非医保范围内费用")["count"] as? Int == 1)
        #expect(try row(rejected, "reason", "合计")["countYearToDate"] as? Int == 3)

        // 互助金结余 = 专户 + 应收 − 应付: end of February 150 + 30 + 180 − 300 (c1 unpaid);
        // end of March −20,000 + 30 + 30 − 90 (c7 unpaid).
        let balance = try rows(report, "fundBalance")
        let totals = balance.filter { $0["item"] as? String == "互助金结余" }
        #expect(totals.count == 2)
        for line in totals {
            #expect(line["openingFen"] as? Int == 6_000 && line["closingFen"] as? Int == -2_003_000)
        }
        #expect(try row(balance, "item", "其他收支净额（与非互助科目往来）")["closingFen"] as? Int == 0)

        // The same accounts' closing balances in the trial balance.
        let trial = try rows(try fund.json(["trial-balance", "--month", "2026-03", "--all"]), "accounts")
        func closing(_ code: String) throws -> Int {
            let line = try row(trial, "code", code)
            let fen = try #require(line["closingFen"] as? Int)
            let debitSide = line["closingSide"] as? String != "贷"
            return debitSide ? fen : -fen
        }
        let fromTrial = try closing("10201") + closing("11401") + closing("11402") + closing("22501") + closing("22502")
        #expect(fromTrial == -2_003_000)

        let ratio = try rows(report, "payoutRatio")
        #expect(try row(ratio, "basis", "本期")["ratio"] as? String == "—")
        let planYear = try #require(ratio.first { ($0["basis"] as? String)?.hasPrefix("2026 计划年度") == true })
        #expect(planYear["payoutsFen"] as? Int == 2_039_000 && planYear["contributionsFen"] as? Int == 36_000)
        #expect(planYear["ratio"] as? String == "5663.89%")   // 2,039,000 / 36,000 = 56.63888…

        let charts = try #require(report["charts"] as? [[String: Any]])
        let byMonth = try #require(charts.first { $0["key"] as? String == "fundBalanceByMonth" }?["bars"] as? [[String: Any]])
        #expect(byMonth.map { $0["amountFen"] as? Int } == [36_000, 6_000, -2_003_000])   // January (c1 not yet approved) to March
        let checks = try #require(report["checks"] as? [[String: Any]])
        #expect(checks.count == 4 && checks.allSatisfy { $0["holds"] as? Bool == true })
    }

    @Test("corrections in April count in April: March's figures do not move; April nets the revoked approval, the returned payment and the reversed receipts")
    func correctionsCountInTheirMonth() throws {
        let fund = try FundBooks()
        let cli = fund.books.cli
        let tables = ["fund", "payoutsByBenefit", "pending", "rejected", "payoutRatio"]
        func figures(_ month: String) throws -> [String: NSArray] {
            let report = try fund.json(["fund", "--month", month])
            var result: [String: NSArray] = [:]
            for key in tables { result[key] = try rows(report, key) as NSArray }
            let checks = try #require(report["checks"] as? [[String: Any]])
            #expect(!checks.isEmpty && checks.allSatisfy { $0["holds"] as? Bool == true }, "\(month): \(checks)")
            return result
        }
        let march = try figures("2026-03")
        let c1 = fund.claims["c1"]!, c7 = fund.claims["c7"]!
        // c7 (90.00, approved 03-30, unpaid): revoked 04-02, approved again at 80.00 on 04-03, paid 04-09.
        try cli.ok(["claim", "revoke-approval", c7, "--reason", "发票金额有误", "--date", "2026-04-02", "--key", "approver1.key"])
        try cli.ok(["claim", "approve", c7, "--amount", "80", "--reason", "按发票核减", "--date", "2026-04-03", "--key", "approver2.key"])
        try cli.ok(["claim", "pay", c7, "--batch", "P-3", "--out", "p3.csv", "--date", "2026-04-09", "--key", "clerk.key"])
        // c1 (300.00, paid 03-05): returned by the bank 04-05, paid again 04-08.
        try cli.ok(["claim", "return-payment", c1, "--reason", "账户已销户", "--date", "2026-04-05", "--key", "clerk.key"])
        try cli.ok(["claim", "approve-batch", "P-4", c1, "--date", "2026-04-08", "--key", "approver1.key"])  // paid again after its return
        try cli.ok(["claim", "pay", c1, "--batch", "P-4", "--out", "p4.csv", "--date", "2026-04-08", "--key", "clerk.key"])
        // U002's receipt of 01-10 reversed and recorded again; the subsidy of 150.00 reversed and recorded as 180.00.
        let receipt = try fund.books.scalar("SELECT seq FROM events WHERE idempotency_key = 'receipt:B-2'")
        try cli.ok(["reverse", "\(receipt)", "--reason", "到账日期录错", "--date", "2026-04-06", "--key", "clerk.key"])
        try cli.ok(["contribution", "receive", "--unit", "U002", "--year", "2026", "--amount", "60", "--bank-ref", "B-2", "--date", "2026-04-07", "--key", "clerk.key"])
        let subsidy = try fund.books.scalar("SELECT seq FROM events WHERE kind = 'subsidy.received'")
        try cli.ok(["reverse", "\(subsidy)", "--reason", "金额有误", "--date", "2026-04-10", "--key", "clerk.key"])
        try cli.ok(["contribution", "subsidy", "--year", "2026", "--amount", "180", "--ref", "补助-2026", "--date", "2026-04-10", "--key", "clerk.key"])

        // March reads as it did, c7 still approved at the end of it (not pending).
        #expect(try figures("2026-03") == march)

        let april = try fund.json(["fund", "--month", "2026-04"])
        let money = try rows(april, "fund")
        func fen(_ item: String) throws -> [Int] {
            let line = try row(money, "item", item)
            return [line["periodFen"] as? Int ?? -1, line["yearToDateFen"] as? Int ?? -1]
        }
        #expect(try fen("单位互助金开单") == [0, 0])                // a reversed receipt is not a bill
        #expect(try fen("单位互助金到账") == [0, 6_000])            // −60.00 + 60.00
        #expect(try fen("工会补助开单") == [0, 0])
        #expect(try fen("工会补助到账") == [3_000, 18_000])         // −150.00 + 180.00
        #expect(try fen("医疗互助金") == [-1_000, 38_000])          // −90.00 + 80.00; c1 300.00 + c7 80.00
        #expect(try fen("已支付互助金（支付 − 退回）") == [8_000, 2_038_000])   // −300.00 + 300.00 + 80.00
        let medical = try row(try rows(april, "payoutsByBenefit"), "benefit", "medical")
        #expect(medical["personTimes"] as? Int == 0 && medical["approvedFen"] as? Int == -1_000)
        #expect(medical["paidCount"] as? Int == 1 && medical["paidFen"] as? Int == 8_000)
        #expect(medical["personTimesYearToDate"] as? Int == 2 && medical["approvedYearToDateFen"] as? Int == 38_000)
        #expect(try row(try rows(april, "pending"), "name", "合计")["count"] as? Int == 1)   // c6
        let checks = try #require(april["checks"] as? [[String: Any]])
        #expect(checks.allSatisfy { $0["holds"] as? Bool == true }, "\(checks)")
        let planYear = try #require(try rows(april, "payoutRatio").first { ($0["basis"] as? String)?.hasPrefix("2026 计划年度") == true })
        #expect(planYear["payoutsFen"] as? Int == 2_038_000)

        // The register of April lists the corrected claims.
        let register = try rows(try fund.json(["claims", "--month", "2026-04"]), "claims")
        #expect(Set(register.compactMap { $0["claim"] as? String }) == [c1, c7])
        let audit = try fund.books.audit()
        #expect(audit.status == 0 && audit.findings.isEmpty, "\(audit.findings)")
    }

    @Test("February: one claim approved, nothing pending or rejected")
    func fundFebruary() throws {
        let fund = try FundBooks()
        let report = try fund.json(["fund", "--month", "2026-02"])
        #expect(try row(try rows(report, "payoutsByBenefit"), "name", "合计")["personTimes"] as? Int == 1)
        #expect(try row(try rows(report, "pending"), "name", "合计")["count"] as? Int == 0)
        #expect(try row(try rows(report, "rejected"), "reason", "合计")["count"] as? Int == 0)
        let register = try rows(try fund.json(["claims", "--month", "2026-02"]), "claims")
        #expect(register.map { $0["claim"] as? String } == [fund.claims["c1"]])
    }

    @Test("the claims register for March: every claim, masked names, reasons, totals by state")
    func claimsRegister() throws {
        let fund = try FundBooks()
        let report = try fund.json(["claims", "--month", "2026-03"])
        let register = try rows(report, "claims")
        #expect(register.map { $0["claim"] as? String } == ["c1", "c2", "c3", "c4", "c5", "c6", "c7"].map { fund.claims[$0] })
        let c2 = try row(register, "claim", fund.claims["c2"]!)
        #expect(c2["name"] as? String == "李*" && c2["state"] as? String == "已支付")
        #expect(c2["assessedFen"] as? Int == 2_000_000 && c2["approvedFen"] as? Int == 2_000_000 && c2["paidFen"] as? Int == 2_000_000)
        let c5 = try row(register, "claim", fund.claims["c5"]!)
        #expect(c5["reason"] as? String == "非医保范围内费用" && c5["state"] as? String == "不予给付")
        #expect((try row(register, "claim", fund.claims["c3"]!)["reason"] as? String)?.hasPrefix("低于最低给付额") == true)
        #expect(try row(register, "claim", fund.claims["c1"]!)["name"] as? String == "张**")
        let byState = try rows(report, "byState")
        #expect(try row(byState, "code", "paid")["count"] as? Int == 2)
        #expect(try row(byState, "code", "paid")["paidFen"] as? Int == 2_030_000)
        #expect(try row(byState, "code", "rejected")["count"] as? Int == 3)
        #expect(try row(byState, "code", "reviewed")["assessedFen"] as? Int == 12_000)
        #expect(try row(byState, "code", "approved")["approvedFen"] as? Int == 9_000)
        #expect(try row(byState, "state", "合计")["count"] as? Int == 7)
        #expect(try row(byState, "state", "合计")["approvedFen"] as? Int == 2_039_000)
        let text = try fund.books.cli.ok(["report", "claims", "--month", "2026-03"])
        #expect(!text.contains("张三丰") && !text.contains("110105"))
    }

    @Test("unit statements for 2026: all units, and one unit with its members and claims")
    func unitStatement() throws {
        let fund = try FundBooks()
        let report = try fund.json(["unit-statement", "--year", "2026"])
        let units = try rows(report, "units")
        let u001 = try row(units, "unit", "U001")
        #expect(u001["enrolled"] as? Int == 3 && u001["billedUnitFen"] as? Int == 9_000 && u001["receivedFen"] as? Int == 9_000)
        #expect(u001["outstandingFen"] as? Int == 0 && u001["claims"] as? Int == 4 && u001["rejected"] as? Int == 1)
        #expect(u001["approvedFen"] as? Int == 2_039_000 && u001["paidFen"] as? Int == 2_030_000)
        let u003 = try row(units, "unit", "U003")
        #expect(u003["outstandingFen"] as? Int == 3_000 && u003["claims"] as? Int == 1 && u003["rejected"] as? Int == 1)
        let total = try row(units, "name", "合计")
        #expect(total["enrolled"] as? Int == 6 && total["billedUnitFen"] as? Int == 18_000 && total["billedSubsidyFen"] as? Int == 18_000)
        #expect(total["receivedFen"] as? Int == 15_000 && total["outstandingFen"] as? Int == 3_000 && total["claims"] as? Int == 7)
        #expect(report["balanced"] as? Bool == true)

        let one = try fund.json(["unit-statement", "--year", "2026", "--unit", "U002"])
        #expect(try rows(one, "units").count == 2)
        let members = try rows(one, "members")
        #expect(members.map { $0["name"] as? String } == ["赵*", "钱*"])
        #expect(members.allSatisfy { ($0["residentId"] as? String)?.hasPrefix("110***") == true })
        #expect(try rows(one, "unitClaims").map { $0["claim"] as? String } == [fund.claims["c5"], fund.claims["c6"]])

        let missing = try fund.books.cli.run(["report", "unit-statement", "--year", "2026", "--unit", "U999"])
        #expect(missing.status != 0 && missing.stderr.contains("U999"))
        let bad = try fund.books.cli.run(["report", "unit-statement", "--year", "2026", "--unit", "U 1!"])
        #expect(bad.status == 2)
    }

    @Test("each report in text, CSV, JSON and HTML, with the checkpoint and sign-off lines; text tables align with Chinese names")
    func everyFormat() throws {
        let fund = try FundBooks()
        let cli = fund.books.cli
        for kind in fundReportKinds {
            for period in [["--month", "2026-03"], ["--year", "2026"], ["--from", "2026-02", "--to", "2026-03"]] {
                let text = try cli.ok(["report", kind] + period)
                #expect(text.contains("依据检查点"), "\(kind)")
                #expect(text.contains("工会主席：") && text.contains("财务负责人：") && text.contains("复核：") && text.contains("制表："))
                try expectAligned(text)
            }
            let csv = try cli.ok(["report", kind, "--month", "2026-03", "--format", "csv"])
            #expect(csv.contains("\r\n") && csv.contains("工会主席："))
            let json = try fund.json([kind, "--month", "2026-03"])
            #expect(json["report"] as? String == kind)
            #expect((json["provenance"] as? [String: Any]) != nil)
            try cli.ok(["report", kind, "--month", "2026-03", "--format", "html", "--out", "\(kind).html"])
            let html = try String(contentsOfFile: fund.books.path("\(kind).html"), encoding: .utf8)
            #expect(html.contains("<svg ") && !html.contains("<script"))
        }
        let fundText = try cli.ok(["report", "fund", "--month", "2026-03"])
        #expect(fundText.contains("互助金收支情况表") && fundText.contains("意外身故互助金") && fundText.contains("20,000.00"))
        #expect(fundText.contains("5663.89%") && fundText.contains("-20,030.00"))
        let statement = try cli.ok(["report", "unit-statement", "--year", "2026", "--unit", "U001"])
        #expect(statement.contains("市机械厂工会") && statement.contains("张**") && !statement.contains("张三丰"))
        try expectAligned(statement)
    }

    @Test("HTML in headless Chromium: tables, SVG charts, checkpoint and sign-off lines")
    func htmlInChromium() throws {
        let fund = try FundBooks()
        for kind in fundReportKinds {
            let file = "\(kind).html"
            try fund.books.cli.ok(["report", kind, "--month", "2026-03", "--format", "html", "--out", file])
            let result = try ExternalTool.run(["chromium", "chromium-browser"], [
                "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "file://" + fund.books.path(file),
            ], in: fund.books.directory)
            #expect(result.status == 0, "\(result.stderr)")
            let dom = result.stdout
            #expect(dom.contains("<svg") && dom.contains("<rect"), "\(kind)")
            #expect(dom.contains("工会主席") && dom.contains("财务负责人") && dom.contains("复核") && dom.contains("制表"))
            #expect(dom.contains("2026年3月"))
            switch kind {
            case "fund":
                #expect(dom.contains("互助金收支情况表") && dom.contains("意外身故互助金") && dom.contains("5663.89%"))
                #expect(dom.contains("互助金结余（月末）") && dom.contains("-20,030.00"))
            case "claims":
                #expect(dom.contains("理赔登记簿") && dom.contains("李*") && dom.contains("非医保范围内费用") && !dom.contains("李四"))
            default:
                #expect(dom.contains("单位对账单") && dom.contains("市纺织厂工会") && dom.contains("180.00"))
            }
        }
        let shot = try ExternalTool.run(["chromium", "chromium-browser"], [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1100,1600",
            "--screenshot=" + fund.books.path("fund.png"), "file://" + fund.books.path("fund.html"),
        ], in: fund.books.directory)
        #expect(shot.status == 0, "\(shot.stderr)")
        let png = try Data(contentsOf: URL(fileURLWithPath: fund.books.path("fund.png")))
        #expect(png.count > 10_000 && png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }

    @Test("--help carries examples")
    func help() throws {
        let books = try CLILedger()
        for kind in fundReportKinds {
            let help = try books.cli.ok(["report", kind, "--help"])
            #expect(help.contains("Examples:") && help.contains("huzhu report \(kind)"), "\(kind)")
        }
        #expect(try books.cli.ok(["report", "unit-statement", "--help"]).contains("--unit"))
    }
}
