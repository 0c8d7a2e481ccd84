import Foundation
import Testing

/// docs/FORMAT.md promises that a verifier written from it alone, with Python's standard
/// library and an Ed25519 package, checks a ledger byte for byte. tools/verify_ledger.py
/// is such a verifier; it must agree with `huzhu verify` on a real ledger, root included,
/// and catch the same tampering.
@Suite("tools/verify_ledger.py: an independent verifier")
struct IndependentVerifierTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../tools/verify_ledger.py").standardized.path

    /// Runs the reference verifier with `arguments`; its status and its output and errors together.
    static func python(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    func python(_ arguments: [String]) throws -> (status: Int32, output: String) { try Self.python(arguments) }

    @Test("huzhu demo, the README's first command: a plan year with its corrections built, closed and audited clean; the verifier agrees")
    func demo() throws {
        let books = try CLILedger()
        let built = try books.cli.ok(["demo", "--dir", "year"])
        #expect(built.contains("audit: no errors, 0 findings"), "\(built)")
        #expect(built.contains("corrections: 3") && built.contains("payment returned by the bank and paid again")
                && built.contains("approval revoked and approved again") && built.contains("reversed and recorded again"), "\(built)")
        #expect(built.contains("months closed: 2025-11"), "\(built)")
        let theirs = try python([books.path("year/huzhu.db")])
        #expect(theirs.status == 0 && theirs.output.contains("claim.payment-returned (1)") && theirs.output.contains("contribution.reversed (1)"),
                "\(theirs.output)")
    }

    @Test("agrees with huzhu verify on a mutual-aid ledger, and fails on a changed amount naming the seq")
    func agrees() throws {
        let plan = try MutualAidBooks(members: 2)
        let (claim, _) = try plan.file(plan.members[0], settlement: "I1", extra: plan.medical(ownShare: "1000"))
        try plan.approveFully(claim)
        try plan.cli.ok(["checkpoint", "--key", "admin.key"])
        let ours = try plan.cli.ok(["verify", "--format", "json"])
        let root = ours.components(separatedBy: "\"rootHash\":\"")[1].prefix(64)
        let theirs = try python([plan.books.database])
        #expect(theirs.status == 0, "\(theirs.output)")
        #expect(theirs.output.contains("ok:") && theirs.output.contains(String(root)), "\(theirs.output)")

        try plan.books.write("proof.json", try plan.cli.ok(["proof", "inclusion", "\(claim)"]))
        #expect(try python(["--proof", plan.books.path("proof.json")]).status == 0)

        try LedgerSurgeon(plan.books).execute("""
            UPDATE events SET body = CAST(replace(CAST(body AS TEXT), '"headcount":2,', '"headcount":3,') AS BLOB)
            WHERE seq = (SELECT min(seq) FROM events WHERE kind = 'contribution.billed')
            """)
        let seq = try plan.books.scalar("SELECT min(seq) FROM events WHERE kind = 'contribution.billed'")
        let tampered = try python([plan.books.database])
        #expect(tampered.status == 1)
        #expect(tampered.output.contains("seq \(seq)"), "\(tampered.output)")
    }
}
