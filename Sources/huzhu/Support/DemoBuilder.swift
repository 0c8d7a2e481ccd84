import Foundation
import Ledger
import MutualAid
import MutualAidSQLite

/// Builds the sample ledger `huzhu demo` shows: a plan year of a union's medical
/// mutual-aid plan, from enrolment to the last payment, then verifies every event.
///
/// Deterministic: the same seed gives the same units, members and claims (keys and
/// ledger ids are new each time). Six units, about 5,000 members, contributions with
/// one unit paying late, a year of claims of every benefit with rejections the rules
/// find on their own, large claims approved by two approvers, and the corrections an
/// office makes: a receipt keyed wrong and reversed, an approval revoked before payment,
/// a payment the bank returned.
public struct DemoBuilder {
    public let directory: String
    public var unitCount = 6
    public var membersPerUnit = 850
    public var claimCount = 264

    public init(directory: String) { self.directory = directory }

    /// What the demo built, for its summary.
    public struct Summary: Sendable, CustomStringConvertible {
        public var path = ""
        public var name = ""
        public var units = 0
        public var members = 0
        public var billed = Money.zero
        public var received = Money.zero
        public var claimsFiled = 0
        public var rejectedByRules: [String: Int] = [:]
        public var rejectedByApprover = 0
        public var dualApproved = 0
        public var paid = 0
        public var paidAmount = Money.zero
        /// The corrections the year holds, one line each.
        public var corrections: [String] = []
        /// Payment batches an approver approved, and entries on the fund's accounts proposed and approved.
        public var approvedBatches = 0
        public var approvedEntries = 0
        public var payoutsByBenefit: [(String, Int, Money)] = []
        public var bankBalance = Money.zero
        public var events: Int64 = 0
        public var signatures: Int64 = 0
        public var root = ""
        public var checkpoints = 0
        public var seconds = 0.0

        public var description: String {
            var lines = [
                "demo ledger: \(path) (\(name))",
                "keys: admin.key, clerk.key, approver-1.key, approver-2.key in \(URL(fileURLWithPath: path).deletingLastPathComponent().path)",
                "units: \(units), members enrolled for 2026: \(members) (plan unit-paid-2026: 60 yuan per member, paid by the unit)",
                "contributions billed \(billed.formatted()), received \(received.formatted())",
                "claims filed: \(claimsFiled); rejected by the rules: \(rejectedByRules.values.reduce(0, +)); rejected by an approver: \(rejectedByApprover); approved by two approvers: \(dualApproved)",
            ]
            for (reason, count) in rejectedByRules.sorted(by: { $0.key < $1.key }) { lines.append("  rejected \(count) × \(reason)") }
            lines.append("paid: \(paid) claims, \(paidAmount.formatted())")
            for (benefit, count, amount) in payoutsByBenefit { lines.append("  \(benefit): \(count) person-times, \(amount.formatted())") }
            lines.append("internal control: \(approvedBatches) payment batches approved before payment; \(approvedEntries) entries on the fund's bank account proposed and approved (the one over the threshold by two approvers)")
            lines.append("corrections: \(corrections.count)")
            for correction in corrections { lines.append("  \(correction)") }
            lines.append("bank balance (10201 互助金专户): \(bankBalance.formatted()); payout ratio \(received.fen > 0 ? String(format: "%.2f", Double(paidAmount.fen) * 100 / Double(received.fen)) : "-")% of contributions")
            lines.append("verify: ok — \(events) events, \(signatures) signatures, \(checkpoints) checkpoints; root \(root)")
            lines.append(String(format: "built in %.1f s. Try: huzhu claim list --year 2026 --db %@ | head", seconds, path))
            return lines.joined(separator: "\n")
        }
    }

