import Foundation
import Ledger
import LedgerPostgres

/// The ledger core on each store, in one run (issue 22's speed goals, for the core):
/// a bulk post of N entries in one batch and a full verify, on a SQLite file and on a fresh
/// PostgreSQL database; then `writers` connections appending single signed entries at once
/// for `seconds`, with the rate and the p50/p99 latency of one append.
///
///     d=$(mktemp -d); url=$(scripts/test-postgres start "$d")
///     .build-release/release/huzhu-bench stores --postgres "$url" --entries 100000
///     scripts/test-postgres stop "$d"
struct StoreBenchmark {
    let postgres: String
    let entries: Int
    let writers: Int
    let seconds: Double

    static let admin = SigningKey()
    static let clerk = SigningKey()

    func run() throws {
        let samples = CryptoRateSamples()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("huzhu-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let batch = try (0..<entries).map { index in
            try JournalEntry(date: LedgerDate(year: 2026, month: 1 + index % 12, day: 1 + index % 28), memo: "互助金",
                             postings: [.debit(try AccountCode("10201"), Money(fen: 100 + Int64(index % 997))),
                                        .credit(try AccountCode("40801"), Money(fen: 100 + Int64(index % 997)))])
        }
        var rows: [(String, Double, String)] = []
        for kind in ["sqlite", "postgres"] {
            samples.sample()
            let url = kind == "sqlite" ? "" : try database("bench")
            let open = { (create: Bool) throws -> any LedgerStore in
                kind == "sqlite" ? try SQLiteLedgerStore(path: folder + "/bench.db", create: create) : try PostgresLedgerStore(url: url, create: create)
            }
            let ledger = try Ledger.create(store: try open(true), name: "bench", admin: Self.admin)
            _ = try ledger.registerKey(Self.clerk.publicKey, roles: [.clerk], holder: "bench", signer: Self.admin)
            var started = Date()
            _ = try ledger.post(batch, signer: Self.clerk)
            let post = Double(entries) / Date().timeIntervalSince(started)
            started = Date()
            let report = try LogVerifier(store: try open(false), policy: .ledgerCore).verify()
            guard report.failures.isEmpty else { throw NSError(domain: "bench", code: 1, userInfo: [NSLocalizedDescriptionKey: "\(report.failures.prefix(3))"]) }
            let verify = Double(report.eventCount) / Date().timeIntervalSince(started)
            print(String(format: "%@: bulk post %.0f entries/s, verify %.0f events/s", kind, post, verify))
            rows.append(("\(kind): bulk post, \(entries) entries in one batch", post, "sign"))
            rows.append(("\(kind): verify", verify, "verify"))
        }
        samples.sample()
        let (rate, p50, p99) = try manyWriters()
        let rates = samples.yardstickForTable()
        for (name, value, basis) in rows {
            let yardstick = basis == "sign" ? rates.signPerSecond : rates.verifyPerSecond
            print(String(format: "| %@ | %.0f/s | | %.2f× %@ rate |", name, value, value / yardstick, basis))
        }
        print(String(format: "| postgres: %d writers appending single entries | %.0f entries/s, p50 %.1f ms, p99 %.1f ms | p99 < 50 ms | |",
                     writers, rate, p50, p99))
    }

    /// A fresh database on the server `postgres` names, for one run.
    func database(_ prefix: String) throws -> String {
        try PostgresLedgerStore.createDatabase("huzhu_\(prefix)_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12),
                                               server: postgres)
    }

    /// `writers` threads, each on its own connection, appending one signed entry per
    /// transaction for `seconds`: entries per second over all, and each append's latency.
    func manyWriters() throws -> (rate: Double, p50: Double, p99: Double) {
        let url = try database("writers")
        let ledger = try Ledger.create(store: try PostgresLedgerStore(url: url, create: true), name: "bench", admin: Self.admin)
        _ = try ledger.registerKey(Self.clerk.publicKey, roles: [.clerk], holder: "bench", signer: Self.admin)
        let latencies = Latencies()
        let deadline = Date().addingTimeInterval(seconds)
        let started = Date()
        DispatchQueue.concurrentPerform(iterations: writers) { writer in
            guard let store = try? PostgresLedgerStore(url: url), let ledger = try? Ledger(store: store) else { return }
            var index = 0
            while Date() < deadline {
                let began = Date()
                guard let entry = try? JournalEntry(date: LedgerDate(year: 2026, month: 11, day: 2), memo: "互助金",
                                                    postings: [.debit(try AccountCode("10201"), Money(fen: 100)),
                                                               .credit(try AccountCode("40801"), Money(fen: 100))],
                                                    idempotencyKey: "w\(writer)-\(index)"),
                      (try? ledger.post([entry], signer: Self.clerk)) != nil else { return }
                latencies.add(Date().timeIntervalSince(began) * 1000)
                index += 1
            }
        }
        let elapsed = Date().timeIntervalSince(started)
        let all = latencies.all.sorted()
        guard !all.isEmpty else { throw NSError(domain: "bench", code: 1, userInfo: [NSLocalizedDescriptionKey: "no writer appended"]) }
        let report = try LogVerifier(store: try PostgresLedgerStore(url: url), policy: .ledgerCore).verify()
        print("  \(writers) writers: \(all.count) entries in \(String(format: "%.1f", elapsed)) s; the chain verifies: \(report.failures.isEmpty), \(report.eventCount) events")
        return (Double(all.count) / elapsed, all[all.count / 2], all[min(all.count - 1, all.count * 99 / 100)])
    }
}

/// Append latencies from many threads.
final class Latencies: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Double] = []
    func add(_ value: Double) { lock.withLock { values.append(value) } }
    var all: [Double] { lock.withLock { values } }
}
