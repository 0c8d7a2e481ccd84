import Foundation
import Ledger

/// Issue 4's goals on a ledger of N posted entries: a full audit at ≥ 1.5× the single-core
/// verifying rate; the checks beyond the chain (replay, balances, periods, canonical
/// bytes, domain checks) at ≥ 200,000 events/s, measured as the audit's time over
/// `huzhu verify`'s on the same file; an incremental audit of 10,000 new events < 2 s.
struct AuditBenchmark {
    let entries: Int

    func run() throws {
        let books = try BenchLedger(file: "audit.db")
        defer { books.remove() }
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; \(books.huzhu)")
        let samples = CryptoRateSamples()
        let ledger = LedgerBenchmark(entries: entries, runs: 1)
        let directory = books.directory
        try ledger.writeEntries(to: directory + "/entries.csv", count: entries)
        try books.run(["post", "--key", books.clerk, "--file", directory + "/entries.csv"])
        try books.run(["checkpoint", "--key", books.admin])
        let events = Double(entries + 46)
        var verifySeconds: [Double] = [], auditSeconds: [Double] = [], auditRSS: [Double] = []
        for round in 1...3 {
            samples.sample()
            let verify = try books.run(["verify"])
            samples.sample()
            let audit = try books.run(["audit", "--no-save-state"])
            verifySeconds.append(verify.seconds)
            auditSeconds.append(audit.seconds)
            auditRSS.append(audit.peakRSSMegabytes)
            print(String(format: "round %d: verify %.1f s, full audit %.1f s (peak RSS %.0f MB)", round, verify.seconds, audit.seconds, audit.peakRSSMegabytes))
        }
        try books.run(["audit"])   // saves the state the incremental audit resumes from
        var more = "ref,date,memo,account,debit,credit\n"
        for index in 0..<10_000 { more += "N\(index),2026-12-01,more,10201,1.00,\nN\(index),2026-12-01,more,40801,,1.00\n" }
        try more.write(toFile: directory + "/more.csv", atomically: true, encoding: .utf8)
        try books.run(["post", "--key", books.clerk, "--file", directory + "/more.csv"])
        try books.run(["checkpoint", "--key", books.admin])
        var incremental: [Double] = []
        for _ in 1...3 {
            incremental.append(try books.run(["audit", "--since-checkpoint", "--no-save-state"]).seconds)
        }
        let audit = median(auditSeconds), verify = median(verifySeconds)
        let auditRate = events / audit
        let extraRate = audit > verify ? events / (audit - verify) : .infinity
        let rates = samples.yardstickForTable()
        print(String(format: "| full audit, %.0f events | %.0f events/s (%.1f s) | ≥ 1.5 × verify rate = %.0f/s | %.2f× verify rate |",
                     events, auditRate, audit, 1.5 * rates.verifyPerSecond, auditRate / rates.verifyPerSecond))
        print(String(format: "| checks beyond the chain (audit − verify) | %.0f events/s (%.1f s) | ≥ 200,000 events/s | |", extraRate, audit - verify))
        print(String(format: "| incremental audit, 10,000 new events on %.0f | %.2f s | < 2 s | |", events, median(incremental)))
        print(String(format: "| peak RSS, full audit | %.0f MB | | |", median(auditRSS)))
    }
}
