import Foundation
import Ledger

/// Builds the sample ledger `huzhu demo` shows: keys, a ledger, a year of entries,
/// a checkpoint, and a full verification.
public struct DemoBuilder {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// Builds the demo and returns a printable summary. `progress` receives status lines.
    public func build(progress: (String) -> Void) throws -> String {
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

        let admin = SigningKey()
        let clerk = SigningKey()
        try admin.write(to: directory + "/admin.key")
        try clerk.write(to: directory + "/clerk.key")
        let path = directory + "/huzhu.db"
        progress("creating the ledger at \(path)")
        let ledger = try HuzhuLedger.create(path: path, name: "示范市总工会职工医疗互助", admin: admin, adminHolder: "工会财务部")
        try ledger.registerKey(clerk.publicKey, roles: [.clerk], holder: "经办员", signer: admin)

        progress("posting a year of contributions and payouts")
        var entries: [JournalEntry] = []
        for month in 1...12 {
            let date = try LedgerDate(year: 2026, month: month, day: 10)
            entries.append(try JournalEntry(date: date, memo: "单位互助金 \(month) 月", postings: [
                .debit(AccountCode("10201"), Money(fen: 1_200_000)), .credit(AccountCode("40801"), Money(fen: 1_200_000)),
            ], idempotencyKey: "demo-contribution-\(month)"))
            entries.append(try JournalEntry(date: date.adding(days: 5), memo: "住院医疗互助金 \(month) 月", postings: [
                .debit(AccountCode("50201"), Money(fen: 850_000)), .credit(AccountCode("10201"), Money(fen: 850_000)),
            ], idempotencyKey: "demo-payout-\(month)"))
        }
        _ = try ledger.post(entries, signer: clerk)
        let checkpoint = try ledger.signCheckpoint(signer: admin)
        progress("verifying every event")
        let report = try LogVerifier(store: ledger.store, policy: ledger.policy).verify()
        guard report.isValid else {
            throw LedgerInputError(field: "demo", value: path, reason: "verification failed: \(report.failures[0])")
        }
        return """
            demo ledger: \(path) (\(ledger.info.name))
            events: \(report.eventCount), signatures verified: \(report.signaturesVerified)
            checkpoint: tree size \(checkpoint.checkpoint.treeSize), root \(checkpoint.checkpoint.rootHash.hex)
            verify: ok
            """
    }
}
