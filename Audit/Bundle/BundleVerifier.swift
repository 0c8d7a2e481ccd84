import Foundation
import Ledger

/// Checks an auditor's bundle with no database and no private key: the same chain rules
/// and event checks as `huzhu audit` (one streaming pass, signatures on every core), then
/// everything derivable (keys, checkpoints, counts, root) against what the bundle states.
///
/// Checks that need the ledger's tables (the replay comparison, consistency proofs from
/// stored nodes) have nothing to compare here: every checkpoint's root is recomputed from
/// the events instead, which is the stronger test.
public struct BundleVerifier {
    public let directory: String
    public let policy: RolePolicy
    /// Domain checks that can run from events alone.
    public let domainChecks: [any AuditCheck]
    /// The typed values of the kinds the ledger records (`events.format`).
    public let eventValues: EventValueCatalog

    static let check = "bundle"

    /// Checkpoints from outside the bundle that it must agree with (`OutsideCheckpoints`).
    public let outside: OutsideCheckpoints

    public init(directory: String, policy: RolePolicy, domainChecks: [any AuditCheck] = [], eventValues: EventValueCatalog = .ledgerCore,
                outside: [OutsideCheckpoints.Evidence] = []) {
        self.directory = directory
        self.policy = policy
        self.domainChecks = domainChecks
        self.eventValues = eventValues
        self.outside = OutsideCheckpoints(outside)
    }

    /// The checks that run on a bundle: the audit's own (`Auditor.ledgerChecks`), but for the
    /// consistency proofs between stored nodes, which a bundle does not hold (every
    /// checkpoint's root is recomputed from the events instead).
    public static func eventChecks() -> [any AuditCheck] {
        Auditor.ledgerChecks().filter { !($0 is CheckpointConsistencyCheck) }
    }

    func path(_ name: String) -> String { directory + "/" + name }

    public func verify() throws -> AuditReport {
        let started = Date()
        let (manifest, manifestBytes) = try readManifest()
        guard manifest["ledger"]?.stringValue != nil, let claimedSize = manifest["events"]?.integerValue, claimedSize >= 0 else {
            throw BundleError(file: BundleLayout.manifest, reason: "lacks ledger or events")
        }
        // The ledger is event 1's: the manifest is not signed, and a manifest naming another
        // ledger is the manifest's fault (BundleContentsCheck), not every event's.
        var firstLine = try LineReader(path: path(BundleLayout.events))
        let firstEvent = try firstLine.next()?.line
        let ledgerID = firstEvent.flatMap { try? RecordedEvent(body: $0, signature: []) }?.ledgerID ?? manifest["ledger"]!.stringValue!
        var findings: [Finding] = []
        let checkpoints = try readCheckpoints(into: &findings)
        var pass = AuditPass(verification: LogVerificationPass(ledgerID: ledgerID, policy: policy, checkpoints: checkpoints),
                             checks: BundleVerifier.eventChecks() + [PlanFilesCheck(bundle: directory)] + domainChecks,
                             eventValues: eventValues)
        try pass.begin(AuditContext(reader: nil, ledgerID: ledgerID, firstSeq: 1, prefix: nil, lastSeq: 0,
                                    root: MerkleHashing.emptyRoot, chainIntact: true))
        try stream(into: &pass, findings: &findings)
        let intact = !pass.verification.chainBroken
        let verified = try pass.finish(claimedSize: claimedSize) { report in
            AuditContext(reader: nil, ledgerID: ledgerID, firstSeq: 1, prefix: nil, lastSeq: report.eventCount,
                         root: report.rootHash, chainIntact: intact)
        }
        if intact && verified.eventCount == claimedSize {
            if manifest["rootHash"]?.stringValue != verified.rootHash.hex {
                findings.append(Finding(.error, check: BundleVerifier.check, seqs: [claimedSize], """
                    the manifest states root \(manifest["rootHash"]?.stringValue ?? "none"), but the events give \(verified.rootHash.hex)
                    """))
            }
            try compareKeys(derived: pass.verification.keys, manifest: manifest, into: &findings)
            findings += BundleContentsCheck(directory: directory).checkpointCounts(manifest: manifest, checkpoints: checkpoints)
        }
        findings += BundleContentsCheck(directory: directory).findings(manifestBytes: manifestBytes, manifest: manifest, firstEvent: firstEvent)
        findings += try outside.findings(ledgerID: ledgerID, keys: pass.verification.keys) { visit in
            var events = try LineReader(path: path(BundleLayout.events))
            while let (body, _) = try events.next() { visit(MerkleHashing.leafHash(body)) }
        }
        let restsOn = checkpoints.last { $0.checkpoint.treeSize <= verified.eventCount && $0.seq <= verified.eventCount }
        return AuditReport(ledgerID: ledgerID, scope: .bundle(path: directory), firstSeq: 1, treeSize: verified.eventCount,
                           rootHash: verified.rootHash, checkpoint: restsOn, checks: pass.checkNames + [BundleVerifier.check],
                           findings: findings + pass.findings, signaturesVerified: verified.signaturesVerified,
                           checkpointsVerified: verified.checkpointsVerified, seconds: Date().timeIntervalSince(started))
    }

