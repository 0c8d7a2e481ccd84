import Foundation
import GRDB
import Ledger
import MutualAid

/// Issue 15: a plan year shaped like a city's, built through the real `huzhu` commands as
/// an office would run it, then every command the office runs on it timed as a whole
/// process with its peak memory.
///
/// The year: N members in units of realistic sizes (three of a tenth of the city each,
/// thirty of tens of thousands at full size, the rest of tens), enrolled from each unit's
/// roster; billed, the union subsidy received, and paid from one bank statement, one unit
/// late; M claims of every benefit of the 15% plan imported from weekly settlement files,
/// each week reviewed and approved in batches with its exceptions (rejections, amounts
/// lowered, large claims by two approvers); paid monthly with the bank's payment file,
/// the bank's return file recorded and those claims paid again; an approval revoked and the
/// claim rejected each month; January to November closed. Then a day's work (1.2% of the
/// year's claims, as 15,000 are of 1,250,000) on top, for the incremental audit.
struct CityBenchmark {
    let members: Int
    let claims: Int
    /// Leaves the ledger and its files in place, for profiling a command on it.
    var keep = false

    /// One timed command of the office's.
    struct Timed {
        let name: String
        let run: ChildRun
    }

    func run() throws {
        let books = try BenchLedger(file: "city.db")
        defer { if keep { print("kept: \(books.directory)") } else { books.remove() } }
        let directory = books.directory
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; \(books.huzhu)")
        print("city: \(members) members, \(claims) claims")
        let samples = CryptoRateSamples()
        let approver1 = directory + "/approver-1.key", approver2 = directory + "/approver-2.key"
        for (key, holder) in [(approver1, "审批一"), (approver2, "审批二")] {
            try books.run(["key", "new", "--out", key])
            try books.run(["key", "register", "--key", books.admin, "--key-file", key, "--roles", "approver", "--holder", holder])
        }
        let plan = directory + "/plan.toml"
        try ExamplePlans.text(ExamplePlans.ownShare2026).write(toFile: plan, atomically: true, encoding: .utf8)
        try books.run(["plan", "publish", plan, "--key", books.admin])

        // Units and their rosters.
        let started = Date()
        var building: [Timed] = []
        let sizes = unitSizes()
        var first = 0
        for (index, size) in sizes.enumerated() {
            let unit = unitCode(index)
            try books.run(["unit", "add", unit, "--name", "单位\(index + 1)", "--key", books.clerk])
            let roster = directory + "/roster-\(unit).csv"
            try BenchFiles.writeRoster(to: roster, from: first, count: size)
            let enrol = try books.run(["member", "enroll", "--unit", unit, "--year", "2026", "--roster", roster,
                                       "--date", "2025-11-01", "--key", books.clerk])
            if index == 0 { building.append(Timed(name: "`member enroll` of the largest unit's roster (\(size) members)", run: enrol)) }
            try? FileManager.default.removeItem(atPath: roster)
            first += size
        }
        print(String(format: "enrolled %d members in %d units: %.0f s", members, sizes.count, Date().timeIntervalSince(started)))

        // Contributions: billed, the subsidy, one bank statement for every unit but the late one.
        try books.run(["contribution", "bill", "--year", "2026", "--date", "2025-12-21", "--key", books.clerk])
        try books.run(["contribution", "subsidy", "--year", "2026", "--amount", "\(members * 30)", "--ref", "SUB-2026",
                       "--date", "2025-12-26", "--key", books.clerk])
        let late = sizes.count - 1
        var statement = "date,amount,reference,unit\n"
        for (index, size) in sizes.enumerated() where index != late {
            statement += "2025-12-28,\(size * 30).00,B-\(unitCode(index)),\(unitCode(index))\n"
        }
        try statement.write(toFile: directory + "/statement.csv", atomically: true, encoding: .utf8)
        try books.run(["contribution", "import-bank", directory + "/statement.csv", "--year", "2026", "--key", books.clerk])
        // December 2025 holds the bills, the subsidy and the receipts: closed before the year begins.
        try books.run(["period", "close", "2025-12", "--key", books.admin])
        let memberUnits = try DatabaseQueue(path: books.environment["HUZHU_DB"]!).read {
            try String.fetchAll($0, sql: "SELECT member_id FROM enrolments ORDER BY seq")
        }

        // The year, month by month; the last 1.2% of the claims are kept for the day's work.
        let dayClaims = max(1, claims * 12 / 1000)
        let yearClaims = claims - dayClaims
        var filed = 0
        for month in 1...12 {
            let weeks = weeksOf(month: month)
            let monthClaims = yearClaims * month / 12 - yearClaims * (month - 1) / 12
            for (index, week) in weeks.enumerated() {
                let count = monthClaims * (index + 1) / weeks.count - monthClaims * index / weeks.count
                let timed = try runWeek(number: filed, count: count, days: week, members: memberUnits, books: books,
                                     approvers: (approver1, approver2))
                if month == 3 && index == 0 { building += timed }
                filed += count
            }
            if month == 2 {
                try books.run(["contribution", "receive", "--unit", unitCode(late), "--year", "2026", "--amount", "\(sizes[late] * 30)",
                               "--bank-ref", "B-\(unitCode(late))", "--date", "2026-02-10", "--key", books.clerk])
            }
            building += try payMonth(month, books: books, approvers: (approver1, approver2), timedMonth: month == 3)
            if month <= 11 {
                let close = try books.run(["period", "close", String(format: "2026-%02d", month), "--key", books.admin])
                if month == 3 { building.append(Timed(name: "`period close 2026-03`", run: close)) }
            }
            print(String(format: "  %d-%02d done: %d claims so far, %.0f s", 2026, month, filed, Date().timeIntervalSince(started)))
        }
        let events = try DatabaseQueue(path: books.environment["HUZHU_DB"]!).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM events") ?? 0 }
        print(String(format: "built the year: %d events, %.0f s", events, Date().timeIntervalSince(started)))

        // The commands an office runs on the year's books, from a checkpoint the full audit
        // rests on and leaves its state at, for the incremental audit after a day's work.
        try books.run(["member", "index", "--key", books.admin])
        try books.run(["checkpoint", "--key", books.admin])
        let member = memberUnits[7]
        let largest = unitCode(0)
        var office: [Timed] = []
        // A command that refuses (a report too long to list) is timed and shown refused, not fatal.
        func time(_ name: String, _ arguments: [String]) throws {
            samples.sample()
            let run = try runChild(books.huzhu, arguments, environment: books.environment)
            office.append(Timed(name: name, run: run))
            print(String(format: "  %@: %.2f s, %.0f MB", name, run.seconds, run.peakRSSMegabytes)
                  + (run.status == 0 ? "" : ", refused: " + (run.output.split(separator: "\n").first.map(String.init) ?? "")))
        }
        try time("`huzhu verify`", ["verify"])
        try time("`huzhu audit` (full)", ["audit"])
        for report in ["trial-balance", "balance-sheet", "income-expenditure", "fund", "claims", "controls"] {
            try time("`report \(report) --month 2026-10`", ["report", report, "--month", "2026-10"])
            try time("`report \(report) --year 2026`", ["report", report, "--year", "2026"])
        }
        try time("`report unit-statement --year 2026 --unit \(largest)`", ["report", "unit-statement", "--year", "2026", "--unit", largest])
        try time("`claim list --year 2026`", ["claim", "list", "--year", "2026"])
        try time("`member list --year 2026`", ["member", "list", "--year", "2026"])
        try time("`member statement` (one member)", ["member", "statement", member, "--year", "2026"])
        try time("`export beancount`", ["export", "beancount", "--out", directory + "/books.beancount"])
        try time("`export hledger`", ["export", "hledger", "--out", directory + "/books.journal"])
        try time("`audit export` (the auditor's bundle)", ["audit", "export", "--out", directory + "/bundle"])
        try time("`verify --bundle`", ["verify", "--bundle", directory + "/bundle"])

        // A day's work after the checkpoint the full audit rested on, then the incremental audit.
        _ = try runWeek(number: filed, count: dayClaims, days: (day("2026-12-29"), day("2026-12-29")), members: memberUnits, books: books,
                     approvers: (approver1, approver2))
        try books.run(["checkpoint", "--key", books.admin])
        try time("`audit --since-checkpoint` after a day's work (\(dayClaims) claims and their decisions)",
                 ["audit", "--since-checkpoint", "--no-save-state"])

        samples.sample()
        let rates = samples.median
        print("")
        print("single-core rates, median of \(samples.samples.count) samples beside the runs: " + rates.summary)
        print("| command, on \(members) members, \(claims) claims, \(events) events | seconds | peak RSS |")
        print("|---|---|---|")
        for timed in building + office {
            let refused = timed.run.status == 0 ? "" : " (refused: " + (timed.run.output.split(separator: "\n").first.map(String.init) ?? "") + ")"
            print(String(format: "| %@%@ | %.2f | %.0f MB |", timed.name, refused, timed.run.seconds, timed.run.peakRSSMegabytes))
        }
        if let verify = office.first(where: { $0.name == "`huzhu verify`" }), let audit = office.first(where: { $0.name == "`huzhu audit` (full)" }) {
            let eventCount = Double(events)
            print(String(format: "verify: %.2f× the verify rate; full audit: %.2f× (goal ≥ 1.5×)",
                         eventCount / verify.run.seconds / rates.verifyPerSecond, eventCount / audit.run.seconds / rates.verifyPerSecond))
        }
    }

