/// A journal entry as a clerk writes it, before it becomes an `entry.posted` event.
public struct JournalEntry: Sendable {
    public let date: LedgerDate
    public let memo: String
    public let postings: [Posting]
    public let idempotencyKey: String?

    /// The longest memo kept; a memo is a line in the journal, not a document.
    public static let memoLengthMax = 500

    public init(date: LedgerDate, memo: String, postings: [Posting], idempotencyKey: String? = nil) throws(LedgerInputError) {
        guard memo.count <= JournalEntry.memoLengthMax else {
            throw LedgerInputError(field: "memo", value: String(memo.prefix(40)), reason: "at most \(JournalEntry.memoLengthMax) characters")
        }
        try PlainText.check(memo, field: "memo")
        try postings.checkBalanced()
        self.date = date
        self.memo = memo
        self.postings = postings
        self.idempotencyKey = idempotencyKey
    }

    public var draft: EventDraft {
        get throws(LedgerInputError) {
            try EntryPostedEvent(date: date, memo: memo, postings: postings, idempotencyKey: idempotencyKey.map { "entry:" + $0 }).draft()
        }
    }
}

extension Ledger {
    /// Posts entries in one transaction: all are recorded or none.
    public func post(_ entries: [JournalEntry], signer: SigningKey) throws -> [AppendSession.Outcome] {
        try append(signer: signer) { session in
            var outcomes: [AppendSession.Outcome] = []
            for (index, entry) in entries.enumerated() {
                do {
                    outcomes.append(try session.append(try entry.draft))
                } catch let error as LedgerInputError {
                    throw entries.count > 1 ? error.at(row: index + 1) : error
                } catch let error as LedgerRuleError where entries.count > 1 {
                    throw BatchRowError(row: index + 1, underlying: error)
                }
            }
            return outcomes
        }
    }

    /// Reverses the entry at `seq`: posts its lines on the opposite sides, dated `date`
    /// (which must lie in an open month), naming the entry it reverses. See
    /// `AppendSession.reverse(seq:date:reason:)`.
    public func reverse(seq: Int64, date: LedgerDate, reason: String, signer: SigningKey) throws -> AppendSession.Outcome {
        try append(signer: signer) { session in try session.reverse(seq: seq, date: date, reason: reason) }
    }
}

extension AppendSession {
    /// Reverses the event at `seq` in this session: records an event that names it
    /// (`reverses`), says why (`reason`) and posts its lines, in the same order, on the
    /// opposite sides, dated `date`.
    ///
    /// A domain whose tables follow the event's kind records the reversal as its own kind,
    /// or refuses it (`EventProjection.reversal(of:on:in:)`); any other event with postings is
    /// reversed as `entry.reversed`. Refused: an event that is itself a reversal, one already
    /// reversed, and a date before the original's (a reversal cannot undo an entry before
    /// the day it was made) or in a closed month.
    ///
    /// A repeat (the same seq, date and reason as the reversal recorded) is answered with
    /// that reversal, as `.duplicate`, so a command retried after an interruption does not
    /// fail; a second reversal of the same event with another date or reason is refused.
    public func reverse(seq: Int64, date: LedgerDate, reason: String) throws -> Outcome {
        let trimmed = reason.trimmingSpaces()
        guard !trimmed.isEmpty else {
            throw LedgerInputError(field: "reason", value: reason, reason: "say why the entry is reversed")
        }
        // A reason is a line in the journal, like a memo; anything longer belongs in a document.
        try PlainText.check(trimmed, field: "reason")
        guard trimmed.count <= JournalEntry.memoLengthMax else {
            throw LedgerInputError(field: "reason", value: trimmed,
                                   reason: "at most \(JournalEntry.memoLengthMax) characters, found \(trimmed.count)")
        }

        guard seq >= 1, let original = try event(seq: seq) else { throw LedgerRuleError.noSuchEvent(seq: seq) }
        if original.data["reverses"] != nil {
            throw LedgerRuleError.notReversible(seq: seq, reason: "it is itself a reversal; record the original again instead")
        }
        if let by = try store.reversal(of: seq) {
            let reversal = try event(seq: by)
            if let reversal, reversal.date == date, try ReversalFields(EventFields(reversal)).reason == trimmed { return .duplicate(seq: by) }
            throw LedgerRuleError.alreadyReversed(seq: seq, by: by)
        }
        if let made = original.date, date < made {
            throw LedgerRuleError.notReversible(seq: seq, reason: "it is dated \(made), and a reversal dated \(date) would undo it before it was made")
        }
        let postings = try original.postings().map(\.reversed)
        var domain: DomainReversal?
        for projection in ledger.projections where domain == nil {
            domain = try projection.reversal(of: original, on: date, in: self)
        }
        if domain == nil, postings.isEmpty { throw LedgerRuleError.notReversible(seq: seq, reason: "it moves no money") }
        let reversal = ReversalFields(reverses: seq, reason: trimmed, date: date, postings: postings)
        return try append(try domain.map { try reversal.draft(kind: $0.kind, fields: $0.fields) } ?? EntryReversedEvent(reversal: reversal).draft())
    }

