import Ledger
import MutualAid

/// A member's statement for a plan year (会员互助保障对账单): their coverage, the
/// contributions billed and received for their unit, and their claims, each line an
/// event with its canonical bytes and an inclusion proof to a signed checkpoint.
///
/// A member (or anyone they show it to) checks it offline with `huzhu proof check`:
/// hash each line's bytes, fold the proof up to the checkpoint's root, and check the
/// administrator's signature on the checkpoint. No personal data is in it: events name
/// the member only by their opaque id.
public struct MemberStatement: Sendable {
    public struct Line: Sendable {
        public let seq: Int64
        public let kind: String
        public let summary: String
        public let body: [UInt8]
        public let proof: [SHA256Hash]
    }

    /// v2 adds `index`, the member's and unit's entries in the statement index (completeness);
    /// v1 statements, which have none, are still checked, and say they do not prove it.
    public static let type = "huzhu-member-statement-v2"
    public static let types: Set<String> = ["huzhu-member-statement-v1", type]

    /// The statement index this statement rests on: the `statements.indexed` event (its bytes
    /// and inclusion proof to the checkpoint) and the member's and their unit's entries with
    /// their proofs to the index's root.
    public struct IndexProof: Sendable {
        public let seq: Int64
        public let body: [UInt8]
        public let proof: [SHA256Hash]
        public let member: (entry: JSONValue, index: Int, proof: [SHA256Hash])
        public let unit: (entry: JSONValue, index: Int, proof: [SHA256Hash])?

        var json: JSONValue {
            func entry(_ value: (entry: JSONValue, index: Int, proof: [SHA256Hash])) -> JSONValue {
                ["entry": value.entry, "index": .integer(Int64(value.index)), "proof": .array(value.proof.map { .string($0.hex) })]
            }
            return ["seq": .integer(seq), "body": .string(String(decoding: body, as: UTF8.self)),
                    "leafHash": .string(MerkleHashing.leafHash(body).hex), "proof": .array(proof.map { .string($0.hex) }),
                    "member": entry(member), "unit": unit.map(entry) ?? .null]
        }
    }

    public let ledgerID: String
    public let member: String
    public let year: Int
    public let checkpoint: Checkpoint
    public let lines: [Line]
    /// Events about the member recorded after the checkpoint; the next checkpoint covers them.
    public let laterEvents: Int
    /// The newest statement index within the checkpoint, or nil when the ledger has none.
    public let index: IndexProof?

    /// Builds the statement against the newest checkpoint.
    public static func build(ledger: Ledger, member: MemberID, year: Int) throws -> MemberStatement {
        try ledger.read { reader in
            let records = try mutualAidRecords(reader)
            guard let checkpoint = try reader.checkpoints().last?.checkpoint else {
                throw LedgerInputError(field: "checkpoint", value: "", reason: "the ledger has no checkpoint yet; an administrator signs one with `huzhu checkpoint`")
            }
            guard let enrolment = try records.enrolment(member: member.value, planYear: year) else {
                throw LedgerInputError(field: "member", value: member.value, reason: "is not enrolled for \(year)")
            }
            let unit = enrolment.unit
            let seqs = try records.statementEventSeqs(member: member.value, unit: unit, enrolmentSeq: enrolment.seq, planYear: year)
            let source = StoreNodeSource(reader)
            var indexProof: IndexProof?
            if let indexSeq = try reader.seqs(ofKind: MutualAidKinds.statementsIndexed).last(where: { $0 <= checkpoint.treeSize }),
               let stored = try reader.storedEvent(seq: indexSeq) {
                let recorded = try RecordedEvent(body: stored.body, signature: stored.signature)
                let root = try StatementsIndexedEvent(event: recorded).root
                let entries = try StatementIndex.proofs(for: [StatementIndex.member(member.value), StatementIndex.unit(unit)], indexSeq: indexSeq,
                                                        root: root, records: records, reader: reader)
                guard let memberEntry = entries[0] else {
                    throw LedgerInputError(field: "member", value: member.value, reason: "has no entry in the statement index of seq \(indexSeq)")
                }
                indexProof = IndexProof(seq: indexSeq, body: stored.body, proof: try source.inclusionProof(index: indexSeq - 1, size: checkpoint.treeSize),
                                        member: memberEntry, unit: entries[1])
            }
            var lines: [Line] = []
            var later = 0
            for seq in Set(seqs).sorted() {
                guard seq <= checkpoint.treeSize else { later += 1; continue }
                guard let stored = try reader.storedEvent(seq: seq) else { continue }
                let event = try RecordedEvent(body: stored.body, signature: stored.signature)
                lines.append(Line(seq: seq, kind: event.kind.name, summary: summary(event), body: stored.body,
                                  proof: try source.inclusionProof(index: seq - 1, size: checkpoint.treeSize)))
            }
            return MemberStatement(ledgerID: checkpoint.ledgerID, member: member.value, year: year, checkpoint: checkpoint,
                                   lines: lines, laterEvents: later, index: indexProof)
        }
    }

