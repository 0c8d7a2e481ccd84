import Foundation
import Ledger
import Testing
@testable import Reports

/// A text stream into a string, for exports in memory.
struct StringOutput: TextOutputStream {
    var text = ""
    mutating func write(_ string: String) { text += string }
}

@Suite("Journal exports: beancount and hledger")
struct JournalExportTests {
    @Test("account names: the root for the type, then the code of each level")
    func names() throws {
        #expect(JournalAccountName.name(of: try AccountCode("10201"), type: .asset) == "Assets:102:10201")
        #expect(JournalAccountName.name(of: try AccountCode("32101"), type: .netAssets) == "Equity:321:32101")
        #expect(JournalAccountName.name(of: try AccountCode("408"), type: .revenue) == "Income:408")
        #expect(JournalAccountName.name(of: try AccountCode("5020101"), type: .expense) == "Expenses:502:50201:5020101")
        #expect(JournalAccountName.name(of: try AccountCode("22501"), type: .liability) == "Liabilities:225:22501")
    }

    @Test("beancount: every posting entry and reversal, opens with names, and a balance assertion per account")
    func beancount() throws {
        let books = try ReportTestBooks()
        var output = StringOutput()
        let summary = try JournalExport.write(books.ledger, format: .beancount, to: &output)
        #expect(summary.entries == 10 && summary.reversals == 1)
        let text = output.text
        #expect(text.contains("2026-10-23 * \"冲销 seq \(books.reversedSeq)：金额录错\""))
        #expect(text.contains("  reverses: \(books.reversedSeq)\n"))
        #expect(text.contains("  Assets:102:10201  12345.67 CNY\n  Income:408:40801  -12345.67 CNY\n"))
        #expect(text.contains("2026-09-10 open Assets:102:10201 CNY\n  name: \"互助金专户\""))
        #expect(text.contains("2026-11-03 balance Assets:102:10201 13146.62 CNY"))
        #expect(text.contains("2026-11-03 balance Assets:102 13146.62 CNY"))
        #expect(text.contains("2026-11-03 balance Income:408 -17946.67 CNY"))
        #expect(text.contains("2026-11-03 balance Liabilities:225:22501 0.00 CNY"))
    }

    @Test("hledger: account directives with names and types, tagged transactions, safe descriptions")
    func hledger() throws {
        let books = try ReportTestBooks()
        var output = StringOutput()
        _ = try JournalExport.write(books.ledger, format: .hledger, to: &output)
        let text = output.text
        #expect(text.contains("account Assets:102:10201  ; name: 互助金专户, code: 10201, type: A\n"))
        #expect(text.contains("account Equity:321:32101  ; name: 职工医疗互助基金, code: 32101, type: E\n"))
        #expect(text.contains("2026-10-21 * 银行手续费  ; seq:"))
        #expect(text.contains("    Expenses:507:50701  0.05 CNY\n    Assets:102:10201  -0.05 CNY\n"))
        #expect(HledgerSyntax().tagValue("a,b;c") == "a，b；c")
    }

    @Test("an export to a file is written whole or not at all")
    func file() throws {
        let books = try ReportTestBooks()
        let path = books.directory.file("books.journal")
        let summary = try JournalExport.write(books.ledger, format: .hledger, to: OutputFile(path: path, overwrite: false))
        #expect(summary.entries == 10)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.contains("Income:408:40802  -1.00 CNY"))
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600, "the owner's only")
        #expect(throws: LedgerInputError.self, "an existing file is kept unless overwriting was asked for") {
            try OutputFile(path: path, overwrite: false)
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: books.directory.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test("a log and projection that disagree stop the export with the account named")
    func mismatch() throws {
        let code = try AccountCode("10201")
        #expect(throws: ExportError.projectionMismatch(account: "10201", logFen: 100, projectionFen: 99)) {
            try JournalExport.compare(log: [code: AccountTotals(debit: Money(fen: 100))],
                                      projection: [code: AccountTotals(debit: Money(fen: 99))])
        }
    }
}