    // MARK: The year's work

    /// Files a week's settlement claims and decides them as an office does: reviewed as one
    /// batch, a few rejected and a few lowered from decisions files, the rest approved by
    /// filter, the large ones by name by both approvers. Returns the week's commands timed.
    func runWeek(number first: Int, count: Int, days: (first: LedgerDate, last: LedgerDate), members: [String], books: BenchLedger,
              approvers: (String, String)) throws -> [Timed] {
        guard count > 0 else { return [] }
        let directory = books.directory
        let file = directory + "/week.csv"
        try writeClaims(to: file, from: first, count: count, days: days, members: members)
        let decided = days.last.text
        let imported = try books.run(["claim", "import", file, "--key", books.clerk])
        guard let line = imported.output.split(separator: "\n").first(where: { $0.hasPrefix("claims at seq ") }),
              let range = line.split(separator: " ").last.map(String.init) else {
            throw NSError(domain: "bench", code: 1, userInfo: [NSLocalizedDescriptionKey: "claim import printed no seqs: \(imported.output)"])
        }
        let review = try books.run(["claim", "review", "--filed-seqs", range, "--key", approvers.0])
        let dry = try books.run(["claim", "approve", "--filed-seqs", range, "--dry-run", "--format", "json", "--date", decided, "--key", approvers.1])
        guard let outcome = try JSONParser.parse(dry.output.trimmingCharacters(in: .whitespacesAndNewlines)).objectValue else {
            throw NSError(domain: "bench", code: 1, userInfo: [NSLocalizedDescriptionKey: "no JSON from the dry run"])
        }
        let small = (outcome["decided"]?.arrayValue ?? []).compactMap { $0["claim"]?.integerValue }
        let large = (outcome["leftOut"]?.arrayValue ?? []).filter { ($0["reason"]?.stringValue ?? "").contains("large-amount") }
            .compactMap { $0["claim"]?.integerValue }
        let rejected = small.enumerated().filter { $0.offset % 300 == 150 }.map(\.element)
        let lowered = small.enumerated().filter { $0.offset % 250 == 100 && $0.offset % 300 != 150 }.map(\.element)
        try ("claim,reason\n" + rejected.map { "\($0),非医保范围内费用\n" }.joined()).write(toFile: directory + "/reject.csv", atomically: true, encoding: .utf8)
        try ("claim,amount,reason\n" + lowered.map { "\($0),20.00,部分发票不合规\n" }.joined())
            .write(toFile: directory + "/lower.csv", atomically: true, encoding: .utf8)
        try ("claim\n" + large.map { "\($0)\n" }.joined()).write(toFile: directory + "/large.csv", atomically: true, encoding: .utf8)
        if !rejected.isEmpty { try books.run(["claim", "reject", "--file", directory + "/reject.csv", "--date", decided, "--key", approvers.1]) }
        if !lowered.isEmpty { try books.run(["claim", "approve", "--file", directory + "/lower.csv", "--date", decided, "--key", approvers.1]) }
        let approve = try books.run(["claim", "approve", "--filed-seqs", range, "--date", decided, "--key", approvers.1])
        if !large.isEmpty {
            try books.run(["claim", "approve", "--file", directory + "/large.csv", "--date", decided, "--key", approvers.0])
            try books.run(["claim", "approve", "--file", directory + "/large.csv", "--date", decided, "--key", approvers.1])
        }
        return [Timed(name: "`claim import` of a week's settlements (\(count) claims)", run: imported),
                Timed(name: "`claim review --filed-seqs` (the week's import)", run: review),
                Timed(name: "`claim approve --filed-seqs` (the week's small claims)", run: approve)]
    }

