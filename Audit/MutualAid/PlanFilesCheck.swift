import Foundation
import Ledger
import MutualAid

/// In an auditor's bundle, `plans/` holds each published plan file as people edited it.
/// The file is a convenience; what binds it is its SHA-256 in the signed `plan.published`
/// event. This check recomputes every file's digest against its event, and reports a
/// published plan whose file is missing.
public struct PlanFilesCheck: AuditCheck {
    public let name = "bundle.plans"
    let directory: String
    /// The file names the events publish, to tell a file no event names.
    var published: Set<String> = []

    /// The folder inside a bundle, and the file name a plan gets there.
    public static let folder = "plans"
    public static func fileName(seq: Int64, file: String) -> String { "\(seq)-\(file)" }

    public init(bundle directory: String) { self.directory = directory }

    public mutating func inspect(_ audited: AuditedEvent, into findings: inout [Finding]) {
        let event = audited.event
        guard event.kind == MutualAidKinds.planPublished, let plan = try? PlanPublishedEvent(event: event) else { return }
        let expected = plan.sourceSHA256
        let file = PlanFilesCheck.fileName(seq: event.seq, file: plan.file)
        published.insert(file)
        guard let bytes = FileManager.default.contents(atPath: "\(directory)/\(PlanFilesCheck.folder)/\(file)") else {
            findings.append(Finding(.error, check: name, seqs: [event.seq], "the plan file \(PlanFilesCheck.folder)/\(file) is missing"))
            return
        }
        if SHA256Hash.of(bytes).hex != expected {
            findings.append(Finding(.error, check: name, seqs: [event.seq], "\(PlanFilesCheck.folder)/\(file) is not the published text (its SHA-256 differs)"))
        }
    }

    /// A file in `plans/` that no `plan.published` event names is text passed off as a plan.
    public mutating func finish(_ context: AuditContext, into findings: inout [Finding]) throws {
        let present = (try? FileManager.default.contentsOfDirectory(atPath: "\(directory)/\(PlanFilesCheck.folder)")) ?? []
        for file in present.sorted() where !published.contains(file) {
            findings.append(Finding(.error, check: name, "\(PlanFilesCheck.folder)/\(file) is not the file of any plan.published event"))
        }
    }

    /// Writes every published plan's text into `directory/plans`; returns how many.
    public static func export(from reader: any LedgerStoreReader, to directory: String) throws -> Int {
        let seqs = try reader.seqs(ofKind: MutualAidKinds.planPublished)
        guard !seqs.isEmpty else { return 0 }
        try FileManager.default.createDirectory(atPath: "\(directory)/\(folder)", withIntermediateDirectories: true)
        for seq in seqs {
            guard let stored = try reader.storedEvent(seq: seq) else { continue }
            let published = try PlanPublishedEvent(event: RecordedEvent(body: stored.body, signature: stored.signature))
            try Data(published.source.utf8).write(to: URL(fileURLWithPath: "\(directory)/\(folder)/\(fileName(seq: seq, file: published.file))"))
        }
        return seqs.count
    }
}