    func readManifest() throws -> (JSONValue, Data) {
        guard let data = FileManager.default.contents(atPath: path(BundleLayout.manifest)) else {
            throw BundleError(file: BundleLayout.manifest, reason: "is missing: \(directory) is not an auditor's bundle")
        }
        guard let value = try? JSONParser.parse(data), value["type"]?.stringValue == BundleLayout.type else {
            throw BundleError(file: BundleLayout.manifest, reason: "is not a \(BundleLayout.type) manifest")
        }
        return (value, data)
    }

    func readCheckpoints(into findings: inout [Finding]) throws -> [RecordedCheckpoint] {
        var reader = try LineReader(path: path(BundleLayout.checkpoints))
        var result: [RecordedCheckpoint] = []
        var number = 0
        while let (line, _) = try reader.next() {
            number += 1
            guard let value = try? JSONParser.parse(line), let seq = value["seq"]?.integerValue,
                  let json = value["checkpoint"], let checkpoint = try? Checkpoint(json: json) else {
                findings.append(Finding(.error, check: BundleVerifier.check, "\(BundleLayout.checkpoints) line \(number) is not a recorded checkpoint"))
                continue
            }
            result.append(RecordedCheckpoint(checkpoint: checkpoint, seq: seq))
        }
        return result
    }

    /// Feeds events.jsonl and signatures.tsv, line i of each being event seq i.
    func stream(into pass: inout AuditPass, findings: inout [Finding]) throws {
        var events = try LineReader(path: path(BundleLayout.events))
        var signatures = try LineReader(path: path(BundleLayout.signatures))
        var seq: Int64 = 0
        while true {
            let body = try events.next()
            let seal = try signatures.next()
            seq += 1
            guard let body, let seal else {
                if body != nil || seal != nil {
                    let (longer, shorter) = body != nil ? (BundleLayout.events, BundleLayout.signatures) : (BundleLayout.signatures, BundleLayout.events)
                    findings.append(Finding(.error, check: BundleVerifier.check, seqs: [seq],
                                            "\(longer) has a line for seq \(seq), but \(shorter) ends before it"))
                }
                return
            }
            if !body.terminated || !seal.terminated {
                findings.append(Finding(.error, check: BundleVerifier.check, seqs: [seq], "the last line of seq \(seq) lacks its newline"))
            }
            guard let stored = parseSeal(seal.line, body: body.line, seq: seq) else {
                findings.append(Finding(.error, check: BundleVerifier.check, seqs: [seq], """
                    \(BundleLayout.signatures) line \(seq) is not "seq TAB hash TAB signature" for seq \(seq)
                    """))
                return
            }
            guard pass.feed(stored) else { return }
        }
    }

    func parseSeal(_ line: [UInt8], body: [UInt8], seq: Int64) -> StoredEvent? {
        let fields = line.split(separator: 0x09, omittingEmptySubsequences: false)
        guard fields.count == 3, Int64(String(decoding: fields[0], as: UTF8.self)) == seq,
              let hash = try? SHA256Hash(hex: String(decoding: fields[1], as: UTF8.self)),
              let signature = Hex.decode(String(decoding: fields[2], as: UTF8.self)), signature.count == 64
        else { return nil }
        return StoredEvent(seq: seq, hash: hash, body: body, signature: signature)
    }

    func compareKeys(derived: [KeyID: RegisteredKey], manifest: JSONValue, into findings: inout [Finding]) throws {
        guard let data = FileManager.default.contents(atPath: path(BundleLayout.keys)),
              let listed = try? JSONParser.parse(data).arrayValue else {
            findings.append(Finding(.error, check: BundleVerifier.check, "\(BundleLayout.keys) is missing or not a JSON array"))
            return
        }
        if let finding = BundleContentsCheck(directory: directory).keyCount(listed.count, manifest: manifest) { findings.append(finding) }
        let expected = Set(derived.values.map(BundleExporter.json))
        let stated = Set(listed)
        for key in expected.subtracting(stated) {
            findings.append(Finding(.error, check: BundleVerifier.check, seqs: [key["registeredSeq"]?.integerValue ?? 0],
                                    "\(BundleLayout.keys) lacks or misstates key \(key["keyId"]?.stringValue ?? "?") as the events register it"))
        }
        for key in stated.subtracting(expected) {
            findings.append(Finding(.error, check: BundleVerifier.check, seqs: [key["registeredSeq"]?.integerValue ?? 0],
                                    "\(BundleLayout.keys) lists key \(key["keyId"]?.stringValue ?? "?") differently from the events, or one they never register"))
        }
    }
}
