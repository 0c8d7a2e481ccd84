import Foundation
import Ledger

/// A mutual-aid ledger made through the CLI: keys for an administrator, a clerk, two
/// approvers and a key holding both clerk and approver roles, the own-share plan
/// published, and unit U001 with a roster enrolled and paid for.
final class MutualAidBooks: @unchecked Sendable {
    let books: CLILedger
    var cli: CLI { books.cli }
    var members: [String] = []

    static let plansDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../plans").standardized

    /// A resident ID with a valid GB 11643 check character.
    static func residentID(_ body17: String) -> String {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body17, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return body17 + String(Array("10X98765432")[sum % 11])
    }

    /// A roster of `count` people; odd ones female (17th digit even).
    static func roster(count: Int, start: Int = 0) -> String {
        var text = "姓名,身份证号,手机号,银行卡号\n"
        for index in start..<(start + count) {
            let sexDigit = index % 2 == 1 ? 2 : 1
            text += "会员\(index),\(residentID(String(format: "1101051980%02d%02d%02d%d", 1 + index % 12, 1 + index % 28, index % 100, sexDigit))),1380000\(String(format: "%04d", index)),6222000000\(String(format: "%06d", index))\n"
        }
        return text
    }

    /// `edit` changes the plan file's text before it is published.
    init(plan: String = "own-share-15pct-2026", editingPlan edit: (String) -> String = { $0 }, members count: Int = 4, paid: Bool = true,
         store: CLILedger.Store = .sqlite) throws {
        books = try CLILedger(store: store)
        for name in ["approver-1", "approver-2", "both", "auditor"] { try books.cli.ok(["key", "new", "--out", "\(name).key"]) }
        try cli.ok(["key", "register", "--key", "admin.key", "--key-file", "approver-1.key", "--roles", "approver", "--holder", "审批一"])
        try cli.ok(["key", "register", "--key", "admin.key", "--key-file", "approver-2.key", "--roles", "approver", "--holder", "审批二"])
        try cli.ok(["key", "register", "--key", "admin.key", "--key-file", "both.key", "--roles", "clerk,approver", "--holder", "兼岗"])
        try cli.ok(["key", "register", "--key", "admin.key", "--key-file", "auditor.key", "--roles", "auditor", "--holder", "经审"])
        try publish(edit(try String(contentsOf: Self.plansDirectory.appendingPathComponent("\(plan).toml"), encoding: .utf8)), as: "\(plan).toml")
        try cli.ok(["unit", "add", "U001", "--name", "市机械厂工会", "--key", "clerk.key"])
        try books.write("roster.csv", Self.roster(count: count))
        try cli.ok(["member", "enroll", "--unit", "U001", "--year", "2026", "--roster", "roster.csv", "--date", "2025-11-01", "--key", "clerk.key"])
        members = try memberIDs(year: 2026)
        try cli.ok(["contribution", "bill", "--year", "2026", "--date", "2025-12-21", "--key", "clerk.key"])
        if paid {
            try cli.ok(["contribution", "receive", "--unit", "U001", "--year", "2026", "--amount", "\(count * 30)", "--bank-ref", "B-U001-2026",
                        "--date", "2025-12-28", "--key", "clerk.key"])
        }
    }

    func publish(_ text: String, as name: String) throws {
        try books.write(name, text)
        try cli.ok(["plan", "publish", name, "--key", "admin.key"])
    }

    /// Publishes the own-share plan again for 2027, every year in it moved on by one, and
    /// `edit` applied.
    func publishOwnSharePlan2027(editing edit: (String) -> String = { $0 }) throws {
        let text = try String(contentsOf: Self.plansDirectory.appendingPathComponent("own-share-15pct-2026.toml"), encoding: .utf8)
            .replacingOccurrences(of: "2027", with: "2028").replacingOccurrences(of: "2026", with: "2027")
            .replacingOccurrences(of: "2025", with: "2026")
        try publish(edit(text), as: "own-share-2027.toml")
    }

    func memberIDs(year: Int) throws -> [String] {
        let json = try cli.ok(["member", "list", "--year", "\(year)", "--format", "json"])
        let list = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [[String: Any]]
        return list.map { $0["member"] as! String }
    }

    /// Files a claim and returns (claim id, stdout).
    @discardableResult
    func file(_ member: String, benefit: String = "medical", settlement: String, service: String = "2026-03-01",
              filed: String = "2026-03-05", extra: [String] = [], key: String = "clerk.key") throws -> (Int64, String) {
        let out = try cli.ok(["claim", "file", "--member", member, "--benefit", benefit, "--settlement", settlement,
                              "--service-date", service, "--filed-on", filed, "--key", key] + extra)
        let id = Int64(out.split(separator: " ")[1]) ?? -1
        return (id, out)
    }

    func medical(ownShare: String) -> [String] {
        ["--total-cost", "50000", "--covered", "30000", "--own-share", ownShare]
    }

    func claim(_ id: Int64) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(try cli.ok(["claim", "show", "\(id)"]).utf8)) as! [String: Any]
    }

    /// Reviews and approves a claim, by a second approver the next day where it needs two.
    func approveFully(_ id: Int64, on date: String = "2026-04-01") throws {
        try cli.ok(["claim", "review", "\(id)", "--key", "approver-1.key"])
        let first = try cli.ok(["claim", "approve", "\(id)", "--key", "approver-1.key", "--date", date])
        if first.contains("second approver") {
            try cli.ok(["claim", "approve", "\(id)", "--key", "approver-2.key", "--date", try LedgerDate(date).adding(days: 1).text])
        }
    }
}