    /// Builds the demo. `progress` receives a status line now and then.
    public func build(progress: (String) -> Void) throws -> Summary {
        let started = Date()
        let fileManager = FileManager.default
        let marker = directory + "/.huzhu-demo"
        if fileManager.fileExists(atPath: directory) {
            guard fileManager.fileExists(atPath: marker) else {
                throw LedgerInputError(field: "dir", value: directory, reason: "exists and is not an earlier demo; choose another --dir")
            }
            try fileManager.removeItem(atPath: directory)
        }
        try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        _ = fileManager.createFile(atPath: marker, contents: Data())

        var random = SeededRandom(seed: 2026)
        let admin = SigningKey(), clerk = SigningKey(), approver1 = SigningKey(), approver2 = SigningKey()
        for (key, name) in [(admin, "admin"), (clerk, "clerk"), (approver1, "approver-1"), (approver2, "approver-2")] {
            try key.write(to: "\(directory)/\(name).key")
        }
        let path = directory + "/huzhu.db"
        var summary = Summary()
        summary.path = path
        progress("creating the ledger and registering keys")
        let ledger = try HuzhuLedger.create(path: path, name: "示范市总工会职工医疗互助", admin: admin, adminHolder: "工会财务部 管理员")
        summary.name = ledger.info.name
        try ledger.registerKey(clerk.publicKey, roles: [.clerk], holder: "经办员 李明", signer: admin)
        try ledger.registerKey(approver1.publicKey, roles: [.approver], holder: "审批 张华", signer: admin)
        try ledger.registerKey(approver2.publicKey, roles: [.approver], holder: "审批 王芳", signer: admin)
        let book = MutualAidBook(ledger: ledger)
        let planText = try ExamplePlans.text(ExamplePlans.unitPaid2026)
        try planText.write(toFile: directory + "/unit-paid-2026.toml", atomically: true, encoding: .utf8)
        try book.publishPlan(text: planText, file: "unit-paid-2026.toml", signer: admin)

        // Units and their rosters, written as CSV files a clerk would receive.
        let unitNames = ["市机械厂工会", "第一人民医院工会", "市公交集团工会", "实验中学工会", "电力公司工会", "纺织集团工会"]
        var members: [(MemberID, female: Bool, unit: Int)] = []
        for index in 0..<unitCount {
            let unit = try UnitID(String(format: "U%03d", index + 1))
            try book.addUnit(unit, name: unitNames[index % unitNames.count], signer: clerk)
            let rosterPath = "\(directory)/roster-\(unit).csv"
            var roster = "姓名,身份证号,手机号,银行卡号,入会日期\n"
            for person in 0..<membersPerUnit {
                let female = random.next(100) < 48
                let birth = 1966 + Int(random.next(36))
                let sequence = 100 + Int(random.next(800)) * 2 + (female ? 0 : 1)
                let body = String(format: "%@%04d%02d%02d%03d", ["110105", "310104", "440106", "510107"][person % 4], birth,
                                  1 + Int(random.next(12)), 1 + Int(random.next(28)), sequence % 1000)
                let id = body + String(ResidentID.checkCharacter(for: body)!)
                // Most enrol in the window; a few join mid-year as new employees.
                let date = person % 40 == 39 ? "2026-0\(3 + person % 5)-15" : "2025-11-\(10 + person % 10)"
                roster += "\(DemoNames.name(&random, female: female)),\(id),13\(String(format: "%09d", random.next(1_000_000_000))),"
                    + "6222\(DemoBuilder.digits(random.next(1_000_000_000) * 1000 + UInt64(person), count: 15)),\(date)\n"
            }
            try roster.write(toFile: rosterPath, atomically: true, encoding: .utf8)
            let reader = try RosterReader(path: rosterPath, defaultDate: try LedgerDate("2025-11-15"))
            let preparer = EnrolmentRowPreparer()
            _ = try book.enroll(unit: unit, year: 2026, next: { try reader.next().map(preparer.prepare) }, skipInvalid: true,
                                signer: clerk)
            try book.forEachMember(year: 2026, unit: unit) { members.append((try MemberID($0.member), $0.sex == "female", index)) }
            progress(ProgressBar.line("enrolling members", done: index + 1, of: unitCount))
        }
        summary.units = unitCount
        summary.members = members.count

        // Contributions: billed after the window closes; the last unit pays late, in February.
        let bills = try book.bill(year: 2026, date: try LedgerDate("2025-12-21"), signer: clerk)
        summary.billed = Money(fen: bills.reduce(0) { $0 + $1.amount.fen })
        for (index, bill) in bills.enumerated() {
            let date = try LedgerDate(index == bills.count - 1 ? "2026-02-20" : "2025-12-\(24 + index)")
            let unit = try UnitID(bill.unit), reference = "BANK-\(bill.unit)-2026"
            if index == 1 {
                // A clerk keys one head short; the receipt is reversed the next day and recorded
                // again, right, under the same bank reference.
                let wrong = try book.receive(unit: unit, year: 2026, amount: Money(fen: bill.amount.fen - 60_00), bankReference: reference,
                                             date: date, signer: clerk)
                _ = try ledger.reverse(seq: wrong.seq, date: date.adding(days: 1), reason: "金额录错，少录 1 人", signer: clerk)
                summary.corrections.append("receipt \(reference) reversed and recorded again")
            }
            try book.receive(unit: unit, year: 2026, amount: bill.amount, bankReference: reference, date: date.adding(days: index == 1 ? 1 : 0),
                             signer: clerk)
            summary.received = try summary.received.adding(bill.amount)
        }
        // Late joiners are billed when they enrol; a second bill covers them.
        _ = try book.bill(year: 2026, date: try LedgerDate("2026-08-31"), signer: clerk)

        // A year of claims, month by month: filed, reviewed, decided, paid, checkpointed.
        // Large claims, one a few months apart: critical illness and women's special diseases pay
        // fixed sums over the two-approver threshold; one is claimed for a man and is refused.
        let largeClaims: [Int: (benefit: String, female: Bool)] = [
            4: ("critical-illness", false), 6: ("womens-special", true), 8: ("critical-illness", true),
            9: ("womens-special", false), 10: ("womens-special", true),
        ]
        var settlementNumber = 0
        for month in 1...12 {
            var inputs: [ClaimInput] = []
            for index in 0..<(claimCount / 12) {
                var (member, female, _) = members[Int(random.next(UInt64(members.count)))]
                var benefit = random.next(100) < 65 ? "hospital" : "special-outpatient"
                if index == 0, let large = largeClaims[month] {
                    benefit = large.benefit
                    while female != large.female { (member, female, _) = members[Int(random.next(UInt64(members.count)))] }
                }
                let day = 1 + Int(random.next(25))
                let service = try LedgerDate(year: 2026, month: month, day: day)
                let filed = service.adding(days: 3 + Int(random.next(20)))
                settlementNumber += 1
                let ownShareBased = benefit == "hospital" || benefit == "special-outpatient"
                let total = Money(fen: benefit == "hospital" ? Int64(1_000_00 + random.next(11_000_00)) : Int64(200_00 + random.next(2_800_00)))
                let own = Money(fen: total.fen * Int64(15 + random.next(16)) / 100)
                let covered = Money(fen: total.fen - own.fen - total.fen / 20)
                inputs.append(try ClaimInput(
                    row: inputs.count + 1, member: member, benefit: benefit, settlementID: String(format: "YB2026%07d", settlementNumber),
                    serviceDate: service, filedOn: filed, totalCost: ownShareBased ? total : nil,
                    insuranceCovered: ownShareBased ? covered : nil, ownShare: ownShareBased ? own : nil,
                    documents: ["互助金申请表", "医保结算单"], diagnosis: ownShareBased ? "住院治疗" : "诊断证明"))
            }
            if month == 5, let first = inputs.first {
                // A clerk keys in a settlement already on file, with another amount: the rules reject it as a duplicate.
                inputs.append(try ClaimInput(row: inputs.count + 1, member: first.member, benefit: first.benefit, settlementID: first.settlementID,
                                             serviceDate: first.serviceDate, filedOn: first.filedOn, totalCost: first.totalCost,
                                             insuranceCovered: first.insuranceCovered,
                                             ownShare: first.ownShare.map { Money(fen: $0.fen + 100) }, documents: first.documents))
            }
            let filed = try book.file(inputs, signer: clerk)
            summary.claimsFiled += filed.count
            for claim in filed {
                if let rejection = claim.rejection, let code = claim.computation?.rejection?.code ?? (rejection.contains("already") ? "duplicate" : nil) {
                    summary.rejectedByRules[code, default: 0] += 1
                }
            }
            let open = filed.filter { $0.rejection == nil && !$0.wasAlreadyFiled }
            let decisionDate = try LedgerDate(year: 2026, month: month, day: 28)
            for (index, claim) in open.enumerated() {
                try book.review(claim: claim.claim, note: "材料齐全", signer: approver1)
                if index % 50 == 7 {
                    try book.reject(claim: claim.claim, reason: "发票与结算单不符", date: decisionDate.adding(days: 20), signer: approver1)
                    summary.rejectedByApprover += 1
                    continue
                }
                let approval = try book.approve(claim: claim.claim, date: decisionDate.adding(days: 20), signer: approver1)
                if !approval.complete {
                    _ = try book.approve(claim: claim.claim, date: decisionDate.adding(days: 21), signer: approver2)
                    summary.dualApproved += 1
                } else if month == 6 && index == 3 {
                    // A second look finds a cost outside the plan: the approval is revoked before
                    // payment, and the claim approved again for less.
                    try book.revokeApproval(claim: claim.claim, reason: "含自费药品费用，需核减", date: decisionDate.adding(days: 22), signer: approver2)
                    let lower = Money(fen: max(claim.payout.fen * 4 / 5, 1))
                    _ = try book.approve(claim: claim.claim, amount: lower, reason: "核减自费药品", date: decisionDate.adding(days: 23), signer: approver1)
                    summary.corrections.append("claim \(claim.claim)'s approval revoked and approved again for \(lower.formatted())")
                }
            }
            // Money leaving the fund's bank in one batch needs an approver's word (large-amount rule).
            let batch = "PAY-2026-\(String(format: "%02d", month))"
            if try !book.claims(year: 2026, state: .approved, limit: 1).isEmpty {
                _ = try book.approveBatch(batch, claims: nil, date: decisionDate.adding(days: 24), signer: approver2)
                summary.approvedBatches += 1
            }
            let paid = try book.pay(claims: nil, batch: batch, date: decisionDate.adding(days: 25), signer: clerk)
            if month == 3, let returned = paid.lines.first {
                // The bank sends a payment back (the card was closed); the next month's batch pays it again.
                try book.returnPayment(claim: returned.claim, reason: "银行退回：账户已销户", date: decisionDate.adding(days: 27), signer: clerk)
                summary.corrections.append("claim \(returned.claim)'s payment returned by the bank and paid again")
            }
            _ = try ledger.signCheckpoint(signer: admin)
            progress(ProgressBar.line("claims, month \(month)", done: month, of: 12))
        }

        // Entries on the fund's bank account outside claims are proposed and approved (内控):
        // the quarter's bank fee by one approver, the half-year's interest, over the
        // large-amount threshold, by two.
        progress("entries on the plan's accounts: proposed by the clerk, approved")
        for (lines, memo, approvers) in [
            ([try Posting.debit(AccountCode("50701"), Money(fen: 3_500)), try .credit(AccountCode("10201"), Money(fen: 3_500))], "二季度专户手续费", [approver1]),
            ([try Posting.debit(AccountCode("10201"), Money(fen: 1_234_567)), try .credit(AccountCode("40802"), Money(fen: 1_234_567))], "上半年专户利息", [approver1, approver2]),
        ] {
            let entry = try JournalEntry(date: LedgerDate("2026-06-30"), memo: memo, postings: lines, idempotencyKey: "DEMO-\(memo)")
            let proposed = try book.propose(EntryProposal(entry: entry), signer: clerk)
            for approver in approvers { _ = try book.approveEntry(proposal: proposed.outcome.seq, signer: approver) }
            summary.approvedEntries += 1
        }

        var paid: [String: ClaimTally] = [:]
        var filter = ClaimFilter()
        filter.state = .paid
        try book.forEachClaim(filter) { claim in try paid[claim.benefit, default: ClaimTally()].add(ClaimTally(count: 1, amount: claim.paid ?? .zero)) }
        let total = try paid.total()
        (summary.paid, summary.paidAmount) = (Int(total.count), total.amount)
        summary.payoutsByBenefit = paid.sorted { $0.key < $1.key }.map { ($0.key, Int($0.value.count), $0.value.amount) }
        let bank = try ledger.read { try $0.totals(from: nil, through: nil) }[try AccountCode("10201")] ?? AccountTotals()
        summary.bankBalance = try bank.balance(for: .asset)
        progress("verifying every hash, link, signature and checkpoint")
        let report = try LogVerifier(store: ledger.store, policy: ledger.policy).verify()
        guard report.isValid else {
            throw LedgerInputError(field: "demo", value: path, reason: "verification failed: \(report.failures[0])")
        }
        summary.events = report.eventCount
        summary.signatures = report.signaturesVerified
        summary.checkpoints = report.checkpointsVerified
        summary.root = report.rootHash.hex
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }
}

