import Foundation
import Testing

@Suite("huzhu CLI: the ledger workflow")
struct CLIWorkflowTests {
    @Test("init, keys, accounts, post, reverse, log, balance, checkpoint, proofs and verify")
    func workflow() throws {
        let books = try CLILedger()
        let cli = books.cli
        #expect(try cli.ok(["verify"]).contains("ok:"))

        try cli.ok(["account", "open", "--key", "admin.key", "--code", "1020101", "--name", "工商银行互助金户"])
        let accounts = try cli.ok(["account", "list", "--format", "json"])
        #expect(accounts.contains("\"code\":\"1020101\""))
        #expect(accounts.contains("\"type\":\"asset\""))

        let seq = try books.post(debit: "1020101", amount: "1,234.50", ref: "BANK-1")
        let again = try cli.ok(["post", "--key", "clerk.key", "--date", "2026-10-08", "--debit", "1020101=1234.5",
                                "--credit", "40801=1234.50", "--ref", "BANK-1"])
        #expect(again.contains("already recorded at seq \(seq)"))

        let balance = try cli.ok(["balance", "--format", "json", "--date", "2026-10-31"])
        #expect(balance.contains("\"code\":\"102\""))
        #expect(balance.contains("\"balanceFen\":123450"))
        #expect(balance.contains("\"totalDebitFen\":123450,\"totalCreditFen\":123450") || balance.contains("\"totalCreditFen\":123450"))
        #expect(try cli.ok(["balance", "--date", "2026-10-07", "--format", "json"]).contains("\"accounts\":[]"))

        let reversed = try cli.ok(["reverse", "\(seq)", "--reason", "录入错误", "--key", "clerk.key", "--date", "2026-10-09"])
        #expect(reversed.contains("reversed seq \(seq)"))
        #expect(try cli.ok(["balance", "--format", "json"]).contains("\"code\":\"1020101\",\"creditFen\":123450,\"debitFen\":123450"))

        let log = try cli.ok(["log", "--kind", "entry.reversed", "--format", "json"])
        #expect(log.contains("\"reverses\":\(seq)"))
        let text = try cli.ok(["log", "--account", "40801"])
        #expect(text.contains("entry.posted") && text.contains("entry.reversed") && !text.contains("account.opened"))

        let checkpoint = try cli.ok(["checkpoint", "--key", "admin.key"])
        #expect(checkpoint.contains("huzhu-checkpoint-v1"))
        try books.write("proof.json", try cli.ok(["proof", "inclusion", "\(seq)"]))
        let adminKey = try String(contentsOfFile: books.path("admin.key"), encoding: .utf8)
        let publicKey = String(adminKey.split(separator: "\"").drop(while: { $0 != "publicKey" }).dropFirst(2).first!)
        #expect(try cli.ok(["proof", "check", "proof.json", "--public-key", publicKey]).contains("checkpoint signed by"))
        // A consistency proof from a size no checkpoint states is bound to nothing signed.
        try books.write("consistency.json", try cli.ok(["proof", "consistency", "5", "\(seq)"]))
        let unbound = try cli.run(["proof", "check", "consistency.json", "--public-key", publicKey])
        #expect(unbound.status == 1 && unbound.stdout.contains("FAIL no checkpoint states tree size 5"), "\(unbound.stdout)")

        // A tampered proof is refused with exit 1.
        let proof = try String(contentsOfFile: books.path("proof.json"), encoding: .utf8)
        let hashes = proof.components(separatedBy: "\"proof\":[\"")[1]
        let first = String(hashes.prefix(64))
        let flipped = (first.first == "0" ? "1" : "0") + first.dropFirst()
        try books.write("bad.json", proof.replacingOccurrences(of: first, with: flipped))
        #expect(try cli.run(["proof", "check", "bad.json", "--public-key", publicKey]).status == 1)
        #expect(try cli.run(["proof", "check", "proof.json"]).status == 2, "no key, no check")

        let verify = try cli.ok(["verify", "--format", "json"])
        #expect(verify.contains("\"valid\":true"))
        #expect(verify.contains("\"checkpointsVerified\":1"))
    }

