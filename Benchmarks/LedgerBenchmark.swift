import Foundation
import Ledger

/// Issue 2's goals: bulk-post N two-posting entries from a file at ≥ 0.8× the single-core
/// signing rate, verify them at ≥ 1.5× the single-core verifying rate, memory flat
/// (peak RSS < 200 MB), and one `huzhu post` under 30 ms as a whole process.
struct LedgerBenchmark {
    let entries: Int
    let runs: Int

    func run() throws {
        let huzhu = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("huzhu").path
        guard FileManager.default.isExecutableFile(atPath: huzhu) else {
            throw NSError(domain: "bench", code: 1, userInfo: [NSLocalizedDescriptionKey: "build huzhu first: swift build -c release"])
        }
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; \(huzhu)")
        let samples = CryptoRateSamples()

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("huzhu-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let csv = directory + "/entries.csv"
        try writeEntries(to: csv, count: entries)
        print("generated \(entries) two-posting entries in \(csv)")

        var postRates: [Double] = [], verifyRates: [Double] = [], postRSS: [Double] = [], verifyRSS: [Double] = []
        var singlePostMs: [Double] = []
        for round in 1...runs {
            let db = directory + "/bench-\(round).db"
            let env = ["HUZHU_DB": db]
            _ = try checked(runChild(huzhu, ["init", "--name", "bench", "--key", directory + "/admin.key"], environment: env))
            if round == 1 {
                _ = try checked(runChild(huzhu, ["key", "new", "--out", directory + "/clerk.key"]))
            }
            _ = try checked(runChild(huzhu, ["key", "register", "--key", directory + "/admin.key", "--key-file", directory + "/clerk.key",
                                              "--roles", "clerk", "--holder", "bench"], environment: env))
            samples.sample()
            let post = try checked(runChild(huzhu, ["post", "--key", directory + "/clerk.key", "--file", csv], environment: env))
            postRates.append(Double(entries) / post.seconds)
            postRSS.append(post.peakRSSMegabytes)
            samples.sample()
            let verify = try checked(runChild(huzhu, ["verify"], environment: env))
            verifyRates.append(Double(entries) / verify.seconds)
            verifyRSS.append(verify.peakRSSMegabytes)
            for index in 0..<11 {
                let single = try checked(runChild(huzhu, ["post", "--key", directory + "/clerk.key", "--date", "2026-11-02",
                                                          "--debit", "10201=1.00", "--credit", "40801=1.00", "--ref", "single-\(index)"],
                                                  environment: env))
                singlePostMs.append(single.seconds * 1000)
            }
            print(String(format: "run %d: post %.0f entries/s (%.1f s, peak RSS %.0f MB); verify %.0f events/s (%.1f s, peak RSS %.0f MB)",
                         round, postRates.last!, post.seconds, post.peakRSSMegabytes, verifyRates.last!, verify.seconds, verify.peakRSSMegabytes))
            try? FileManager.default.removeItem(atPath: db)
            try? FileManager.default.removeItem(atPath: db + "-wal")
            try? FileManager.default.removeItem(atPath: db + "-shm")
        }
        let postRate = median(postRates), verifyRate = median(verifyRates)
        let rates = samples.yardstickForTable()
        print(String(format: "| bulk post, %d entries | %.0f entries/s | ≥ 0.8 × sign rate = %.0f/s | %.2f× sign rate |",
                     entries, postRate, 0.8 * rates.signPerSecond, postRate / rates.signPerSecond))
        print(String(format: "| verify, %d events | %.0f events/s | ≥ 1.5 × verify rate = %.0f/s | %.2f× verify rate |",
                     entries, verifyRate, 1.5 * rates.verifyPerSecond, verifyRate / rates.verifyPerSecond))
        print(String(format: "| peak RSS, post / verify | %.0f MB / %.0f MB | < 200 MB | |", median(postRSS), median(verifyRSS)))
        print(String(format: "| one `huzhu post` process | %.1f ms | < 30 ms | |", median(singlePostMs)))
    }

    func checked(_ run: ChildRun) throws -> ChildRun {
        guard run.status == 0 else {
            throw NSError(domain: "bench", code: 1, userInfo: [NSLocalizedDescriptionKey: "huzhu failed: \(run.output)"])
        }
        return run
    }

    /// A CSV of `count` two-posting entries spread over a year, written in 1 MB chunks.
    func writeEntries(to path: String, count: Int) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var buffer = "ref,date,memo,account,debit,credit\n"
        for index in 0..<count {
            let month = index % 12 + 1
            let day = index % 28 + 1
            let date = "2026-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
            let yuan = index % 5000 + 1
            let (debit, credit) = index % 3 == 0 ? ("50201", "10201") : ("10201", "40801")
            buffer += "E\(index),\(date),bulk,\(debit),\(yuan).00,\nE\(index),\(date),bulk,\(credit),,\(yuan).00\n"
            if buffer.utf8.count > 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        handle.write(Data(buffer.utf8))
    }
}