extension DemoBuilder {
    /// `value` as exactly `count` decimal digits, zero-padded. (`String(format: "%015d")` with
    /// a 64-bit value is not a 64-bit conversion on Linux: it wrote 440 malformed cards.)
    static func digits(_ value: UInt64, count: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, count - text.count)) + text
    }
}

/// A small deterministic generator (SplitMix64), so the demo is the same every run.
struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next(_ bound: UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return (z ^ (z >> 31)) % bound
    }
}

/// Plausible names for sample members.
enum DemoNames {
    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗")
    static let femaleGiven = ["秀英", "桂英", "丽", "敏", "静", "艳", "娟", "霞", "芳", "婷"]
    static let maleGiven = ["伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明"]

    static func name(_ random: inout SeededRandom, female: Bool) -> String {
        let given = female ? femaleGiven : maleGiven
        return String(surnames[Int(random.next(UInt64(surnames.count)))]) + given[Int(random.next(UInt64(given.count)))]
    }
}

/// A one-line progress bar for long work, drawn on standard error.
public enum ProgressBar {
    public static func line(_ label: String, done: Int, of total: Int, width: Int = 30) -> String {
        let filled = total == 0 ? width : width * done / total
        return "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] "
            + "\(total == 0 ? 100 : 100 * done / total)% \(label)"
    }
}