    @Test("bad input exits 2 with a message naming the field; nothing is written")
    func badInput() throws {
        let books = try CLILedger()
        let cli = books.cli
        let before = try cli.ok(["log", "--format", "json"])
        let cases: [([String], String)] = [
            (["post", "--key", "clerk.key", "--date", "2026-02-30", "--debit", "10201=1", "--credit", "40801=1"], "date \"2026-02-30\""),
            (["post", "--key", "clerk.key", "--date", "2026-10-01", "--debit", "10201=1.234", "--credit", "40801=1.234"], "two decimals"),
            (["post", "--key", "clerk.key", "--date", "2026-10-01", "--debit", "10201=2", "--credit", "40801=1"], "debits and credits must be equal"),
            (["post", "--key", "clerk.key", "--date", "2026-10-01", "--debit", "19999=1", "--credit", "40801=1"], "account 19999 does not exist"),
            (["post", "--key", "clerk.key", "--date", "2026-10-01", "--debit", "1x=1", "--credit", "40801=1"], "account \"1x\""),
            (["post", "--key", "admin.key", "--date", "2026-10-01", "--debit", "10201=1", "--credit", "40801=1"], "needs the role clerk"),
            (["post", "--date", "2026-10-01", "--debit", "10201=1", "--credit", "40801=1"], "--key"),
            (["post", "--key", "clerk.key"], "--date"),
            (["reverse", "999", "--reason", "x", "--key", "clerk.key"], "no event with seq 999"),
            (["key", "register", "--key", "admin.key", "--public-key", "zz", "--roles", "clerk", "--holder", "x"], "public key"),
            (["key", "register", "--key", "clerk.key", "--key-file", "admin.key", "--roles", "boss", "--holder", "x"], "\"boss\" is not a role"),
            (["account", "open", "--key", "admin.key", "--code", "10201", "--name", "dup"], "already open"),
            (["nonsense"], "Unexpected argument"),
        ]
        for (arguments, message) in cases {
            let result = try cli.run(arguments)
            #expect(result.status == 2, "huzhu \(arguments.joined(separator: " ")) → \(result.status): \(result.stderr)")
            #expect(result.stderr.contains(message), "huzhu \(arguments.joined(separator: " ")): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        #expect(try cli.ok(["log", "--format", "json"]) == before)
        let missing = try CLI(directory: books.directory).run(["verify", "--db", "nope.db"])
        #expect(missing.status == 2 && missing.stderr.contains("no ledger file"))
    }

    @Test("a batch file posts all entries or none, naming the failing row")
    func batchFile() throws {
        let books = try CLILedger()
        let cli = books.cli
        try books.write("good.csv", """
            ref,date,memo,account,debit,credit
            V-1,2026-10-08,机械厂互助金,10201,"1,200.00",
            V-1,2026-10-08,机械厂互助金,40801,,1200
            V-2,2026-10-09,住院互助金,50201,300.5,
            V-2,2026-10-09,住院互助金,10201,,300.50
            """)
        #expect(try cli.ok(["post", "--key", "clerk.key", "--file", "good.csv"]).contains("posted 2 entries"))
        #expect(try cli.ok(["post", "--key", "clerk.key", "--file", "good.csv"]).contains("posted 0 entries") )
        try books.write("bad.csv", """
            ref,date,memo,account,debit,credit
            V-3,2026-10-10,ok,10201,5,
            V-3,2026-10-10,ok,40801,,5
            V-4,2026-10-10,bad,10201,5,
            V-4,2026-10-10,bad,40801,,5.001
            """)
        let size = try cli.ok(["log", "--format", "json"]).split(separator: "\n").count
        let bad = try cli.run(["post", "--key", "clerk.key", "--file", "bad.csv"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("row 5") && bad.stderr.contains("5.001"))
        #expect(try cli.ok(["log", "--format", "json"]).split(separator: "\n").count == size)

        try books.write("entries.jsonl", """
            {"ref":"J-1","date":"2026-10-11","memo":"x","postings":[{"account":"10201","side":"debit","amount":"10.00"},{"account":"40801","side":"credit","amountFen":1000}]}
            {"ref":"J-2","date":"2026-10-11","memo":"y","postings":[{"account":"10201","side":"debit","amount":"1"},{"account":"40801","side":"credit","amount":"2"}]}
            """)
        let jsonBad = try cli.run(["post", "--key", "clerk.key", "--file", "entries.jsonl"])
        #expect(jsonBad.status == 2 && jsonBad.stderr.contains("row 2"))
        #expect(try cli.ok(["log", "--format", "json"]).split(separator: "\n").count == size)
    }
}
