import Ledger

/// What each claim event does to the register: the claim's row, the caps used per member,
/// benefit and plan year, the fund report's day tallies, and the corrections' records,
/// written through `MutualAidTables`.
///
/// A claim's id is the seq of its `claim.filed` event. Caps count every claim not
/// rejected at its computed amount, then at its approved amount once approved: two
/// claims filed the same day cannot both spend the last of a cap. A claim whose approval
/// is revoked counts at what it may then be approved for (`approvable_fen`), which the
/// revocation names.
enum ClaimProjection {
    /// Projects a filed claim: the one place either path (a recorded event's value,
    /// `ClaimFiledEvent`, or a batch's typed values in `ClaimFiler`) writes the register.
    static func filed(_ claim: FiledClaimRow, tables: any MutualAidTables) throws {
        try tables.insertClaim(claim)
        if !claim.isRejected {
            try tables.addCapUsage(member: claim.member, planYear: claim.planYear, benefit: claim.benefit, fen: claim.payoutFen)
            try tables.addClaimTally(.pending, on: claim.filedOn, planYear: claim.planYear, benefit: claim.benefit, count: 1,
                                     fen: claim.payoutFen, assessed: 0)
        }
    }

    /// A step of a filed claim being projected (reviewed, approved, rejected, paid, or one
    /// of the corrections): the claim's row as the step finds it, and the moves a step makes
    /// to the caps, the fund report's tallies and the corrections' records.
    struct Step {
        let claim: Int64
        let event: RecordedEvent
        let record: ClaimStepRecord
        let tables: any MutualAidTables

        init(claim: Int64, event: RecordedEvent, tables: any MutualAidTables, writer: any LedgerStoreWriter) throws {
            guard let record = try tables.claimForStep(claim) else {
                throw EventDecodingError.badField("\(event.kind) at seq \(event.seq) names claim \(claim), which was never filed")
            }
            self.claim = claim
            self.event = event
            self.record = record
            self.tables = tables
        }

        /// Moves what the member has used of the benefit's cap.
        func use(_ fen: Int64) throws {
            try tables.addCapUsage(member: record.member, planYear: record.planYear, benefit: record.benefit, fen: fen)
        }

        /// Moves the fund report's tallies of the claim's year and benefit.
        func tally(_ measure: ClaimTallyMeasure, on date: String, _ count: Int64, _ fen: Int64, assessed: Int64 = 0) throws {
            try tables.addClaimTally(measure, on: date, planYear: record.planYear, benefit: record.benefit, count: count, fen: fen,
                                     assessed: assessed)
        }

        /// Keeps what a correction undid, dated both ways, for the reports.
        func recordReversal(step: String, from state: ClaimState, reversedOn: String?, reversedFen: Int64?, reverses: Int64,
                            date: LedgerDate) throws {
            guard record.state == state, let reversedOn, let reversedFen else {
                throw EventFields(event).badField("reverses the \(step) of claim \(claim), which is \(record.state.rawValue)")
            }
            try tables.insertClaimReversal(ClaimReversalRow(seq: event.seq, claim: claim, unit: record.unit, planYear: record.planYear,
                                                            benefit: record.benefit, step: step, reversedSeq: reverses, reversedOn: reversedOn,
                                                            reversedFen: reversedFen, date: date.text))
        }
    }
}

/// Where a claim stands: filed → reviewed → approved (after one or two approvers) | rejected → paid.
/// A revoked approval takes a claim back to reviewed, a returned payment back to approved.
public enum ClaimState: String, Sendable, CaseIterable {
    case filed
    case reviewed
    /// Approved by the first of two required approvers (large amounts).
    case partlyApproved = "partly-approved"
    case approved
    case rejected
    case paid
}
