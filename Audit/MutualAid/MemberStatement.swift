import GRDB
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

    public static let type = "huzhu-member-statement-v1"

    public let ledgerID: String
    public let member: String
    public let year: Int
    public let checkpoint: Checkpoint
    public let lines: [Line]
    /// Events about the member recorded after the checkpoint; the next checkpoint covers them.
    public let laterEvents: Int

    /// Builds the statement against the newest checkpoint.
    public static func build(ledger: Ledger, member: MemberID, year: Int) throws -> MemberStatement {
        try ledger.read { reader in
            guard let transaction = reader as? SQLiteLedgerStore.Transaction else {
                throw LedgerStoreError.notALedger("statements need the SQLite store")
            }
            let db = transaction.db
            guard let checkpoint = try reader.checkpoints().last?.checkpoint else {
                throw LedgerInputError(field: "checkpoint", value: "", reason: "the ledger has no checkpoint yet; an administrator signs one with `huzhu checkpoint`")
            }
            guard let enrolment = try Row.fetchOne(db, sql: "SELECT unit_id, seq FROM enrolments WHERE member_id = ? AND plan_year = ?",
                                                   arguments: [member.value, year]) else {
                throw LedgerInputError(field: "member", value: member.value, reason: "is not enrolled for \(year)")
            }
            let unit: String = enrolment[0]
            var seqs: [Int64] = [enrolment[1]]
            seqs += try Int64.fetchAll(db, sql: """
                SELECT seq FROM events WHERE kind IN ('member.left', 'member.erased', 'member.details-updated')
                AND json_extract(CAST(body AS TEXT), '$.data.member') = ?
                """, arguments: [member.value])
            seqs += try Int64.fetchAll(db, sql: """
                SELECT seq FROM events WHERE kind IN ('contribution.billed', 'contribution.received', 'contribution.refunded',
                                                      'contribution.reversed')
                AND json_extract(CAST(body AS TEXT), '$.data.unit') = ? AND json_extract(CAST(body AS TEXT), '$.data.planYear') = ?
                """, arguments: [unit, year])
            let claims = try Int64.fetchAll(db, sql: "SELECT filed_seq FROM claims WHERE member_id = ? AND plan_year = ?", arguments: [member.value, year])
            seqs += claims
            for claim in claims {
                seqs += try Int64.fetchAll(db, sql: """
                    SELECT seq FROM events WHERE kind IN ('claim.reviewed', 'claim.approved', 'claim.rejected', 'claim.paid',
                                                          'claim.approval-revoked', 'claim.payment-returned')
                    AND json_extract(CAST(body AS TEXT), '$.data.claim') = ?
                    """, arguments: [claim])
            }
            let source = StoreNodeSource(reader)
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
                                   lines: lines, laterEvents: later)
        }
    }

    static func summary(_ event: RecordedEvent) -> String {
        let data = event.data
        func money(_ key: String) -> String { Money(fen: data[key]?.integerValue ?? 0).formatted() }
        switch event.kind {
        case MutualAidKinds.memberEnrolled: return "enrolled through unit \(data["unit"]?.stringValue ?? ""), covered since \(data["coverageStart"]?.stringValue ?? "")"
        case MutualAidKinds.memberLeft: return "left on \(data["date"]?.stringValue ?? "")"
        case MutualAidKinds.memberErased: return "personal data erased"
        case MutualAidKinds.memberDetailsUpdated:
            return "personal details updated: " + (data["updated"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ", ")
        case MutualAidKinds.contributionBilled: return "unit billed for \(data["headcount"]?.integerValue ?? 0) members: \(money("unitFen")) + subsidy \(money("subsidyFen"))"
        case MutualAidKinds.contributionReceived: return "unit paid \(money("amountFen"))"
        case MutualAidKinds.contributionRefunded: return "refunded to the unit \(money("amountFen"))"
        case MutualAidKinds.claimFiled:
            let assessment = data["assessment"]
            if let reason = assessment?["rejection"]?["reason"]?.stringValue { return "claim \(event.seq) (\(data["benefit"]?.stringValue ?? "")) filed and rejected: \(reason)" }
            return "claim \(event.seq) (\(data["benefit"]?.stringValue ?? "")) filed, assessed \(Money(fen: assessment?["payoutFen"]?.integerValue ?? 0).formatted())"
        case MutualAidKinds.claimReviewed: return "claim \(data["claim"]?.integerValue ?? 0) reviewed"
        case MutualAidKinds.claimApproved: return "claim \(data["claim"]?.integerValue ?? 0) approved \(money("amountFen"))"
        case MutualAidKinds.claimRejected: return "claim \(data["claim"]?.integerValue ?? 0) rejected: \(data["reason"]?.stringValue ?? "")"
        case MutualAidKinds.claimPaid: return "claim \(data["claim"]?.integerValue ?? 0) paid \(money("amountFen"))"
        case MutualAidKinds.claimApprovalRevoked:
            return "claim \(data["claim"]?.integerValue ?? 0): approval revoked (\(data["reason"]?.stringValue ?? "")); to be decided again"
        case MutualAidKinds.claimPaymentReturned:
            return "claim \(data["claim"]?.integerValue ?? 0): payment of \(money("amountFen")) returned by the bank (\(data["reason"]?.stringValue ?? "")); to be paid again"
        case MutualAidKinds.contributionReversed:
            return "the unit's \(data["reversedKind"]?.stringValue ?? "contribution") at seq \(data["reverses"]?.integerValue ?? 0) reversed: \(data["reason"]?.stringValue ?? "")"
        default: return event.kind.name
        }
    }

    public var json: JSONValue {
        ["type": .string(MemberStatement.type), "ledger": .string(ledgerID), "member": .string(member), "year": .integer(Int64(year)),
         "checkpoint": checkpoint.json, "laterEvents": .integer(Int64(laterEvents)),
         "lines": .array(lines.map { line in
             ["seq": .integer(line.seq), "kind": .string(line.kind), "summary": .string(line.summary),
              "body": .string(String(decoding: line.body, as: UTF8.self)), "leafHash": .string(MerkleHashing.leafHash(line.body).hex),
              "proof": .array(line.proof.map { .string($0.hex) })]
         })]
    }

    /// Checks a statement offline: every line's bytes hash to a leaf whose proof reaches the
    /// checkpoint's root, every line names this member or their unit's year, and (with a
    /// key) the checkpoint's signature. Returns the problems found; empty means valid.
    public static func check(_ json: JSONValue, administrator: PublicKey?) throws -> (problems: [String], lines: Int, checkpoint: Checkpoint) {
        guard json["type"]?.stringValue == type, let member = json["member"]?.stringValue, let lines = json["lines"]?.arrayValue,
              let checkpointJSON = json["checkpoint"] else {
            throw LedgerInputError(field: "statement", value: "", reason: "not a Huzhu member statement")
        }
        let checkpoint = try Checkpoint(json: checkpointJSON)
        var problems: [String] = []
        if let administrator, !checkpoint.isSigned(by: administrator) {
            problems.append("the checkpoint's signature does not verify with the given administrator key")
        }
        for line in lines {
            let seq = line["seq"]?.integerValue ?? 0
            guard let text = line["body"]?.stringValue, let path = line["proof"]?.arrayValue else {
                problems.append("line for seq \(seq) lacks its body or proof")
                continue
            }
            let body = Array(text.utf8)
            let proof = try ProofJSON.hashes(path)
            if !MerkleProofVerifier.verifyInclusion(leafHash: MerkleHashing.leafHash(body), index: seq - 1, size: checkpoint.treeSize,
                                                    proof: proof, root: checkpoint.rootHash) {
                problems.append("seq \(seq): the event is not in the tree of the checkpoint (its bytes or proof were altered)")
                continue
            }
            guard let event = try? RecordedEvent(body: body, signature: []), event.seq == seq, event.ledgerID == checkpoint.ledgerID else {
                problems.append("seq \(seq): the bytes are not this ledger's event \(seq)")
                continue
            }
            if event.kind.name.hasPrefix("member."), event.data["member"]?.stringValue != member {
                problems.append("seq \(seq): the event is about another member")
            }
        }
        return (problems, lines.count, checkpoint)
    }
}
