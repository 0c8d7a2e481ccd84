import Ledger

/// Closed months stay closed: nothing is dated inside a month after it closed, nor before
/// the latest closed month (months close in order; see docs/BUNDLE.md, "Closing a month").
/// Also checks each `period.closed` event: closed once, carrying a checkpoint, and
/// recording the digest of the month's closing balances that the events reproduce.
///
/// Streaming: it keeps each month's movements per account, a few thousand numbers a
/// year, so the digest of a close is recomputed from exactly the events before it.
public struct PeriodCheck: AuditCheck {
    public let name = "periods"
    var closed: [Period: Int64] = [:]
    var latestClosed: Period?
    var movements: [Period: [AccountCode: AccountTotals]] = [:]
    /// False in an incremental audit: earlier movements were not read, so digests are
    /// checked at the end against the stored balances instead.
    var movementsComplete = true
    var deferredDigests: [(period: Period, seq: Int64, recorded: JSONValue)] = []

    public init() {}

    public mutating func begin(_ context: AuditContext, into findings: inout [Finding]) throws {
        guard let prefix = context.prefix, let reader = context.reader else { return }
        movementsComplete = false
        for seq in try reader.seqs(ofKind: .periodClosed) where seq <= prefix.size {
            guard let stored = try reader.storedEvent(seq: seq), let event = try? RecordedEvent(body: stored.body, signature: stored.signature),
                  let closed = try? PeriodClosedEvent(event: event) else { continue }
            record(closed.period, seq: seq)
        }
    }

    mutating func record(_ period: Period, seq: Int64) {
        if closed[period] == nil { closed[period] = seq }
        if latestClosed.map({ $0 < period }) ?? true { latestClosed = period }
    }

    public mutating func inspect(_ audited: AuditedEvent, into findings: inout [Finding]) {
        let event = audited.event
        if let date = event.date {
            if let closing = closed[date.period] {
                findings.append(Finding(.error, check: name, seqs: [event.seq, closing], """
                    dated \(date), in the month \(date.period) that was closed at seq \(closing); a correction belongs in an open month
                    """))
            } else if let latest = latestClosed, date.period < latest {
                findings.append(Finding(.error, check: name, seqs: [event.seq, closed[latest] ?? 0], """
                    dated \(date), before the month \(latest) that was closed at seq \(closed[latest] ?? 0); months close in order, \
                    so every month up to \(latest) is shut
                    """))
            }
            if movementsComplete, case let .success(postings) = audited.postings {
                for posting in postings {
                    try? movements[date.period, default: [:]][posting.account, default: AccountTotals()].add(posting)
                }
            }
        }
        if event.kind == .periodClosed { inspectClose(event, into: &findings) }
    }

    mutating func inspectClose(_ event: RecordedEvent, into findings: inout [Finding]) {
        let recorded: PeriodClosedEvent
        do { recorded = try PeriodClosedEvent(event: event) } catch {
            findings.append(Finding(.error, check: name, seqs: [event.seq], "the close does not read as a month's close: \(error)"))
            return
        }
        let period = recorded.period
        if let first = closed[period] {
            findings.append(Finding(.error, check: name, seqs: [event.seq, first], "the month \(period) is closed again; it was closed at seq \(first)"))
            return
        }
        if event.time.localDate <= period.lastDay {
            findings.append(Finding(.error, check: name, seqs: [event.seq], """
                the close of \(period) was recorded at \(event.time.text), before the month ended (\(period.lastDay) in the books' \
                time zone, UTC+8); a month closes from the day after its last day
                """))
        }
        if let latest = latestClosed, period < latest {
            findings.append(Finding(.error, check: name, seqs: [event.seq, closed[latest] ?? 0], """
                \(period) was closed after \(latest) (closed at seq \(closed[latest] ?? 0)), which had already shut every month before it
                """))
        }
        if recorded.checkpoint == nil {
            findings.append(Finding(.warning, check: name, seqs: [event.seq], "the close of \(period) carries no signed checkpoint"))
        }
        let summary = recorded.closingBalances
        let hasDigest = summary?["digest"]?.stringValue != nil
        if !hasDigest {
            findings.append(Finding(.warning, check: name, seqs: [event.seq], "the close of \(period) records no closing balance digest"))
        }
        if movementsComplete {
            let open = movements.keys.filter { month in
                month < period && closed[month] == nil && !(latestClosed.map { month < $0 } ?? false)
            }.sorted()
            if !open.isEmpty {
                findings.append(Finding(.error, check: name, seqs: [event.seq], """
                    \(period) was closed while earlier months with entries were open: \(open.map(\.text).joined(separator: ", "))
                    """))
            }
            if hasDigest {
                var cumulative: [AccountCode: AccountTotals] = [:]
                for (month, accounts) in movements where month <= period {
                    for (code, totals) in accounts {
                        var sum = cumulative[code, default: AccountTotals()]
                        sum.debit = (try? sum.debit.adding(totals.debit)) ?? sum.debit
                        sum.credit = (try? sum.credit.adding(totals.credit)) ?? sum.credit
                        cumulative[code] = sum
                    }
                }
                compare(ClosingBalances(period: period, totals: cumulative), recorded: summary, seq: event.seq, into: &findings)
            }
        } else if let summary, hasDigest {
            deferredDigests.append((period, event.seq, summary))
        }
        record(period, seq: event.seq)
    }

    /// The close's whole `closingBalances` summary must be what the entries give: the digest,
    /// and also the account count, the totals and the `through` date printed beside it, which
    /// a reader takes on trust when the digest is right.
    func compare(_ balances: ClosingBalances, recorded: JSONValue?, seq: Int64, into findings: inout [Finding]) {
        guard let expected = try? balances.summary else { return }
        let computed = expected["digest"]?.stringValue ?? ""
        let stated = recorded?["digest"]?.stringValue ?? ""
        if computed != stated {
            findings.append(Finding(.error, check: name, seqs: [seq], """
                the close of \(balances.period) records closing balances digest \(stated.prefix(16))…, but the entries dated \
                through \(balances.period.lastDay) give \(computed.prefix(16))…
                """))
            return
        }
        let fields = ["accounts", "debitFen", "creditFen", "through"]
        let wrong = fields.filter { recorded?[$0] != expected[$0] }
        if !wrong.isEmpty {
            let said = wrong.map { "\($0) \(recorded?[$0].map(describe) ?? "missing") (the entries give \(expected[$0].map(describe) ?? "?"))" }
            findings.append(Finding(.error, check: name, seqs: [seq], """
                the close of \(balances.period) has the right digest but states \(said.joined(separator: ", "))
                """))
        }
    }

    func describe(_ value: JSONValue) -> String {
        if let text = value.stringValue { return text }
        if let number = value.integerValue { return String(number) }
        return "\(value)"
    }

    public mutating func finish(_ context: AuditContext, into findings: inout [Finding]) throws {
        guard let reader = context.reader else { return }
        for close in deferredDigests {
            compare(try ClosingBalances(period: close.period, reader: reader), recorded: close.recorded, seq: close.seq, into: &findings)
        }
    }
}
