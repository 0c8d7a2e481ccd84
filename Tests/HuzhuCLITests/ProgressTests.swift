import Foundation
import Testing

/// Progress as a person at a terminal and a CI log see it, through the real binary: on a
/// terminal (a pseudo-terminal from util-linux `script`) one line redrawn in place with
/// done of total, percentage, rate and time left; in a log, no line for short work; with
/// --quiet, none at all.
@Suite("progress on standard error", .serialized)
struct ProgressTests {
    /// A ledger of `entries` two-line entries, posted from a file.
    static func ledger(entries: Int) throws -> CLILedger {
        let books = try CLILedger()
        var text = "ref,date,memo,account,debit,credit\n"
        for index in 0..<entries {
            text += "V-\(index),2026-10-08,互助金,10201,1.00,\nV-\(index),2026-10-08,互助金,40801,,1.00\n"
        }
        try books.write("entries.csv", text)
        try books.cli.ok(["post", "--key", "clerk.key", "--file", "entries.csv"])
        return books
    }

    /// Runs `huzhu ARGS` on a pseudo-terminal and returns all it wrote there, stdout and stderr.
    static func onTerminal(_ books: CLILedger, _ arguments: [String]) throws -> String {
        let command = ([CLI.executable] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let result = try ExternalTool.run(["script"], ["-qfec", "HUZHU_DB='\(books.location)' COLUMNS=100 \(command)", "/dev/null"],
                                          in: books.directory)
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        return result.stdout
    }

    @Test("verify, audit and post --file on a terminal: one line redrawn in place, with counts, percentage, rate and time left, then cleared")
    func terminal() throws {
        let books = try Self.ledger(entries: 9_000)
        let verify = try Self.onTerminal(books, ["verify"])
        #expect(verify.contains("\r\u{1B}[Kverifying events: 4,096 of "), "\(verify.debugDescription)")
        #expect(verify.contains("%), ") && verify.contains("/s, ") && verify.contains(" left"), "\(verify.debugDescription)")
        // The line is cleared before the result, which starts on a clean line.
        #expect(verify.contains("\r\u{1B}[Kok: "), "\(verify.debugDescription)")

        let audit = try Self.onTerminal(books, ["audit"])
        #expect(audit.contains("\r\u{1B}[Kauditing events: 4,096 of ") && audit.contains("\r\u{1B}[Kauditing: every event read"),
                "\(audit.debugDescription)")

        var rows = "ref,date,memo,account,debit,credit\n"
        for index in 0..<3_000 { rows += "W-\(index),2026-10-09,互助金,10201,1.00,\nW-\(index),2026-10-09,互助金,40801,,1.00\n" }
        try books.write("more.csv", rows)
        let post = try Self.onTerminal(books, ["post", "--key", "clerk.key", "--file", "more.csv"])
        #expect(post.contains("\r\u{1B}[Kposting entries: 1,000, "), "\(post.debugDescription)")
        #expect(post.contains("posted 3000 entries"), "\(post.debugDescription)")

        let quiet = try Self.onTerminal(books, ["verify", "--quiet"])
        #expect(!quiet.contains("verifying events") && quiet.contains("ok: "), "\(quiet.debugDescription)")
    }

    @Test("a roster's enrolment and a settlement file's import count against the file's rows")
    func againstTheFile() throws {
        let plan = try MutualAidBooks(members: 1)
        try plan.books.write("big-roster.csv", MutualAidBooks.roster(count: 2_000, start: 100))
        let enrolled = try Self.onTerminal(plan.books, ["member", "enroll", "--unit", "U001", "--year", "2026", "--roster", "big-roster.csv",
                                                        "--date", "2025-11-02", "--key", "clerk.key"])
        #expect(enrolled.contains("enrolling: 1,000 of 2,000 (50%)"), "\(enrolled.debugDescription)")
        #expect(enrolled.contains("enrolled 2000"), "\(enrolled.debugDescription)")

        var settlements = "member,benefit,settlement_id,service_date,filed_on,total_cost,covered,own_share\n"
        for index in 0..<600 { settlements += "\(plan.members[0]),medical,P-\(index),2026-03-01,2026-03-05,500,300,100\n" }
        try plan.books.write("settlements.csv", settlements)
        let imported = try Self.onTerminal(plan.books, ["claim", "import", "settlements.csv", "--key", "clerk.key"])
        #expect(imported.contains("filing claims: 256 of 600 (42%)"), "\(imported.debugDescription)")
        #expect(imported.contains("filed 600 claims"), "\(imported.debugDescription)")
    }

    @Test("in a log (standard error a pipe), short work writes no progress lines; the result is unchanged")
    func plain() throws {
        let books = try Self.ledger(entries: 9_000)
        let result = try books.cli.run(["verify"])
        #expect(result.status == 0 && result.stdout.contains("ok: "), "\(result.stdout)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }
}