    static func summary(_ event: RecordedEvent) -> String {
        func money(_ fen: Int64) -> String { Money(fen: fen).formatted() }
        do {
            switch event.kind {
            case MutualAidKinds.memberEnrolled:
                let value = try MemberEnrolledEvent(event: event)
                return "enrolled through unit \(value.unit), covered since \(value.coverageStart)"
            case MutualAidKinds.memberLeft: return "left on \(try MemberLeftEvent(event: event).date)"
            case MutualAidKinds.memberErased: return "personal data erased"
            case MutualAidKinds.memberDetailsUpdated:
                return "personal details updated: " + (try MemberDetailsUpdatedEvent(event: event).updated).joined(separator: ", ")
            case MutualAidKinds.contributionBilled:
                let value = try ContributionBilledEvent(event: event)
                return "unit billed for \(value.headcount) members: \(money(value.unitFen)) + subsidy \(money(value.subsidyFen))"
            case MutualAidKinds.contributionReceived: return "unit paid \(money(try ContributionReceivedEvent(event: event).amountFen))"
            case MutualAidKinds.contributionRefunded: return "refunded to the unit \(money(try ContributionRefundedEvent(event: event).amountFen))"
            case MutualAidKinds.claimFiled:
                let value = try ClaimFiledEvent(event: event)
                if let rejection = value.assessment.rejection { return "claim \(event.seq) (\(value.benefit)) filed and rejected: \(rejection.reason)" }
                return "claim \(event.seq) (\(value.benefit)) filed, assessed \(money(value.assessment.payoutFen))"
            case MutualAidKinds.contributionReversed:
                let value = try ContributionReversedEvent(event: event)
                return "the unit's \(value.undone.kind) at seq \(value.reversal.reverses) reversed: \(value.reversal.reason)"
            case let kind where MutualAidKinds.claimSteps.contains(kind):
                switch try ClaimStepEvent(event) {
                case let .reviewed(step): return "claim \(step.claim) reviewed"
                case let .approved(step): return "claim \(step.claim) approved \(money(step.amountFen))"
                case let .rejected(step): return "claim \(step.claim) rejected: \(step.reason)"
                case let .paid(step): return "claim \(step.claim) paid \(money(step.amountFen))"
                case let .approvalRevoked(step): return "claim \(step.claim): approval revoked (\(step.reversal.reason)); to be decided again"
                case let .paymentReturned(step):
                    return "claim \(step.claim): payment of \(money(step.amountFen)) returned by the bank (\(step.reversal.reason)); to be paid again"
                }
            default: return event.kind.name
            }
        } catch {
            return "\(event.kind.name) (its data does not read: \(error))"
        }
    }

    public var json: JSONValue {
        ["type": .string(MemberStatement.type), "ledger": .string(ledgerID), "member": .string(member), "year": .integer(Int64(year)),
         "checkpoint": checkpoint.json, "laterEvents": .integer(Int64(laterEvents)), "index": index?.json ?? .null,
         "lines": .array(lines.map { line in
             ["seq": .integer(line.seq), "kind": .string(line.kind), "summary": .string(line.summary),
              "body": .string(String(decoding: line.body, as: UTF8.self)), "leafHash": .string(MerkleHashing.leafHash(line.body).hex),
              "proof": .array(line.proof.map { .string($0.hex) })]
         })]
    }

    /// Checks a statement offline. Every line must be this ledger's event at its seq (its
    /// bytes hashing to the leaf hash it shows, lowercase), in the checkpoint's tree by its
    /// proof, listed once, of the kind the line says, and about this member: their enrolment
    /// for the statement's year, their other member events, their claims of that year and
    /// those claims' steps, their unit's contributions for that year. The checkpoint must be
    /// signed by one of `administrators` (a statement no key can check proves nothing).
    /// Returns the problems found; empty means valid.
    public struct CheckResult {
        public let problems: [String]
        public let lines: Int
        public let checkpoint: Checkpoint
        /// The seq up to which the statement proved it lists every event of the member's, or
        /// nil when it carries no index (a v1 statement, or a ledger that recorded none).
        public let completeThrough: Int64?
    }

