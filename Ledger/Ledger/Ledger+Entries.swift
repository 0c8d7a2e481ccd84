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
            throw LedgerInputError(field: "memo", value: memo, reason: "at most \(JournalEntry.memoLengthMax) characters")
        }
        try postings.checkBalanced()
        self.date = date
        self.memo = memo
        self.postings = postings
        self.idempotencyKey = idempotencyKey
    }

    public var draft: EventDraft {
        get throws(LedgerInputError) {
            try EventDraft(kind: .entryPosted, date: date, postings: postings,
                           idempotencyKey: idempotencyKey.map { "entry:" + $0 }, fields: ["memo": .string(memo)])
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
    /// (which must lie in an open month), naming the entry it reverses. A projection may
    /// refuse it for a kind its tables follow (`EventProjection.reversalRefusal(of:)`).
    public func reverse(seq: Int64, date: LedgerDate, reason: String, signer: SigningKey) throws -> AppendSession.Outcome {
        let trimmed = reason.trimmingSpaces()
        guard !trimmed.isEmpty else {
            throw LedgerInputError(field: "reason", value: reason, reason: "say why the entry is reversed")
        }
        return try append(signer: signer) { session in
            guard seq >= 1, let stored = try session.store.storedEvent(seq: seq) else { throw LedgerRuleError.noSuchEvent(seq: seq) }
            let original = try RecordedEvent(body: stored.body, signature: stored.signature)
            if original.kind == .entryReversed {
                throw LedgerRuleError.notReversible(seq: seq, reason: "it is itself a reversal; post the entry again instead")
            }
            let postings = try original.postings()
            guard !postings.isEmpty else { throw LedgerRuleError.notReversible(seq: seq, reason: "it moves no money") }
            if let refusal = projections.lazy.compactMap({ $0.reversalRefusal(of: original.kind) }).first {
                throw LedgerRuleError.notReversible(seq: seq, reason: refusal)
            }
            if let by = try session.store.reversal(of: seq) { throw LedgerRuleError.alreadyReversed(seq: seq, by: by) }
            return try session.append(EventDraft(kind: .entryReversed, date: date, postings: postings.map(\.reversed),
                                                 idempotencyKey: "reversal:\(seq)",
                                                 fields: ["reverses": .integer(seq), "reason": .string(trimmed)]))
        }
    }
}

/// A rule error found at one row of a batch file.
public struct BatchRowError: Error, CustomStringConvertible {
    public let row: Int
    public let underlying: any Error

    public init(row: Int, underlying: any Error) {
        self.row = row
        self.underlying = underlying
    }

    public var description: String { "row \(row): \(underlying)" }
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
    /// The file is taken for the batch when no one else has it open (`WriteSharing`).
    public func post(file reader: EntryFileReader, signer: SigningKey,
                     progress: ((Int) -> Void)? = nil) throws -> BatchPostSummary {
        // The file is read, parsed and encoded on a second thread while this one chains,
        // hashes and writes: see Prefetcher.
        let source = UncheckedBox(reader)
        let prepared = Prefetcher<PreparedDraft> {
            guard let (row, entry) = try source.value.next() else { return nil }
            do {
                return PreparedDraft(row: row, draft: try entry.encodedDraft)
            } catch let error as LedgerInputError {
                throw error.at(row: row)
            }
        }
        defer { prepared.cancel() }
        return try append(signer: signer, sharing: .exclusiveWhenAlone) { session in
            var summary = BatchPostSummary()
            while let chunk = try prepared.nextChunk() {
                for item in chunk {
                    let outcome: AppendSession.Outcome
                    do {
                        outcome = try session.append(item.draft)
                    } catch let error as LedgerInputError {
                        throw error.at(row: item.row)
                    } catch let error as LedgerRuleError {
                        throw BatchRowError(row: item.row, underlying: error)
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
                    if done % 10_000 == 0 { progress?(done) }
                }
            }
            return summary
        }
    }
}
