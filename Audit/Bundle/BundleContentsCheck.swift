import Foundation
import Ledger

/// The rules for the bundle's own files, beside the events (docs/BUNDLE.md §1, §2):
///
/// - `manifest.json` is canonical JSON and a line feed, with exactly the documented keys;
///   its `ledger` and `name` are event 1's (the ledger id and `data.name` of
///   `ledger.created`), its `files` the data files in order, its counts (plans, keys,
///   checkpoints) and newest checkpoint those of the files (the root is compared with the
///   events' by `BundleVerifier`, which computes it);
/// - the folder holds nothing but the manifest, the data files and `plans/` (whose files
///   `PlanFilesCheck` matches one by one to `plan.published` events).
///
/// The manifest is not signed, so nothing in it may differ from what the events give: a
/// reader who trusts "name" or "events" from it must be reading what the log says.
struct BundleContentsCheck {
    static let check = BundleVerifier.check

    static let manifestKeys: Set<String> = ["type", "ledger", "name", "events", "rootHash", "checkpoints", "newestCheckpoint",
                                           "keys", "plans", "files", "exportedAt"]

    let directory: String

    func findings(manifestBytes: Data, manifest: JSONValue, firstEvent: [UInt8]?) -> [Finding] {
        var findings: [Finding] = []
        func error(_ text: String, seqs: [Int64] = []) { findings.append(Finding(.error, check: Self.check, seqs: seqs, text)) }

        if let canonical = try? CanonicalJSON.encode(manifest), Data(canonical + [0x0A]) != manifestBytes {
            error("\(BundleLayout.manifest) is not canonical JSON followed by one line feed (FORMAT §2), so it is not what Huzhu wrote")
        }
        let keys = Set(manifest.objectValue?.keys.map { $0 } ?? [])
        if keys != Self.manifestKeys {
            let extra = keys.subtracting(Self.manifestKeys).sorted(), missing = Self.manifestKeys.subtracting(keys).sorted()
            error("\(BundleLayout.manifest) " + [extra.isEmpty ? nil : "has keys a manifest does not: \(extra.joined(separator: ", "))",
                                                 missing.isEmpty ? nil : "lacks \(missing.joined(separator: ", "))"]
                .compactMap { $0 }.joined(separator: " and "))
        }
        if let firstEvent, let event = try? RecordedEvent(body: firstEvent, signature: []), event.kind == .ledgerCreated {
            if manifest["ledger"]?.stringValue != event.ledgerID {
                error("the manifest names ledger \(manifest["ledger"]?.stringValue ?? "none"), but event 1 creates \(event.ledgerID)")
            }
            let name = (try? LedgerCreatedEvent(event: event))?.name ?? ""
            if manifest["name"]?.stringValue != name {
                error("the manifest names the ledger \"\(manifest["name"]?.stringValue ?? "")\", but event 1 names it \"\(name)\"")
            }
        }
        if manifest["files"] != .array(BundleLayout.dataFiles.map { .string($0) }) {
            error("the manifest's files are not \(BundleLayout.dataFiles.joined(separator: ", ")), in that order")
        }
        if let stamp = manifest["exportedAt"]?.stringValue, (try? EventTime(stamp)) == nil {
            error("the manifest's exportedAt \(stamp) is not a time as FORMAT §3 writes it")
        }
        let planFiles = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + PlanFilesCheck.folder)) ?? []
        if manifest["plans"]?.integerValue != Int64(planFiles.count) {
            error("the manifest counts \(manifest["plans"]?.integerValue ?? -1) plan files, \(PlanFilesCheck.folder)/ holds \(planFiles.count)")
        }
        let allowed = Set([BundleLayout.manifest, PlanFilesCheck.folder] + BundleLayout.dataFiles)
        let present = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in present.sorted() where !allowed.contains(name) {
            error("the bundle holds \(name), which a bundle does not (BUNDLE §1 lists every file); a verifier reads nothing it does not check")
        }
        return findings
    }

    /// The manifest's `checkpoints` and `newestCheckpoint`, against `checkpoints.jsonl`.
    func checkpointCounts(manifest: JSONValue, checkpoints: [RecordedCheckpoint]) -> [Finding] {
        var findings: [Finding] = []
        if manifest["checkpoints"]?.integerValue != Int64(checkpoints.count) {
            findings.append(Finding(.error, check: Self.check, "the manifest counts \(manifest["checkpoints"]?.integerValue ?? -1) checkpoints, \(BundleLayout.checkpoints) holds \(checkpoints.count)"))
        }
        let newest: JSONValue = checkpoints.last.map(BundleExporter.json) ?? .null
        if manifest["newestCheckpoint"] != newest {
            findings.append(Finding(.error, check: Self.check, seqs: checkpoints.last.map { [$0.seq] } ?? [],
                                    "the manifest's newest checkpoint is not the last of \(BundleLayout.checkpoints)"))
        }
        return findings
    }

    /// The count of `keys.json` entries, against the manifest's `keys`.
    func keyCount(_ listed: Int, manifest: JSONValue) -> Finding? {
        guard manifest["keys"]?.integerValue != Int64(listed) else { return nil }
        return Finding(.error, check: Self.check, "the manifest counts \(manifest["keys"]?.integerValue ?? -1) keys, \(BundleLayout.keys) holds \(listed)")
    }
}