    /// The idempotency key under which to record, once more, what `key` names (a bank
    /// receipt, a claim's payment) after earlier recordings of it were reversed: `key`
    /// itself, or `key#2`, `key#3`, … when the events that used the ones before were
    /// reversed. Returns the first key no event has used (`seq` nil), or the first whose
    /// event stands unreversed (`seq` its seq: a repeat of that event).
    ///
    /// So a repeated command is still answered with the event it repeats, while a bank
    /// receipt recorded against the wrong unit, reversed, can be recorded again under its
    /// own reference. A key is tried once per reversal it has had, so the search is short.
    public func keyAfterReversals(_ key: String) throws -> (key: String, seq: Int64?) {
        try KeyGenerations.first(of: key, seq: recordedSeq(idempotencyKey:), isReversed: { try store.reversal(of: $0) != nil })
    }

    /// The first of `key`, `key#2`, `key#3`, … that no event has used, standing or reversed:
    /// for a step whose command, repeated, finds nothing left to record (a unit's bill covers
    /// the members not yet billed), so its key only has to be unique.
    public func firstUnusedKey(_ key: String) throws -> String {
        try KeyGenerations.first(of: key, seq: recordedSeq(idempotencyKey:), isReversed: { _ in true }).key
    }
}

extension LedgerStoreReader {
    /// `AppendSession.keyAfterReversals(_:)` outside a session: the key under which `key`'s
    /// next recording would go, and the seq of its standing event if there is one.
    public func keyAfterReversals(_ key: String) throws -> (key: String, seq: Int64?) {
        try KeyGenerations.first(of: key, seq: seq(idempotencyKey:), isReversed: { try reversal(of: $0) != nil })
    }
}

/// The generations of an idempotency key (`key`, `key#2`, `key#3`, …) that a step takes
/// when it is recorded again after its reversal.
enum KeyGenerations {
    /// The first generation of `key` that no event used (`seq` nil), or whose event was not
    /// reversed (`seq` its seq).
    static func first(of key: String, seq: (String) throws -> Int64?, isReversed: (Int64) throws -> Bool) throws -> (key: String, seq: Int64?) {
        var generation = 1
        while true {
            let candidate = generation == 1 ? key : "\(key)#\(generation)"
            guard let found = try seq(candidate) else { return (candidate, nil) }
            guard try isReversed(found) else { return (candidate, found) }
            generation += 1
        }
    }
}

/// A rule error found at one row of a batch file.
public struct BatchRowError: Error, CustomStringConvertible {
    public let row: Int
    public let underlying: any Error
    /// The batch file's name, when the batch came from one.
    public private(set) var file: String?

    public init(row: Int, underlying: any Error) {
        self.row = row
        self.underlying = underlying
    }

    /// The same error, located in the file at `path` (named as `LedgerInputError.inFile` names it).
    public func inFile(_ path: String) -> BatchRowError {
        var copy = self
        copy.file = LedgerInputError.fileName(path)
        return copy
    }

    public var description: String { (file.map { "\($0): " } ?? "") + "row \(row): \(underlying)" }
}

/// What a batch post did.
public struct BatchPostSummary: Sendable {
    public var recorded = 0
    public var duplicates = 0
    public var firstSeq: Int64?
    public var lastSeq: Int64?
}

extension Ledger {
    /// Posts every entry of a batch file in one transaction: all or nothing. A repeated
    /// file is answered with the original entries (each `ref` is an idempotency key).
    /// A file of entries is a bulk write (`WriteShape.bulk`): the SQLite store takes the file for it when no one else has it open.
    public func post(file reader: EntryFileReader, signer: SigningKey,
                     progress: ((Int) -> Void)? = nil) throws -> BatchPostSummary {
        // The file is read, parsed and encoded on a second thread while this one chains,
        // hashes and writes: see Prefetcher.
        let source = UncheckedBox(reader)
        let path = reader.path
        let prepared = Prefetcher<PreparedDraft> {
            guard let (row, entry) = try source.value.next() else { return nil }
            do {
                return PreparedDraft(row: row, draft: try entry.encodedDraft)
            } catch let error as LedgerInputError {
                throw error.at(row: row).inFile(path)
            }
        }
        defer { prepared.cancel() }
        return try append(signer: signer, shape: .bulk) { session in
            var summary = BatchPostSummary()
            while let chunk = try prepared.nextChunk() {
                for item in chunk {
                    let outcome: AppendSession.Outcome
                    do {
                        outcome = try session.append(item.draft)
                    } catch let error as LedgerInputError {
                        throw error.at(row: item.row).inFile(path)
                    } catch let error as LedgerRuleError {
                        throw BatchRowError(row: item.row, underlying: error).inFile(path)
                    }
                    switch outcome {
                    case let .recorded(seq, _):
                        summary.recorded += 1
                        summary.firstSeq = summary.firstSeq ?? seq
                        summary.lastSeq = seq
                    case .duplicate:
                        summary.duplicates += 1
                    }
                    let done = summary.recorded + summary.duplicates
                    if done % 1_000 == 0 { progress?(done) }
                }
            }
            return summary
        }
    }
}