    public static func check(_ json: JSONValue, administrators: [PublicKey]) throws -> CheckResult {
        guard let kind = json["type"]?.stringValue, types.contains(kind), let member = json["member"]?.stringValue, let lines = json["lines"]?.arrayValue,
              let ledger = json["ledger"]?.stringValue, let year = json["year"]?.integerValue, let checkpointJSON = json["checkpoint"] else {
            throw LedgerInputError(field: "statement", value: "", reason: "not a Huzhu member statement (type, ledger, member, year, checkpoint, lines)")
        }
        let checkpoint = try Checkpoint(json: checkpointJSON)
        var problems: [String] = []
        if !administrators.contains(where: { checkpoint.isSigned(by: $0) }) {
            problems.append("the checkpoint's signature does not verify with a given administrator key")
        }
        if ledger != checkpoint.ledgerID { problems.append("the statement names ledger \(ledger), its checkpoint \(checkpoint.ledgerID)") }
        var seen: Set<Int64> = []
        var events: [RecordedEvent] = []
        for line in lines {
            let seq = line["seq"]?.integerValue ?? 0
            guard seen.insert(seq).inserted else {
                problems.append("seq \(seq): listed twice")
                continue
            }
            let (proven, found) = try provenEvent(line, seq: seq, checkpoint: checkpoint)
            problems += found
            guard let event = proven else { continue }
            if line["kind"]?.stringValue != event.kind.name {
                problems.append("seq \(seq): the line says \(line["kind"]?.stringValue ?? "no kind"), the event is \(event.kind.name)")
            }
            events.append(event)
        }
        problems += whose(events, member: member, year: year)
        var completeThrough: Int64?
        if let index = json["index"], index != .null {
            let before = problems.count
            problems += try checkComplete(index, events: events, member: member, year: year, checkpoint: checkpoint)
            if problems.count == before { completeThrough = index["seq"]?.integerValue.map { $0 - 1 } }
        }
        return CheckResult(problems: problems, lines: lines.count, checkpoint: checkpoint, completeThrough: completeThrough)
    }

    /// The event a statement shows at `seq` (its `body`, `leafHash` and `proof` to the
    /// checkpoint), with the problems that keep it from being this ledger's event there; the
    /// event is nil when it cannot be trusted at all.
    static func provenEvent(_ item: JSONValue, seq: Int64, checkpoint: Checkpoint) throws -> (event: RecordedEvent?, problems: [String]) {
        guard let text = item["body"]?.stringValue, let path = item["proof"]?.arrayValue else {
            return (nil, ["line for seq \(seq) lacks its body or proof"])
        }
        var problems: [String] = []
        let body = Array(text.utf8)
        let leaf = MerkleHashing.leafHash(body)
        if item["leafHash"]?.stringValue != leaf.hex {
            problems.append("seq \(seq): the leaf hash shown is not the hash of the line's bytes (\(leaf.hex), lowercase)")
        }
        guard MerkleProofVerifier.verifyInclusion(leafHash: leaf, index: seq - 1, size: checkpoint.treeSize,
                                                  proof: try ProofJSON.hashes(path), root: checkpoint.rootHash) else {
            return (nil, problems + ["seq \(seq): the event is not in the tree of the checkpoint (its bytes or proof were altered)"])
        }
        guard let event = try? RecordedEvent(body: body, signature: []), event.seq == seq, event.ledgerID == checkpoint.ledgerID else {
            return (nil, problems + ["seq \(seq): the bytes are not this ledger's event \(seq)"])
        }
        return (event, problems)
    }