    /// The month's end: one approval revoked and that claim rejected, the payment batch
    /// approved and paid, the bank's return file recorded, those members' cards corrected
    /// and their claims paid again.
    func payMonth(_ month: Int, books: BenchLedger, approvers: (String, String), timedMonth: Bool) throws -> [Timed] {
        let directory = books.directory
        let last = try Period(String(format: "2026-%02d", month)).lastDay
        let date = last.text
        let batch = String(format: "P-2026-%02d", month)
        let queue = try DatabaseQueue(path: books.environment["HUZHU_DB"]!)
        if let revoked = try queue.read({ try String.fetchOne($0, sql: "SELECT claim_id FROM claims WHERE state = 'approved' ORDER BY filed_seq DESC LIMIT 1") }) {
            try books.run(["claim", "revoke-approval", revoked, "--reason", "发票重复", "--date", date, "--key", approvers.0])
            try books.run(["claim", "reject", revoked, "--reason", "发票重复", "--date", date, "--key", approvers.1])
        }
        try books.run(["claim", "approve-batch", batch, "--all", "--date", date, "--key", approvers.0])
        let out = directory + "/pay-\(batch).csv"
        let pay = try books.run(["claim", "pay", "--all", "--batch", batch, "--out", out, "--date", date, "--key", books.clerk])
        let lines = try String(contentsOfFile: out, encoding: .utf8).components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
        let returned = lines.enumerated().filter { $0.offset % 5000 == 2500 }.map { $0.element.split(separator: ",").map(String.init) }
        var timed = [Timed(name: "`claim pay --all` (a month's payments, \(lines.count) lines)", run: pay)]
        guard !returned.isEmpty else { return timedMonth ? timed : [] }
        try ("batch,claim,member,name,bank_card,amount,reason\n" + returned.map { $0.joined(separator: ",") + ",账户已销户\n" }.joined())
            .write(toFile: directory + "/returns.csv", atomically: true, encoding: .utf8)
        let returns = try books.run(["claim", "return-payment", "--file", directory + "/returns.csv", "--date", date, "--key", books.clerk])
        timed.append(Timed(name: "`claim return-payment --file` (\(returned.count) returned)", run: returns))
        for (index, line) in returned.enumerated() {
            try books.run(["member", "update", line[2], "--bank-card", String(format: "6228%015d", month * 10_000 + index),
                           "--reason", "原卡已销户", "--key", books.clerk])
        }
        try books.run(["claim", "approve-batch", batch + "-R"] + returned.map { $0[1] } + ["--date", date, "--key", approvers.0])
        try books.run(["claim", "pay"] + returned.map { $0[1] } + ["--batch", batch + "-R", "--out", directory + "/repay-\(batch).csv",
                                                                     "--date", date, "--key", books.clerk])
        return timedMonth ? timed : []
    }

