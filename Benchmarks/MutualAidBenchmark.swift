import Foundation
import Ledger
import MutualAid

/// Issue 3's goals: enrol a roster of N members and import N settlement claims, each at
/// ≥ 0.5× the single-core signing rate (every member and claim event is signed), memory
/// flat; and the rules engine's own cost per claim (goal < 5 µs). Issue 15's: review and
/// approve every filed claim in one batch each, at ≥ 0.5× the signing rate.
///
/// With `postgres` (a server's URL), the same commands run on a new database there.
struct MutualAidBenchmark {
    let count: Int
    var postgres: String?

    func run() throws {
        let books = try BenchLedger(file: "aid.db", postgres: postgres)
        defer { books.remove() }
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; \(books.huzhu)")
        let samples = CryptoRateSamples()
        let engine = try rulesEngineMicroseconds()
        print(String(format: "rules engine: %.2f µs per claim (median of 5 rounds of 1,000,000)", engine))
        let directory = books.directory
        let plan = directory + "/plan.toml"
        try ExamplePlans.text(ExamplePlans.ownShare2026).write(toFile: plan, atomically: true, encoding: .utf8)
        try books.run(["plan", "publish", plan, "--key", books.admin])
        try books.run(["unit", "add", "U001", "--name", "bench", "--key", books.clerk])
        let roster = directory + "/roster.csv"
        try BenchFiles.writeRoster(to: roster, count: count)
        samples.sample()
        let enrol = try books.run(["member", "enroll", "--unit", "U001", "--year", "2026", "--roster", roster,
                                   "--date", "2025-11-01", "--key", books.clerk])
        let enrolRate = Double(count) / enrol.seconds
        print(String(format: "enrol %d members: %.1f s, %.0f members/s, peak RSS %.0f MB",
                     count, enrol.seconds, enrolRate, enrol.peakRSSMegabytes))
        try books.run(["contribution", "bill", "--year", "2026", "--date", "2025-12-21", "--key", books.clerk])
        try books.run(["contribution", "receive", "--unit", "U001", "--year", "2026", "--amount", "\(count * 30)",
                       "--bank-ref", "B1", "--date", "2025-12-28", "--key", books.clerk])
        let members = try books.jsonList(["member", "list", "--year", "2026"]).compactMap { $0["member"] as? String }
        let claims = directory + "/claims.csv"
        try writeClaims(to: claims, members: members)
        samples.sample()
        let file = try books.run(["claim", "import", claims, "--key", books.clerk])
        let fileRate = Double(count) / file.seconds
        print(String(format: "import %d claims: %.1f s, %.0f claims/s, peak RSS %.0f MB",
                     count, file.seconds, fileRate, file.peakRSSMegabytes))
        // A day's claims decided in one act each: every filed claim reviewed, then approved
        // (none reaches the two-approver threshold), by an approver key, as whole processes.
        let approver = directory + "/approver.key"
        try books.run(["key", "new", "--out", approver])
        try books.run(["key", "register", "--key", books.admin, "--key-file", approver, "--roles", "approver", "--holder", "bench"])
        samples.sample()
        let review = try books.run(["claim", "review", "--all", "--key", approver])
        let decided = try books.jsonList(["claim", "list", "--year", "2026", "--state", "reviewed"]).count
        let reviewRate = Double(decided) / review.seconds
        print(String(format: "review %d claims in one batch: %.1f s, %.0f claims/s, peak RSS %.0f MB",
                     decided, review.seconds, reviewRate, review.peakRSSMegabytes))
        samples.sample()
        let approve = try books.run(["claim", "approve", "--all", "--date", "2026-12-31", "--key", approver])
        let approveRate = Double(decided) / approve.seconds
        print(String(format: "approve %d claims in one batch: %.1f s, %.0f claims/s, peak RSS %.0f MB",
                     decided, approve.seconds, approveRate, approve.peakRSSMegabytes))
        let rates = samples.yardstickForTable()
        print(String(format: "| enrol roster, %d members | %.0f members/s | ≥ 0.5 × sign rate = %.0f/s | %.2f× |", count, enrolRate,
                     0.5 * rates.signPerSecond, enrolRate / rates.signPerSecond))
        print(String(format: "| import claims, %d | %.0f claims/s | ≥ 0.5 × sign rate = %.0f/s | %.2f× |", count, fileRate,
                     0.5 * rates.signPerSecond, fileRate / rates.signPerSecond))
        print(String(format: "| review %d claims, one batch | %.0f claims/s | ≥ 0.5 × sign rate = %.0f/s | %.2f× |", decided, reviewRate,
                     0.5 * rates.signPerSecond, reviewRate / rates.signPerSecond))
        print(String(format: "| approve %d claims, one batch | %.0f claims/s | ≥ 0.5 × sign rate = %.0f/s | %.2f× |", decided, approveRate,
                     0.5 * rates.signPerSecond, approveRate / rates.signPerSecond))
        print(String(format: "| peak RSS, enrol / claims / review / approve | %.0f MB / %.0f MB / %.0f MB / %.0f MB | flat | |", enrol.peakRSSMegabytes,
                     file.peakRSSMegabytes, review.peakRSSMegabytes, approve.peakRSSMegabytes))
        print(String(format: "| rules engine per claim | %.2f µs | < 5 µs | |", engine))
    }

    /// The rules engine alone: one claim assessed against the 15% plan, in a loop.
    func rulesEngineMicroseconds() throws -> Double {
        let rules = try PlanRulesLoader.load(try ExamplePlans.text(ExamplePlans.ownShare2026))
        let calculator = PayoutCalculator(plan: rules)
        let facts = ClaimFacts(serviceDate: try LedgerDate("2026-03-01"), filedOn: try LedgerDate("2026-03-05"),
                               totalCost: Money(fen: 5_000_000), insuranceCovered: Money(fen: 3_000_000), ownShareInScope: Money(fen: 1_234_500))
        let coverage = Coverage.covered(since: try LedgerDate("2026-01-01"))
        var rounds: [Double] = []
        var total: Int64 = 0
        for _ in 0..<5 {
            let start = Date()
            for index in 0..<1_000_000 {
                let usage = CapUsage(benefitUsed: Money(fen: Int64(index % 500_000)), totalUsed: Money(fen: Int64(index % 500_000)))
                total &+= try calculator.compute(benefit: "medical", facts: facts, coverage: coverage, sex: .female, usage: usage).amount?.fen ?? 0
            }
            rounds.append(Date().timeIntervalSince(start))
        }
        precondition(total != 0)
        return median(rounds)
    }

    func writeClaims(to path: String, members: [String]) throws {
        try BenchFiles.writeLines(to: path, header: "member,benefit,settlement_id,service_date,filed_on,total_cost,covered,own_share", count: count) { index in
            let month = index % 12 + 1
            let day = index % 28 + 1
            let date = String(format: "2026-%02d-%02d", month, day)
            let own = 100 + index % 3000
            return "\(members[index % members.count]),medical,YB\(index),\(date),\(date),\(own * 4).00,\(own * 2).00,\(own).00"
        }
    }
}
