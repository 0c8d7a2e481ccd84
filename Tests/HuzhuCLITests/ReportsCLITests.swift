import Foundation
import Testing

/// Books with Chinese account names, a reversal and a checkpoint, made through the CLI.
///
/// | date       | debit                  | credit           | yuan     |
/// |------------|------------------------|------------------|----------|
/// | 2026-09-10 | 1020101 工商银行互助金户 | 40801 互助金收入  | 5,000.00 |
/// | 2026-10-08 | 1020101                | 40801            | 1,234.56 |
/// | 2026-10-15 | 50203 重大疾病互助金     | 22501 应付互助金  |   300.00 |
/// | 2026-10-20 | 22501                  | 1020101          |   300.00 |
/// | 2026-10-22 | 1020101                | 40801            |    99.99 | reversed 2026-10-23
/// | 2026-10-25 | 50701 银行手续费         | 1020101          |     0.05 | memo with ; and "
func reportBooks() throws -> CLILedger {
    let books = try CLILedger(name: "测试市总工会职工医疗互助")
    let cli = books.cli
    try cli.ok(["account", "open", "--key", "admin.key", "--code", "1020101", "--name", "工商银行互助金户"])
    try books.post(date: "2026-09-10", debit: "1020101", credit: "40801", amount: "5,000.00")
    try books.post(date: "2026-10-08", debit: "1020101", credit: "40801", amount: "1234.56")
    try books.post(date: "2026-10-15", debit: "50203", credit: "22501", amount: "300")
    try books.post(date: "2026-10-20", debit: "22501", credit: "1020101", amount: "300")
    let wrong = try books.post(date: "2026-10-22", debit: "1020101", credit: "40801", amount: "99.99")
    try cli.ok(["reverse", "\(wrong)", "--reason", "重复录入", "--key", "clerk.key", "--date", "2026-10-23"])
    try cli.ok(["post", "--key", "clerk.key", "--date", "2026-10-25", "--debit", "50701=0.05", "--credit", "1020101=0.05",
                "--memo", "手续费; \"网银\""])
    try cli.ok(["checkpoint", "--key", "admin.key"])
    return books
}

let reportKinds = ["trial-balance", "balance-sheet", "income-expenditure"]