    // MARK: Shapes

    /// Three units of a tenth of the members each; at most 150 of tens (20 to 80); thirty
    /// sharing the rest, tens of thousands each at a million members.
    func unitSizes() -> [Int] {
        let large = members / 10
        var small: [Int] = []
        var smallTotal = 0
        while small.count < 150, smallTotal + 80 < members / 40 {
            let size = 20 + (small.count * 37) % 61
            small.append(size)
            smallTotal += size
        }
        let rest = members - 3 * large - smallTotal
        let medium = (0..<30).map { rest * ($0 + 1) / 30 - rest * $0 / 30 }
        return [large, large, large] + medium + small
    }

    func unitCode(_ index: Int) -> String { String(format: "U%04d", index + 1) }

    func day(_ text: String) -> LedgerDate { try! LedgerDate(text) }

    /// The weeks of `month` (Monday to Sunday, cut at the month's ends), as first and last days.
    func weeksOf(month: Int) -> [(first: LedgerDate, last: LedgerDate)] {
        let start = try! LedgerDate(year: 2026, month: month, day: 1)
        let end = try! Period(String(format: "2026-%02d", month)).lastDay
        var weeks: [(LedgerDate, LedgerDate)] = []
        var first = start
        while first <= end {
            var last = first
            while last < end && (last.dayNumber + 4) % 7 != 6 { last = last.adding(days: 1) }  // to Sunday (1970-01-01 was a Thursday)
            weeks.append((first, last))
            first = last.adding(days: 1)
        }
        return weeks
    }

    /// Settlements of every benefit: mostly medical (own share up to 20,000, one in 500 large
    /// enough for two approvers), accident disability and death, house fires.
    func writeClaims(to path: String, from first: Int, count: Int, days: (first: LedgerDate, last: LedgerDate), members: [String]) throws {
        let span = days.last.dayNumber - days.first.dayNumber + 1
        try BenchFiles.writeLines(to: path, header: "member,benefit,settlement_id,service_date,filed_on,total_cost,covered,own_share,loss,grade",
                       count: count) { offset in
            let index = first + offset
            let member = members[(index &* 7919) % members.count]
            let service = LedgerDate(dayNumber: days.first.dayNumber + index % span).text
            let filed = days.last.text
            let key = "YB2026\(String(format: "%09d", index))"
            switch index % 1000 {
            case 7: return "\(member),accident-death,\(key),\(service),\(filed),,,,,"
            case 100, 600: return "\(member),accident-disability,\(key),\(service),\(filed),,,,,\(1 + index % 10)"
            case 200, 400, 800: return "\(member),house-fire,\(key),\(service),\(filed),,,,\(2_000 + index % 40_000).00,"
            default:
                let own = index % 500 == 3 ? 40_000 : 100 + (index &* 37) % 20_000
                return "\(member),medical,\(key),\(service),\(filed),\(own * 4).00,\(own * 2).00,\(own).00,,"
            }
        }
    }
}
