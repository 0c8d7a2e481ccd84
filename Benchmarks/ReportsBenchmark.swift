import Foundation
import Ledger

/// Issue 5's goals: on a ledger of N events over one plan year, a monthly trial balance
/// and the fund report each under 1 s as a whole `huzhu` process; and the same trial
/// balance by `hledger bal` on Huzhu's export, for the ratio (goal ≥ 20× faster).
struct ReportsBenchmark {
    let entries: Int
    let hledger: Bool

    func run() throws {
        let huzhu = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("huzhu").path
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; \(huzhu)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("huzhu-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ledger = LedgerBenchmark(entries: entries, runs: 1)
        let db = directory + "/reports.db"
        let env = ["HUZHU_DB": db]
        let clerk = directory + "/clerk.key", admin = directory + "/admin.key"
        _ = try ledger.checked(runChild(huzhu, ["init", "--name", "bench", "--key", admin], environment: env))
        _ = try ledger.checked(runChild(huzhu, ["key", "new", "--out", clerk]))
        _ = try ledger.checked(runChild(huzhu, ["key", "register", "--key", admin, "--key-file", clerk, "--roles", "clerk", "--holder", "b"], environment: env))
        try ledger.writeEntries(to: directory + "/entries.csv", count: entries)
        let post = try ledger.checked(runChild(huzhu, ["post", "--key", clerk, "--file", directory + "/entries.csv"], environment: env))
        try? FileManager.default.removeItem(atPath: directory + "/entries.csv")
        print(String(format: "built a ledger of %d entries in %.0f s", entries, post.seconds))
        _ = try ledger.checked(runChild(huzhu, ["checkpoint", "--key", admin], environment: env))
        func timed(_ arguments: [String]) throws -> Double {
            median(try (0..<5).map { _ in try ledger.checked(runChild(huzhu, arguments, environment: env)).seconds })
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
        _ = try ledger.checked(runChild(huzhu, ["export", "hledger", "--out", journal], environment: env))
        let hledgerRun = try runChild("/usr/bin/hledger", ["-f", journal, "bal", "-b", "2026-10-01", "-e", "2026-11-01"])
        guard hledgerRun.status == 0 else {
            print("hledger failed: \(hledgerRun.output.prefix(300))")
            return
        }
        print(String(format: "| `hledger bal` on the export, same month | %.1f s (peak RSS %.0f MB) | Huzhu ≥ 20× faster: %.0f× |",
                     hledgerRun.seconds, hledgerRun.peakRSSMegabytes, hledgerRun.seconds / trialBalance))
    }
}
