import ArgumentParser
import Foundation
import Ledger
import Reports

/// `huzhu export …`: the books as journals other accounting tools read.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the books as a beancount or hledger journal.",
        discussion: """
            Every event with postings becomes a transaction (reversals included), tagged with its seq \
            and hash. Accounts are named Root:<code>:<sub-code>, e.g. Assets:102:10201, with the Chinese \
            name as metadata (docs/EXPORTS.md). The export checks that its sums equal the balances the \
            reports use, account by account, before it is kept.

            Examples:
              huzhu export beancount --out books.beancount && bean-check books.beancount
              huzhu export hledger --out books.journal && hledger -f books.journal bal
            """,
        subcommands: [BeancountExportCommand.self, HledgerExportCommand.self]
    )
}

/// Where an export goes.
struct ExportOptions: ParsableArguments {
    @OptionGroup var ledger: LedgerOptions

    @Option(help: ArgumentHelp("Write the journal to this file (default: standard output); it must not exist unless --force.", valueName: "path"))
    var out: String?

    @Flag(help: "Replace --out if it exists.")
    var force = false

    func run(_ format: JournalFormat) throws {
        let opened = try ledger.openLedger()
        let summary: JournalExport.Summary
        if let out {
            summary = try JournalExport.write(opened, format: format, to: OutputFile(path: out, overwrite: force))
        } else {
            var output = BufferedOutput(handle: .standardOutput)
            summary = try JournalExport.write(opened, format: format, to: &output)
            try output.finish()
        }
        let span = summary.firstDate.map { first in " dated \(first.text) to \(summary.lastDate?.text ?? first.text)" } ?? ""
        note("exported \(summary.entries) entries (\(summary.reversals) reversals)\(span) and \(summary.accounts) accounts"
             + (out.map { " to \($0)" } ?? ""))
    }
}

struct BeancountExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "beancount",
        abstract: "Write the books as a beancount journal, with a balance assertion per account.",
        discussion: """
            The balance assertions hold Huzhu's balances, so `bean-check` proves that beancount's sums \
            of the exported postings equal Huzhu's trial balance.

            Examples:
              huzhu export beancount --out books.beancount
              bean-check books.beancount
            """
    )

    @OptionGroup var options: ExportOptions

    func run() throws { try options.run(.beancount) }
}

struct HledgerExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hledger",
        abstract: "Write the books as an hledger journal.",
        discussion: """
            Examples:
              huzhu export hledger --out books.journal
              hledger -f books.journal bal --tree --no-elide
            """
    )

    @OptionGroup var options: ExportOptions

    func run() throws { try options.run(.hledger) }
}
