import ArgumentParser
import Foundation
import Ledger

/// `--quiet`: no progress on standard error. Commands with long work take it.
struct ProgressOptions: ParsableArguments {
    @Flag(help: "Print no progress on standard error (results and errors still are).") var quiet = false

    /// A progress line for `label`, of `total` items where known.
    func line(_ label: String, total: Int64? = nil) -> ProgressLine {
        ProgressLine(label, total: total, mode: quiet ? .quiet : ProgressLine.Mode.forStandardError)
    }
}

/// The progress of long work, on standard error, never mixed with results on standard
/// output.
///
/// On a terminal, one line redrawn in place: done of total, percentage, rate and time left,
/// at most ten times a second, cleared when the work ends. Where standard error is a file or
/// a pipe (a log, CI), a plain line at most every `plainInterval`, so a million-row import
/// writes a few lines, not a hundred.
final class ProgressLine {
    enum Mode {
        case terminal, plain, quiet

        static var forStandardError: Mode { isatty(STDERR_FILENO) == 1 ? .terminal : .plain }
    }

    static let plainInterval: Duration = .seconds(5)
    static let terminalInterval: Duration = .milliseconds(100)

    private let label: String
    private var total: Int64?
    private let mode: Mode
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant
    private var lastDrawn: ContinuousClock.Instant
    private var drawn = false

    init(_ label: String, total: Int64?, mode: Mode) {
        self.label = label
        self.total = total
        self.mode = mode
        started = clock.now
        lastDrawn = started
    }

    /// `done` items so far (of `total`, where it is learnt on the way); drawn when due.
    func update(_ done: Int64, total: Int64? = nil) {
        if let total { self.total = total }
        let now = clock.now
        switch mode {
        case .quiet: return
        case .terminal:
            guard !drawn || now - lastDrawn >= Self.terminalInterval else { return }
            write("\r\u{1B}[K" + text(done, now: now))
        case .plain:
            guard now - lastDrawn >= Self.plainInterval else { return }
            write(text(done, now: now) + "\n")
        }
        drawn = true
        lastDrawn = now
    }

    /// A step described in words, with no count (the demo's steps, an audit's conclusions):
    /// on a terminal drawn at once, elsewhere as often as counted progress is.
    func status(_ text: String) {
        let now = clock.now
        switch mode {
        case .quiet: return
        case .terminal: write("\r\u{1B}[K" + text)
        case .plain:
            guard !drawn || now - lastDrawn >= Self.plainInterval else { return }
            write(text + "\n")
        }
        drawn = true
        lastDrawn = now
    }

    /// A new stage of the same work (verifying after copying, say): the label changes.
    func stage(_ label: String, total: Int64? = nil) -> ProgressLine {
        finish()
        return ProgressLine(label, total: total ?? self.total, mode: mode)
    }

    /// Clears a terminal's line, so what follows starts on a clean one.
    func finish() {
        if mode == .terminal && drawn { write("\r\u{1B}[K") }
        drawn = false
    }

    /// "claims: 120,000 of 312,500 (38%), 24,000/s, 0:08 left", or without a total
    /// "claims: 120,000, 24,000/s".
    func text(_ done: Int64, now: ContinuousClock.Instant) -> String {
        let elapsed = Self.seconds(now - started)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var parts = ["\(label): \(Self.grouped(done))"]
        if let total, total > 0 {
            parts[0] += " of \(Self.grouped(total)) (\(min(100, done * 100 / total))%)"
        }
        if rate > 0 { parts.append("\(Self.grouped(Int64(rate)))/s") }
        if let total, total > done, rate > 0 { parts.append("\(Self.duration(Double(total - done) / rate)) left") }
        return parts.joined(separator: ", ")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// 1234567 → "1,234,567".
    static func grouped(_ value: Int64) -> String {
        (value < 0 ? "-" : "") + DigitGrouping.thousands(value.magnitude)
    }

    /// 75 → "1:15", 3725 → "1:02:05".
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        let (hours, minutes, rest) = (total / 3600, total / 60 % 60, total % 60)
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, rest) : String(format: "%d:%02d", minutes, rest)
    }

    /// The rows of a CSV file after its header (its line count less one), read in 1 MiB
    /// pieces; a total for progress only, so a quoted line break may make it a row more.
    static func dataRows(inCSV path: String) -> Int64? {
        guard let file = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? file.close() }
        var lines: Int64 = 0, last: UInt8 = 0x0A
        while let chunk = try? file.read(upToCount: 1 << 20), !chunk.isEmpty {
            lines += Int64(chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) })
            last = chunk.last!
        }
        if last != 0x0A { lines += 1 }
        return max(0, lines - 1)
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
