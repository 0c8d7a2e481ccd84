import Foundation
import Ledger

/// The machine's single-core Ed25519 rates, the yardstick of every speed goal.
struct CryptoRates {
    let signPerSecond: Double
    let verifyPerSecond: Double

    /// Signs and verifies 32-byte hashes on one thread; the median of 5 rounds.
    static func measure(count: Int = 20_000) -> CryptoRates {
        let key = SigningKey()
        let messages = (0..<count).map { SHA256Hash.of(Array("message \($0)".utf8)).bytes }
        var signRates: [Double] = []
        var verifyRates: [Double] = []
        var signatures: [[UInt8]] = []
        for _ in 0..<5 {
            var start = Date()
            signatures = messages.map { key.sign($0) }
            signRates.append(Double(count) / Date().timeIntervalSince(start))
            start = Date()
            var valid = 0
            for (message, signature) in zip(messages, signatures) where key.publicKey.isValidSignature(signature, for: message) {
                valid += 1
            }
            precondition(valid == count)
            verifyRates.append(Double(count) / Date().timeIntervalSince(start))
        }
        return CryptoRates(signPerSecond: median(signRates), verifyPerSecond: median(verifyRates))
    }

    /// Verifies on every core at once (blocks of 16 handed out on demand), the ceiling of
    /// any parallel verification on this machine; for reading the ratios, not a goal.
    static func allCoresVerifyRate(count: Int = 40_000) -> Double {
        let key = SigningKey()
        let messages = (0..<count).map { SHA256Hash.of(Array("message \($0)".utf8)).bytes }
        let signatures = messages.map { key.sign($0) }
        let publicKey = key.publicKey
        var rates: [Double] = []
        for _ in 0..<5 {
            let start = Date()
            DispatchQueue.concurrentPerform(iterations: count / 16) { block in
                for index in block * 16..<block * 16 + 16 { precondition(publicKey.isValidSignature(signatures[index], for: messages[index])) }
            }
            rates.append(Double(count) / Date().timeIntervalSince(start))
        }
        return median(rates)
    }

    /// The median of several samples, rate by rate.
    static func medians(of samples: [CryptoRates]) -> CryptoRates {
        CryptoRates(signPerSecond: median(samples.map(\.signPerSecond)), verifyPerSecond: median(samples.map(\.verifyPerSecond)))
    }

    var summary: String {
        "Ed25519 on one core: sign \(Int(signPerSecond))/s, verify \(Int(verifyPerSecond))/s"
    }
}

/// The single-core rates sampled next to every timed run. This machine's speed drifts by
/// a quarter within minutes (a shared host), so one measurement at the start can flatter
/// or wrong every ratio; the yardstick is the median of samples taken beside the runs.
final class CryptoRateSamples {
    private(set) var samples: [CryptoRates] = []

    /// Measures once more (about 3 s) and prints the sample.
    func sample() {
        let rates = CryptoRates.measure(count: 10_000)
        samples.append(rates)
        print("  sample: " + rates.summary)
    }

    var median: CryptoRates { CryptoRates.medians(of: samples) }

    /// Takes a last sample after the runs, prints the yardstick and the header of the
    /// results table, and returns the yardstick for the table's ratios.
    func yardstickForTable() -> CryptoRates {
        sample()
        let rates = median
        print("")
        print("single-core rates, median of \(samples.count) samples beside the runs: " + rates.summary)
        print("| measure | median | goal | ratio |")
        print("|---|---|---|---|")
        return rates
    }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}
