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
    /// Projects a `claim.filed` event read back from its data (a replay, or a single claim).
    static func filed(_ event: RecordedEvent, _ data: EventData, tables: any MutualAidTables) throws {
        let assessment = try data.value("assessment")
        let rejection = assessment["rejection"]
        try filed(FiledClaimRow(seq: event.seq, filer: event.actor, member: data.string("member"), unit: data.string("unit"),
                                planYear: data.int("planYear"), benefit: data.string("benefit"), settlementKey: data.string("settlementKey"),
                                serviceDate: data.string("serviceDate"), filedOn: data.string("date"),
                                payoutFen: assessment["payoutFen"]?.integerValue ?? 0, isRejected: rejection != nil && rejection != .null,
                                rejectionCode: rejection?["code"]?.stringValue, rejectionReason: rejection?["reason"]?.stringValue),
                  tables: tables)
    }

    /// Projects a filed claim: the one place either path (an event's data, or a batch's
    /// typed values in `ClaimFiler`) writes the register.
    static func filed(_ claim: FiledClaimRow, tables: any MutualAidTables) throws {
        try tables.insertClaim(claim)
        if !claim.isRejected {
            try tables.addCapUsage(member: claim.member, planYear: claim.planYear, benefit: claim.benefit, fen: claim.payoutFen)
            try tables.addClaimTally(.pending, on: claim.filedOn, planYear: claim.planYear, benefit: claim.benefit, count: 1,
                                     fen: claim.payoutFen, assessed: 0)
        }
    }

    /// Projects a step of a filed claim: reviewed, approved, rejected, paid, or one of the
    /// corrections (an approval revoked, a payment returned), which also record the pair in
    /// the ledger's reversals through `writer`.
    static func progressed(_ event: RecordedEvent, _ data: EventData, tables: any MutualAidTables, writer: any LedgerStoreWriter) throws {
        let id = try data.int("claim")
        guard let claim = try tables.claimForStep(id) else {
            throw EventDecodingError.badField("\(event.kind) at seq \(event.seq) names claim \(id), which was never filed")
        }
        // What the claim counts against the caps while undecided: its assessment, or what a
        // revoked approval left it approvable for.
        let approvable = claim.approvableFen, assessed = claim.assessedFen
        let year = claim.planYear, benefit = claim.benefit
        /// Moves what the member has used of the benefit's cap.
        func use(_ fen: Int64) throws {
            try tables.addCapUsage(member: claim.member, planYear: year, benefit: benefit, fen: fen)
        }
        /// Moves the fund report's tallies of the claim's year and benefit.
        func tally(_ measure: ClaimTallyMeasure, on date: String, _ count: Int64, _ fen: Int64, assessed: Int64 = 0) throws {
            try tables.addClaimTally(measure, on: date, planYear: year, benefit: benefit, count: count, fen: fen, assessed: assessed)
        }
        /// Keeps what a correction undid, dated both ways, for the reports.
        func recordReversal(step: String, from state: ClaimState, reversedOn: String?, reversedFen: Int64?) throws {
            guard claim.state == state, let reversedOn, let reversedFen else {
                throw data.badField("reverses the \(step) of claim \(id), which is \(claim.state.rawValue)")
            }
            try tables.insertClaimReversal(ClaimReversalRow(seq: event.seq, claim: id, unit: claim.unit, planYear: year, benefit: benefit,
                                                            step: step, reversedSeq: data.int("reverses"), reversedOn: reversedOn,
                                                            reversedFen: reversedFen, date: data.string("date")))
        }
        switch event.kind {
        case MutualAidKinds.claimReviewed:
            try tables.updateClaim(id, .reviewed(reviewer: event.actor.value), seq: event.seq)
        case MutualAidKinds.claimApproved:
            let approvers = (claim.approvers + [event.actor.value]).joined(separator: ",")
            if data.bool("final") {
                let amount = try data.int("amountFen")
                try tables.updateClaim(id, .approved(approvers: approvers, final: (amount, try data.string("date"))), seq: event.seq)
                try use(amount - approvable)
                try tally(.approved, on: data.string("date"), 1, amount, assessed: assessed)
            } else {
                try tables.updateClaim(id, .approved(approvers: approvers, final: nil), seq: event.seq)
            }
        case MutualAidKinds.claimRejected:
            try tables.updateClaim(id, .rejected(reason: data.string("reason")), seq: event.seq)
            try use(-approvable)
            guard let date = event.date else { throw data.badField("rejects claim \(id) on no date") }
            try tally(.pending, on: date.text, -1, -assessed)
        case MutualAidKinds.claimPaid:
            try tables.updateClaim(id, .paid(fen: data.int("amountFen"), date: data.string("date"), batch: data.optionalString("batch")),
                                   seq: event.seq)
            try tally(.paid, on: data.string("date"), 1, data.int("amountFen"))
        case MutualAidKinds.claimApprovalRevoked:
            // Every approval of the round is withdrawn; the claim waits for a decision again,
            // and counts against the caps at what it may now be approved for: the revocation's
            // `approvableFen` (its assessment, or less where the caps have since been spent).
            var approvableNow = approvable
            if data.bool("final") {
                let approved = claim.approvedFen
                try recordReversal(step: "approval", from: .approved, reversedOn: claim.approvedOn, reversedFen: approved)
                approvableNow = data.optionalInt("approvableFen") ?? assessed
                try use(approvableNow - (approved ?? approvableNow))
                try tally(.approved, on: data.string("date"), -1, -(approved ?? 0), assessed: -assessed)
            } else if claim.state != .partlyApproved {
                throw data.badField("withdraws the first approval of claim \(id), which is \(claim.state.rawValue)")
            }
            try tables.updateClaim(id, .approvalRevoked(approvableFen: approvableNow), seq: event.seq)
            for approval in try data.intArray("approvals") {
                try writer.insertReversal(original: approval, reversal: event.seq)
            }
            try tables.markClaimCorrected(id, seq: event.seq, on: data.string("date"))
        case MutualAidKinds.claimPaymentReturned:
            try recordReversal(step: "payment", from: .paid, reversedOn: claim.paidOn, reversedFen: claim.paidFen)
            try tally(.paid, on: data.string("date"), -1, -(claim.paidFen ?? 0))
            try tables.updateClaim(id, .paymentReturned, seq: event.seq)
            try writer.insertReversal(original: data.int("reverses"), reversal: event.seq)
            try tables.markClaimCorrected(id, seq: event.seq, on: data.string("date"))
        default:
            break
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
