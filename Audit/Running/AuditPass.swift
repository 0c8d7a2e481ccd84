import Ledger

/// The audit's one streaming read: each stored event goes through the chain rules
/// (`LogVerificationPass`, signatures on every core) and, once decoded, through every
/// check. Used over a store by `Auditor` and over files by `BundleVerifier`, so a bundle
/// is judged by exactly the rules the ledger is.
struct AuditPass {
    var verification: LogVerificationPass
    var checks: [any AuditCheck]
    /// The kinds the checks read as typed values: each event is read as its value once,
    /// here, for all of them.
    let eventValues: EventValueCatalog
    var findings: [Finding] = []
    var eventsRead: Int64 = 0

    static let chainCheck = "chain"

    init(verification: LogVerificationPass, checks: [any AuditCheck], eventValues: EventValueCatalog) {
        self.verification = verification
        self.checks = checks
        self.eventValues = eventValues
    }

    mutating func begin(_ context: AuditContext) throws {
        for index in checks.indices { try checks[index].begin(context, into: &findings) }
    }

    /// Feeds one stored event, with its index columns when the source has them; false
    /// once the chain is broken and reading should stop.
    mutating func feed(_ stored: StoredEvent, columns: StoredEventColumns? = nil) -> Bool {
        guard let event = verification.check(stored) else { return false }
        eventsRead += 1
        let audited = AuditedEvent(event, eventValues: eventValues, storedColumns: columns)
        for index in checks.indices { checks[index].inspect(audited, into: &findings) }
        return true
    }

    /// Ends the pass: the chain's failures become findings, then each check finishes.
    mutating func finish(claimedSize: Int64, context: (VerificationReport) -> AuditContext) throws -> VerificationReport {
        let report = verification.finish(claimedSize: claimedSize)
        for failure in report.failures {
            findings.append(Finding(.error, check: AuditPass.chainCheck, seqs: [failure.seq], failure.reason))
        }
        let finalContext = context(report)
        for index in checks.indices { try checks[index].finish(finalContext, into: &findings) }
        return report
    }

    var checkNames: [String] { [AuditPass.chainCheck] + checks.map(\.name) }
}
