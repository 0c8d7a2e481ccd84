import Ledger

/// The data of a `claim.filed` event: the claim as filed, where it stands in the plan, and
/// the rules engine's assessment.
///
/// `event` gives the event as recorded (`ClaimFiledEvent`, its data a dictionary);
/// `encodedDraft` gives the same data as canonical bytes written field by field, the claim's
/// input already encoded on the reading thread, and `projected` the claims-register row the
/// event makes. A batch of a million claims would otherwise build, sort and encode a
/// dictionary per claim on the filing thread, and read it back to project it. Tests hold the
/// forms equal, and the register equal to a replay of the log.
struct ClaimFiledData {
    let input: ClaimInput
    /// The benefit's code as the plan spells it (the input's may differ in Unicode form).
    let benefit: String
    let unit: String
    let planYear: Int
    /// The seq of the `plan.published` event whose rules assessed the claim.
    let plan: Int64
    let computation: PayoutComputation
    let usage: CapUsage
    /// The claim that first used this settlement, when this one repeats it.
    let duplicateOf: Int64?
    /// The commitment to the claim's personal data (its diagnosis), kept outside the log.
    let personal: String?
    let idempotencyKey: String

    /// The event as recorded, its input as a dictionary.
    var event: ClaimFiledEvent {
        let rejection = computation.rejection
        return ClaimFiledEvent(member: input.member.value, unit: unit, planYear: Int64(planYear), plan: plan, benefit: benefit,
                               settlementKey: input.settlementKey, serviceDate: input.serviceDate.text, input: input.json,
                               assessment: .init(payoutFen: payout, benefitUsedFen: usage.benefitUsed.fen, totalUsedFen: usage.totalUsed.fen,
                                                 rejection: rejection.map { ($0.code, $0.sentence) }),
                               duplicateOf: duplicateOf, personal: personal, date: input.filedOn, idempotencyKey: idempotencyKey)
    }

    /// The event as a draft, its data a dictionary.
    func draft() throws(LedgerInputError) -> EventDraft { try event.draft() }

    private var payout: Int64 { computation.amount?.fen ?? 0 }

    /// The draft with its data in canonical bytes, written in the keys' canonical order:
    /// assessment, benefit, date, duplicateOf, idempotencyKey, input, member, personal,
    /// plan, planYear, serviceDate, settlementKey, unit.
    func encodedDraft() throws -> EncodedDraft {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(320 + input.encodedJSON.count)
        do {
            bytes.append(contentsOf: #"{"assessment":{"benefitUsedFen":"#.utf8)
            try CanonicalJSON.write(usage.benefitUsed.fen, into: &bytes)
            bytes.append(contentsOf: #","payoutFen":"#.utf8)
            try CanonicalJSON.write(payout, into: &bytes)
            if let rejection = computation.rejection {
                bytes.append(contentsOf: #","rejection":{"code":"#.utf8)
                CanonicalJSON.write(rejection.code, into: &bytes)
                bytes.append(contentsOf: #","reason":"#.utf8)
                CanonicalJSON.write(rejection.sentence, into: &bytes)
                bytes.append(UInt8(ascii: "}"))
            }
            bytes.append(contentsOf: #","totalUsedFen":"#.utf8)
            try CanonicalJSON.write(usage.totalUsed.fen, into: &bytes)
            bytes.append(contentsOf: #"},"benefit":"#.utf8)
            CanonicalJSON.write(benefit, into: &bytes)
            bytes.append(contentsOf: #","date":"#.utf8)
            CanonicalJSON.write(input.filedOn.text, into: &bytes)
            if let duplicateOf {
                bytes.append(contentsOf: #","duplicateOf":"#.utf8)
                try CanonicalJSON.write(duplicateOf, into: &bytes)
            }
            bytes.append(contentsOf: #","idempotencyKey":"#.utf8)
            CanonicalJSON.write(idempotencyKey, into: &bytes)
            bytes.append(contentsOf: #","input":"#.utf8)
            bytes.append(contentsOf: input.encodedJSON)
            bytes.append(contentsOf: #","member":"#.utf8)
            CanonicalJSON.write(input.member.value, into: &bytes)
            if let personal {
                bytes.append(contentsOf: #","personal":"#.utf8)
                CanonicalJSON.write(personal, into: &bytes)
            }
            bytes.append(contentsOf: #","plan":"#.utf8)
            try CanonicalJSON.write(plan, into: &bytes)
            bytes.append(contentsOf: #","planYear":"#.utf8)
            try CanonicalJSON.write(Int64(planYear), into: &bytes)
            bytes.append(contentsOf: #","serviceDate":"#.utf8)
            CanonicalJSON.write(input.serviceDate.text, into: &bytes)
            bytes.append(contentsOf: #","settlementKey":"#.utf8)
            CanonicalJSON.write(input.settlementKey, into: &bytes)
            bytes.append(contentsOf: #","unit":"#.utf8)
            CanonicalJSON.write(unit, into: &bytes)
            bytes.append(UInt8(ascii: "}"))
        } catch {
            throw LedgerInputError(field: "assessment", value: "", reason: error.description)
        }
        assert((try? CanonicalJSON.encode(.object(draft().data))) == bytes,
               "claim.filed bytes differ from its data: \(String(decoding: bytes, as: UTF8.self))")
        return try EncodedDraft(kind: MutualAidKinds.claimFiled, date: input.filedOn, idempotencyKey: idempotencyKey, encodedData: bytes)
    }

    /// What the event adds to the claims register once recorded at `seq` by `filer`: the
    /// same row `ClaimFiledEvent.row` reads from the event's data, from the values at hand.
    func projected(seq: Int64, filer: KeyID) -> FiledClaimRow {
        let rejection = computation.rejection
        return FiledClaimRow(seq: seq, filer: filer, member: input.member.value, unit: unit, planYear: Int64(planYear),
                                     benefit: benefit, settlementKey: input.settlementKey, serviceDate: input.serviceDate.text,
                                     filedOn: input.filedOn.text, payoutFen: payout, isRejected: rejection != nil,
                                     rejectionCode: rejection?.code, rejectionReason: rejection?.sentence)
    }
}
