import Foundation
import Ledger

/// `huzhu-bench`: Huzhu's benchmarks. Run in release mode:
///
///     swift build -c release && .build/release/huzhu-bench ledger --entries 1000000
///
/// Each benchmark measures the machine's own Ed25519 rates in the same run, so the
/// goals (ratios to those rates) hold whatever the machine.
let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first else {
    print("usage: huzhu-bench ledger [--entries N] [--runs N] | mutual-aid [--count N] [--postgres URL] | city [--members N] [--claims N] [--keep] | audit [--entries N] | reports [--entries N] [--no-hledger] | stores --postgres URL [--entries N] | crypto")
    exit(2)
}

func option(_ name: String, default value: Int) -> Int {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let number = Int(arguments[index + 1]) else {
        return value
    }
    return number
}

do {
    switch name {
    case "ledger":
        try LedgerBenchmark(entries: option("--entries", default: 1_000_000), runs: option("--runs", default: 3)).run()
    case "mutual-aid":
        let postgres = arguments.firstIndex(of: "--postgres").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
        try MutualAidBenchmark(count: option("--count", default: 1_000_000), postgres: postgres).run()
    case "city":
        try CityBenchmark(members: option("--members", default: 20_000), claims: option("--claims", default: 25_000),
                          keep: arguments.contains("--keep")).run()
    case "audit":
        try AuditBenchmark(entries: option("--entries", default: 1_000_000)).run()
    case "reports":
        try ReportsBenchmark(entries: option("--entries", default: 1_000_000), hledger: !arguments.contains("--no-hledger")).run()
    case "stores":
        guard let index = arguments.firstIndex(of: "--postgres"), index + 1 < arguments.count else {
            print("usage: huzhu-bench stores --postgres URL [--entries N] [--writers N] [--seconds N] (scripts/test-postgres start DIR gives a URL)")
            exit(2)
        }
        try StoreBenchmark(postgres: arguments[index + 1], entries: option("--entries", default: 100_000), writers: option("--writers", default: 8),
                           seconds: Double(option("--seconds", default: 10))).run()
    case "crypto":
        let rates = CryptoRates.measure()
        print(rates.summary)
        let allCores = CryptoRates.allCoresVerifyRate()
        print("Ed25519 verify on all \(ProcessInfo.processInfo.activeProcessorCount) cores: \(Int(allCores))/s (\(String(format: "%.2f", allCores / rates.verifyPerSecond))× one core)")
    default:
        print("unknown benchmark \(name)")
        exit(2)
    }
} catch {
    print("benchmark failed: \(error)")
    exit(1)
}
