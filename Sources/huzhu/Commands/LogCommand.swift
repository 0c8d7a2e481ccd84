import ArgumentParser
import Ledger
import Reports

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "List events, oldest first, with filters.",
        discussion: """
            JSON output is one event per line: seq, kind, time, actor, data, hash and signature.

            Examples:
              huzhu log --limit 20
              huzhu log --kind entry.posted --account 10201 --from-date 2026-10-01 \\
                  --to-date 2026-10-31
              huzhu log --from-seq 100 --to-seq 200 --format json
            """
    )

    @OptionGroup var ledger: LedgerOptions

    @Option(help: "Only events of this kind (e.g. entry.posted, key.registered).")
    var kind: String?

    @Option(help: "Only events posting to this account or its sub-accounts.")
    var account: String?

    @Option(help: "First seq to show.")
    var fromSeq: Int64 = 1

    @Option(help: "Last seq to show.")
    var toSeq: Int64?

    @Option(help: "Only events dated on or after this day.")
    var fromDate: String?

    @Option(help: "Only events dated on or before this day.")
    var toDate: String?

    @Option(help: "Show at most this many events.")
    var limit: Int?

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let accountCode = try account.map(AccountCode.init)
        let from = try fromDate.map(LedgerDate.init)
        let to = try toDate.map(LedgerDate.init)
        var shown = 0
        var table = TextTable(headers: ["seq", "time", "kind", "actor", "date", "summary"])
        try ledger.openLedger().read { reader in
            try reader.forEachStoredEvent(from: fromSeq, through: toSeq) { stored in
                let event = try RecordedEvent(body: stored.body, signature: stored.signature)
                if let kind, event.kind.name != kind { return true }
                if from != nil || to != nil {
                    guard let date = event.date else { return true }
                    if let from, date < from { return true }
                    if let to, date > to { return true }
                }
                let postings = try event.postings()
                if let accountCode, !postings.contains(where: { $0.account.value.hasPrefix(accountCode.value) }) { return true }
                switch format {
                case .json:
                    try printJSON(["seq": .integer(event.seq), "kind": .string(event.kind.name), "time": .string(event.time.text),
                                   "actor": .string(event.actor.value), "data": .object(event.data),
                                   "hash": .string(event.hash.hex), "signature": .string(Hex.encode(event.signature))])
                case .text:
                    table.add(["\(event.seq)", event.time.text, event.kind.name, event.actor.value, event.date?.text ?? "",
                               Self.summary(event, postings)])
                }
                shown += 1
                return limit.map { shown < $0 } ?? true
            }
        }
        if format == .text { print(table.render()) }
    }

    static func summary(_ event: RecordedEvent, _ postings: [Posting]) -> String {
        var parts: [String] = []
        if !postings.isEmpty {
            parts.append(postings.map { "\($0.side.chineseLabel) \($0.account) \($0.amount.formatted())" }.joined(separator: " / "))
        }
        for key in ["memo", "name", "code", "holder", "reason", "reverses", "period"] {
            if let value = event.data[key] {
                switch value {
                case let .string(text) where !text.isEmpty: parts.append(key == "memo" ? text : "\(key)=\(text)")
                case let .integer(number): parts.append("\(key)=\(number)")
                default: break
                }
            }
        }
        return parts.joined(separator: "  ")
    }
}
