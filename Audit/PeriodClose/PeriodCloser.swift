import Ledger

/// Closes an accounting month (月结): checks every `PeriodCloseRule`, then records a
/// `period.closed` event carrying a checkpoint signed over the log as it stands and the
/// digest of the month's closing balances. Afterwards nothing dated in the month (or
/// before it) is accepted; corrections go into an open month and name what they correct.
///
/// ```swift
/// let closed = try PeriodCloser(ledger: ledger).close(try Period("2026-10"), signer: admin)
/// ```
///
/// Everything happens in one write transaction: the rules see the books that close, and a
/// refusal (`PeriodCloseRefused`) writes nothing.
public struct PeriodCloser {
    public let ledger: Ledger
    public let rules: [any PeriodCloseRule]

    /// The ledger's rules. The mutual-aid domain appends its own (unpaid approved claims).
    public static func ledgerRules() -> [any PeriodCloseRule] {
        [MonthEndedRule(), ClosingOrderRule(), TrialBalanceRule()]
    }

    public init(ledger: Ledger, rules: [any PeriodCloseRule] = PeriodCloser.ledgerRules()) {
        self.ledger = ledger
        self.rules = rules
    }

    /// What a close recorded.
    public struct Closed: Sendable {
        public let period: Period
        public let seq: Int64
        public let checkpoint: Checkpoint
        public let balances: ClosingBalances
    }

    /// Closes `period`, signed by `signer` (an administrator). `today` defaults to the
    /// books' date of the recording time (which `HUZHU_NOW` can set for a demo or a test).
    public func close(_ period: Period, signer: SigningKey, today: LedgerDate = EventTime.now().localDate) throws -> Closed {
        try ledger.append(signer: signer) { session in
            var reasons: [String] = []
            for rule in rules {
                if let reason = try rule.refusal(closing: period, today: today, reader: session.store) { reasons.append(reason) }
            }
            guard reasons.isEmpty else { throw PeriodCloseRefused(period: period, reasons: reasons) }
            let balances = try ClosingBalances(period: period, reader: session.store)
            let checkpoint = Checkpoint(ledgerID: ledger.info.id, treeSize: session.logSize, rootHash: session.root,
                                        time: EventTime.now(), signer: signer)
            let seq = try session.append(PeriodClosedEvent(period: period, checkpoint: checkpoint, closingBalances: try balances.summary).draft()).seq
            return Closed(period: period, seq: seq, checkpoint: checkpoint, balances: balances)
        }
    }
}

/// A month that may not close yet, with every reason.
public struct PeriodCloseRefused: Error, CustomStringConvertible {
    public let period: Period
    public let reasons: [String]
    public var description: String { "\(period) cannot be closed: " + reasons.joined(separator: "; ") }
}