    /// Completeness: the index event is in the checkpoint's tree and records a root; the
    /// member's entry (and their unit's) are in that root; and recounting the statement's
    /// lines up to the index gives exactly those entries' tallies for the year (and, for the
    /// member, their events of no year). Fewer lines than the tally means one was left out.
    static func checkComplete(_ json: JSONValue, events: [RecordedEvent], member: String, year: Int64, checkpoint: Checkpoint) throws -> [String] {
        guard let seq = json["seq"]?.integerValue, json["body"]?.stringValue != nil, json["proof"]?.arrayValue != nil else {
            return ["the statement's index lacks its seq, body or proof"]
        }
        let (proven, found) = try provenEvent(json, seq: seq, checkpoint: checkpoint)
        guard found.isEmpty, let event = proven, event.kind == MutualAidKinds.statementsIndexed, let recorded = try? StatementsIndexedEvent(event: event),
              recorded.through == seq - 1 else {
            return ["the statement's index is not a statements.indexed event in the checkpoint's tree"]
        }
        var recount = StatementIndex()
        for line in events.sorted(by: { $0.seq < $1.seq }) where line.seq < seq { recount.add(line) }
        var problems: [String] = []
        func entry(_ name: String, subject: String, parts: (StatementIndex.Entry) -> [(String, StatementIndex.Tally, JSONValue?)]) {
            guard let proved = json[name], proved != .null, let value = proved["entry"], let position = proved["index"]?.integerValue,
                  let hashes = proved["proof"]?.arrayValue, let encoded = try? CanonicalJSON.encode(value),
                  let proof = try? ProofJSON.hashes(hashes),
                  MerkleProofVerifier.verifyInclusion(leafHash: MerkleHashing.leafHash(encoded), index: position, size: recorded.subjects, proof: proof, root: recorded.root) else {
                problems.append("the index entry of \(subject) is missing or not in the index's root (seq \(seq))")
                return
            }
            guard value["subject"]?.stringValue == subject else {
                problems.append("the index entry shown is \(value["subject"]?.stringValue ?? "nobody")'s, not \(subject)'s")
                return
            }
            for (part, counted, stated) in parts(recount.entries[subject] ?? StatementIndex.Entry()) {
                let statedCount = stated?["count"]?.integerValue ?? 0
                let statedDigest = stated?["digest"]?.stringValue ?? SHA256Hash.zero.hex
                if counted.count != statedCount || counted.digest.hex != statedDigest {
                    problems.append("""
                        the statement lists \(counted.count) event(s) of \(subject) (\(part)) up to seq \(seq - 1), the index records \(statedCount)\
                        \(counted.count == statedCount ? " with another digest" : ""): \(counted.count < statedCount ? "events were left out" : "the lines are not the ones indexed")
                        """)
                }
            }
        }
        entry("member", subject: StatementIndex.member(member)) { counted in
            let value = json["member"]?["entry"]
            return [("\(year)", counted.years[year] ?? StatementIndex.Tally(), value?["years"]?[String(year)]),
                    ("events of no year", counted.other, value?["other"])]
        }
        let enrolment = events.lazy.filter { $0.kind == MutualAidKinds.memberEnrolled }.compactMap { try? MemberEnrolledEvent(event: $0) }
            .first { $0.planYear == year }
        if let unit = enrolment?.unit {
            entry("unit", subject: StatementIndex.unit(unit)) { counted in
                [("\(year)", counted.years[year] ?? StatementIndex.Tally(), json["unit"]?["entry"]?["years"]?[String(year)])]
            }
        }
        return problems
    }

    /// The lines that are not about `member` in `year`, as problems: a statement lists the
    /// member's enrolment for the year, their other member events, their claims of the year
    /// and those claims' steps, and their unit's contributions for the year; nothing else.
    static func whose(_ events: [RecordedEvent], member: String, year: Int64) -> [String] {
        let enrolment = events.first {
            $0.kind == MutualAidKinds.memberEnrolled && EventSubject($0) == .member(member, year: year)
        }
        var problems: [String] = enrolment == nil ? ["the statement holds no enrolment of member \(member) for \(year)"] : []
        let unit = enrolment.flatMap { try? MemberEnrolledEvent(event: $0).unit }
        let claims = Set(events.filter {
            $0.kind == MutualAidKinds.claimFiled && EventSubject($0) == .member(member, year: year)
        }.map(\.seq))
        for event in events {
            let belongs: Bool
            switch EventSubject(event) {
            case .member where event.kind == MutualAidKinds.memberEnrolled: belongs = event.seq == enrolment?.seq
            case .member where event.kind == MutualAidKinds.claimFiled: belongs = claims.contains(event.seq)
            case let .member(whom, _): belongs = whom == member
            case let .claimStep(claim): belongs = claims.contains(claim)
            case let .unit(whose, whichYear): belongs = whose == unit && whichYear == year
            case nil: belongs = false
            }
            let kind = event.kind.name
            if !belongs { problems.append("seq \(event.seq): a \(kind) event that is not member \(member)'s for \(year)") }
        }
        return problems
    }
}