@Suite("huzhu report and export, end to end")
struct ReportsCLITests {
    @Test("each report in each format, on books with Chinese account names")
    func everyReportEveryFormat() throws {
        let books = try reportBooks()
        let cli = books.cli
        for kind in reportKinds {
            let text = try cli.ok(["report", kind, "--month", "2026-10"])
            #expect(text.contains("2026年10月"))
            #expect(text.contains("工会主席：") && text.contains("财务负责人：") && text.contains("复核：") && text.contains("制表："))
            #expect(text.contains("依据检查点") && text.contains("平衡 ✓"))
            try expectAligned(text)

            let csv = try cli.ok(["report", kind, "--month", "2026-10", "--format", "csv"])
            #expect(csv.contains("\r\n") && csv.contains("工会主席："))

            let json = try cli.ok(["report", kind, "--month", "2026-10", "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            #expect(object["report"] as? String == kind)
            #expect(object["balanced"] as? Bool == true)

            try cli.ok(["report", kind, "--month", "2026-10", "--format", "html", "--out", "\(kind).html"])
            let html = try String(contentsOfFile: books.path("\(kind).html"), encoding: .utf8)
            #expect(html.contains("<svg ") && html.contains("@media print") && !html.contains("<script"))
        }
        let trial = try cli.ok(["report", "trial-balance", "--month", "2026-10"])
        #expect(trial.contains("工商银行互助金户"))
        #expect(trial.contains("5,934.51"))   // 5,000.00 + 1,234.56 − 300.00 − 0.05
        let sheet = try cli.ok(["report", "balance-sheet", "--month", "2026-10", "--format", "json"])
        #expect(sheet.contains("\"closingFen\":593451"))
    }

    @Test("text tables: every line of a table has the same display width, columns start at the same display column")
    func alignment() throws {
        let books = try reportBooks()
        for kind in reportKinds {
            for period in [["--month", "2026-10"], ["--year", "2026"], ["--from", "2026-09", "--to", "2026-10"]] {
                try expectAligned(try books.cli.ok(["report", kind, "--all"] + period))
            }
        }
    }

    @Test("the range and year options, and their errors")
    func periods() throws {
        let books = try reportBooks()
        let cli = books.cli
        let range = try cli.ok(["report", "income-expenditure", "--from", "2026-09", "--to", "2026-10", "--format", "json"])
        #expect(range.contains("\"label\":\"2026年9月至10月\""))
        #expect(range.contains("\"periodFen\":593451"))   // surplus: 6,234.56 − 300.00 − 0.05
        #expect(try cli.ok(["report", "trial-balance", "--year", "2026"]).contains("2026年度"))
        for (arguments, message) in [
            (["report", "trial-balance", "--month", "2026-10", "--year", "2026"], "choose one period"),
            (["report", "trial-balance", "--from", "2026-01"], "both --from and --to"),
            (["report", "trial-balance", "--month", "2026-13"], "month \"2026-13\""),
            (["report", "trial-balance", "--from", "2026-06", "--to", "2026-01"], "must end on or after"),
            (["report", "trial-balance", "--format", "pdf"], "pdf"),
            (["report", "trial-balance", "--level", "9"], "--level"),
        ] {
            let result = try cli.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        let help = try cli.ok(["report", "trial-balance", "--help"])
        #expect(help.contains("Examples:") && help.contains("--month") && help.contains("--year"))
        #expect(try cli.ok(["export", "--help"]).contains("huzhu export beancount --out"))
    }

    @Test("a report after more entries says the log has grown since the checkpoint")
    func grownSinceCheckpoint() throws {
        let books = try reportBooks()
        try books.post(date: "2026-11-02", debit: "1020101", credit: "40802", amount: "1.00")
        let text = try books.cli.ok(["report", "balance-sheet", "--month", "2026-11"])
        #expect(text.contains("the log has grown since"))
        #expect(text.contains("当前树大小"))
    }

    @Test("HTML reports render in headless Chromium with their tables, SVG charts and sign-off lines")
    func htmlInChromium() throws {
        let books = try reportBooks()
        for kind in reportKinds {
            let file = "\(kind).html"
            try books.cli.ok(["report", kind, "--month", "2026-10", "--format", "html", "--out", file])
            let result = try ExternalTool.run(["chromium", "chromium-browser"], [
                "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "file://" + books.path(file),
            ], in: books.directory)
            #expect(result.status == 0, "\(result.stderr)")
            let dom = result.stdout
            #expect(dom.contains("<svg"), "no SVG in the DOM of \(kind)")
            #expect(dom.contains("<rect"))
            #expect(dom.contains("工会主席") && dom.contains("财务负责人") && dom.contains("复核") && dom.contains("制表"))
            #expect(dom.contains("2026年10月"))
            #expect(dom.contains("平衡 ✓"))
            switch kind {
            case "trial-balance": #expect(dom.contains("科目余额表") && dom.contains("工商银行互助金户") && dom.contains("5,934.51"))
            case "balance-sheet": #expect(dom.contains("资产负债表") && dom.contains("负债和净资产合计"))
            default: #expect(dom.contains("收入支出表") && dom.contains("重大疾病互助金"))
            }
        }
        let shot = try ExternalTool.run(["chromium", "chromium-browser"], [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1100,1600",
            "--screenshot=" + books.path("trial-balance.png"), "file://" + books.path("trial-balance.html"),
        ], in: books.directory)
        #expect(shot.status == 0, "\(shot.stderr)")
        let png = try Data(contentsOf: URL(fileURLWithPath: books.path("trial-balance.png")))
        #expect(png.count > 10_000 && png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }

    @Test("bean-check accepts the beancount export, and its balances equal the trial balance, account by account")
    func beancount() throws {
        let books = try reportBooks()
        let export = try books.cli.run(["export", "beancount", "--out", "books.beancount"])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stderr.contains("exported 7 entries (1 reversals)"))
        let check = try ExternalTool.run(["bean-check"], ["books.beancount"], in: books.directory)
        #expect(check.status == 0, "bean-check: \(check.stdout) \(check.stderr)")
        try books.write("balances.py", beancountBalancesScript)
        let sums = try ExternalTool.run(["python3"], ["balances.py", "books.beancount"], in: books.directory)
        #expect(sums.status == 0, "\(sums.stderr)")
        let leafFen = try #require(try JSONSerialization.jsonObject(with: Data(sums.stdout.utf8)) as? [String: Int])
        try expectMatchesTrialBalance(books, toolLeafFen: leafFen, tool: "beancount")
    }

    @Test("hledger reads the hledger export, and its balances equal the trial balance, account by account")
    func hledger() throws {
        let books = try reportBooks()
        try books.cli.ok(["export", "hledger", "--out", "books.journal"])
        let result = try ExternalTool.run(["hledger"], ["-f", "books.journal", "bal", "--flat", "--no-total", "-O", "csv"],
                                          in: books.directory)
        #expect(result.status == 0, "hledger: \(result.stderr)")
        var leafFen: [String: Int] = [:]
        for line in result.stdout.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            guard fields.count == 2 else { continue }
            let amount = fields[1].replacingOccurrences(of: " CNY", with: "")
            let value = try #require(fenFromYuan(amount) as Int?, "hledger printed \(fields[1])")
            leafFen[fields[0]] = value
        }
        #expect(!leafFen.isEmpty)
        try expectMatchesTrialBalance(books, toolLeafFen: leafFen, tool: "hledger")
        // The tree view rolls parents up itself; spot-check one against Huzhu's 102.
        let tree = try ExternalTool.run(["hledger"], ["-f", "books.journal", "bal", "--tree", "--no-elide", "--no-total", "-O", "csv", "Assets:102"],
                                        in: books.directory)
        #expect(tree.stdout.contains("\"Assets:102\",\"5934.51 CNY\""), "\(tree.stdout)")
    }
}

/// Every account's closing balance in `huzhu report trial-balance --year 2026 --all`
/// equals the tool's, with the tool's leaf balances rolled up to the parents.
func expectMatchesTrialBalance(_ books: CLILedger, toolLeafFen: [String: Int], tool: String) throws {
    let json = try books.cli.ok(["report", "trial-balance", "--year", "2026", "--all", "--format", "json"])
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let tables = try #require(object["tables"] as? [[String: Any]])
    let rows = try #require(tables.first { $0["key"] as? String == "accounts" }?["rows"] as? [[String: Any]])
    var rolled: [String: Int] = [:]
    for (name, amount) in toolLeafFen {
        // Assets:102:10201:1020101 counts toward 102, 10201 and 1020101.
        for code in name.split(separator: ":").dropFirst() {
            rolled[String(code), default: 0] += amount
        }
    }
    #expect(rows.count == 43)   // the 42 accounts of the chart and 1020101
    var compared = 0
    for row in rows {
        let code = try #require(row["code"] as? String)
        let closing = try #require(row["closingFen"] as? Int)
        let signed = row["closingSide"] as? String == "贷" ? -closing : closing
        #expect(rolled[code, default: 0] == signed, "\(tool) has \(rolled[code, default: 0]) fen on \(code), Huzhu \(signed)")
        compared += 1
    }
    #expect(compared == 43)
    #expect(Set(rolled.keys).isSubset(of: Set(rows.compactMap { $0["code"] as? String })), "\(tool) has accounts Huzhu does not")
}

/// Requires each table in a text report to be aligned: all its lines one display width,
/// and each column starting at the same display column on every line.
func expectAligned(_ text: String) throws {
    var blocks: [[String]] = []
    var current: [String]?
    for line in text.components(separatedBy: "\n") {
        if line.hasPrefix("【") { current = []; continue }
        if line.isEmpty {
            if let block = current, !block.isEmpty { blocks.append(block) }
            current = nil
            continue
        }
        current?.append(line)
    }
    #expect(blocks.count >= 2)
    for block in blocks {
        let widths = Set(block.map(displayWidth))
        #expect(widths.count == 1, "lines of different widths:\n\(block.joined(separator: "\n"))")
        // Columns start where the dashes of the rule under the header start.
        let rule = block[1]
        #expect(rule.allSatisfy { $0 == "-" || $0 == " " })
        let starts = columnStarts(rule)
        for line in block where line != rule {
            for start in starts.dropFirst() {
                // Two separator spaces before each column start on every line.
                let prefix = prefix(of: line, displayColumns: start)
                #expect(prefix != nil && prefix!.hasSuffix("  "), "column at \(start) misaligned in: \(line)")
            }
        }
    }
}

/// Where each run of dashes begins, in display columns (the rule is ASCII).
func columnStarts(_ rule: String) -> [Int] {
    var starts: [Int] = []
    var previous: Character = " "
    for (index, character) in rule.enumerated() {
        if character == "-" && previous == " " { starts.append(index) }
        previous = character
    }
    return starts
}

/// The start of `line` that takes exactly `columns` display columns, or nil if a wide
/// character straddles that column.
func prefix(of line: String, displayColumns columns: Int) -> String? {
    var width = 0
    var result = ""
    for character in line {
        if width == columns { return result }
        if width > columns { return nil }
        width += displayWidth(String(character))
        result.append(character)
    }
    return width == columns ? result : nil
}

/// Display width by East Asian Width, written independently of Huzhu's TextTable so the
/// test does not check the code against itself.
func displayWidth(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { width, scalar in
        let value = scalar.value
        let wide = (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value) || (0xAC00...0xD7A3).contains(value)
            || (0xF900...0xFAFF).contains(value) || (0xFE30...0xFE4F).contains(value) || (0xFF00...0xFF60).contains(value)
            || (0xFFE0...0xFFE6).contains(value) || (0x20000...0x3FFFD).contains(value)
        return width + (wide ? 2 : 1)
    }
}

/// "-1234.50" as fen, exactly.
func fenFromYuan(_ text: String) -> Int? {
    let negative = text.hasPrefix("-")
    let digits = negative ? String(text.dropFirst()) : text
    let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 2, parts[1].count == 2, let yuan = Int(parts[0]), let cents = Int(parts[1]) else {
        if parts.count == 1, let yuan = Int(parts[0]) { return (negative ? -1 : 1) * yuan * 100 }
        return nil
    }
    return (negative ? -1 : 1) * (yuan * 100 + cents)
}

/// Sums every posting per account with beancount's own loader (exact decimals), as JSON.
let beancountBalancesScript = """
    import json, sys
    from beancount import loader
    from beancount.core import data
    entries, errors, options = loader.load_file(sys.argv[1])
    if errors:
        for error in errors:
            print(error, file=sys.stderr)
        sys.exit(1)
    totals = {}
    for entry in entries:
        if isinstance(entry, data.Transaction):
            for posting in entry.postings:
                assert posting.units.currency == "CNY"
                fen = posting.units.number * 100
                assert fen == int(fen), posting
                totals[posting.account] = totals.get(posting.account, 0) + int(fen)
    print(json.dumps(totals))
    """
