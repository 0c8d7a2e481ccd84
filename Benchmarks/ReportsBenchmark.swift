import Foundation
import Ledger

/// Issue 5's goals: on a ledger of N events over one plan year, a monthly trial balance
/// and the fund report each under 1 s as a whole `huzhu` process; and the same trial
/// balance by `hledger bal` on Huzhu's export, for the ratio (goal ≥ 20× faster).
struct ReportsBenchmark {
    let entries: Int
    let hledger: Bool

    func run() throws {
        let books = try BenchLedger(file: "reports.db")
        defer { books.remove() }
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; \(books.huzhu)")
        let ledger = LedgerBenchmark(entries: entries, runs: 1)
        let directory = books.directory
        try ledger.writeEntries(to: directory + "/entries.csv", count: entries)
        let post = try books.run(["post", "--key", books.clerk, "--file", directory + "/entries.csv"])
        try? FileManager.default.removeItem(atPath: directory + "/entries.csv")
        print(String(format: "built a ledger of %d entries in %.0f s", entries, post.seconds))
        try books.run(["checkpoint", "--key", books.admin])
        func timed(_ arguments: [String]) throws -> Double {
            median(try (0..<5).map { _ in try books.run(arguments).seconds })
        }
        let trialBalance = try timed(["report", "trial-balance", "--month", "2026-10"])
        let fund = try timed(["report", "fund", "--month", "2026-10"])
        print("")
        print("| measure | median of 5 | goal |")
        print("|---|---|---|")
        print(String(format: "| `huzhu report trial-balance --month 2026-10`, %d entries | %.3f s | < 1 s |", entries, trialBalance))
        print(String(format: "| `huzhu report fund --month 2026-10`, %d entries | %.3f s | < 1 s |", entries, fund))
        guard hledger else { return }
        let journal = directory + "/books.journal"
        try books.run(["export", "hledger", "--out", journal])
        let hledgerRun = try runChild("/usr/bin/hledger", ["-f", journal, "bal", "-b", "2026-10-01", "-e", "2026-11-01"])
        guard hledgerRun.status == 0 else {
            print("hledger failed: \(hledgerRun.output.prefix(300))")
            return
        }
        print(String(format: "| `hledger bal` on the export, same month | %.1f s (peak RSS %.0f MB) | Huzhu ≥ 20× faster: %.0f× |",
                     hledgerRun.seconds, hledgerRun.peakRSSMegabytes, hledgerRun.seconds / trialBalance))
    }
}
