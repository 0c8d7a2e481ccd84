import Ledger
import Testing
@testable import Reports

@Suite("Trial balance (科目余额表)")
struct TrialBalanceTests {
    @Test("opening, movements and closing per account, to the fen, with parents rolled up")
    func figures() throws {
        let books = try ReportTestBooks()
        let trialBalance = try books.withContext { try TrialBalance(context: $0) }

        let bank = try #require(trialBalance.line("10201"))
        #expect(bank.opening == (try BalanceDirection(totals: AccountTotals(debit: Money(fen: 500_000), credit: Money(fen: 120_000)))))
        #expect(bank.opening.side == .debit && bank.opening.amount.fen == 380_000)
        #expect(bank.movement.debit.fen == 1_244_566)      // 1,234,567 + 9,999
        #expect(bank.movement.credit.fen == 310_004)       // 300,000 + 5 + 9,999 reversed
        #expect(bank.closing.side == .debit && bank.closing.amount.fen == 1_314_562)
        #expect(trialBalance.line("102")?.closing.amount.fen == 1_314_562)

        let revenue = try #require(trialBalance.line("40801"))
        #expect(revenue.opening.side == .credit && revenue.opening.amount.fen == 500_000)
        #expect(revenue.movement.credit.fen == 1_304_566 && revenue.movement.debit.fen == 9_999)
        #expect(revenue.closing.label == "贷" && revenue.closing.amount.fen == 1_794_567)
        #expect(revenue.closingNormal.fen == 1_794_567)

        let payable = try #require(trialBalance.line("22501"))
        #expect(payable.closing.side == nil && payable.closing.label == "平")
        #expect(payable.movement.debit.fen == 300_000 && payable.movement.credit.fen == 300_000)

        #expect(trialBalance.line("502")?.closing.amount.fen == 420_000)   // 50201 + 50203
        #expect(trialBalance.line("50701")?.closing.amount.fen == 5)
        // November's interest lies after the period.
        #expect(trialBalance.line("40802")?.isIdle == true)
    }

    @Test("opening balances, period debits and credits, and closing balances each tie out")
    func tieOut() throws {
        let books = try ReportTestBooks()
        let trialBalance = try books.withContext { try TrialBalance(context: $0) }
        #expect(trialBalance.openingTotals.debit.fen == 500_000 && trialBalance.openingTotals.credit.fen == 500_000)
        #expect(trialBalance.movementTotals.debit.fen == 1_914_570 && trialBalance.movementTotals.credit.fen == 1_914_570)
        #expect(trialBalance.closingTotals.debit.fen == 1_794_567 && trialBalance.closingTotals.credit.fen == 1_794_567)
        #expect(trialBalance.checks.count == 3)
        #expect(trialBalance.checks.filter { !$0.holds }.isEmpty)
    }

    @Test("a damaged projection shows as a failed tie-out, with both sides and the difference")
    func failedTieOut() throws {
        let accounts = [Account(code: try AccountCode("102"), name: "银行存款", type: .asset),
                        Account(code: try AccountCode("408"), name: "其他收入", type: .revenue)]
        let trialBalance = try TrialBalance(period: ReportTestBooks.october, accounts: accounts, openingTotals: [:], movements: [
            try AccountCode("102"): AccountTotals(debit: Money(fen: 1_000)),
            try AccountCode("408"): AccountTotals(credit: Money(fen: 999)),
        ])
        let failed = trialBalance.checks.filter { !$0.holds }
        #expect(failed.count == 2)
        #expect(failed[0].difference.fen == 1)
        #expect(failed[0].resultLabel.contains("不平衡"))
    }

    @Test("the report table lists active accounts at every level, or down to --level")
    func reportTable() throws {
        let books = try ReportTestBooks()
        let document = try books.document(TrialBalanceReport())
        let table = document.content.tables[0]
        let codes = table.rows.compactMap { row -> String? in if case let .text(code) = row.cells[0] { return code } else { return nil } }
        #expect(codes == ["102", "10201", "114", "11401", "225", "22501", "408", "40801", "502", "50201", "50203", "507", "50701"])
        #expect(document.failedChecks.isEmpty)
        let levelOne = try books.document(TrialBalanceReport(levelMax: 1)).content.tables[0]
        #expect(levelOne.rows.count == 6)
        let all = try books.document(TrialBalanceReport(includeIdle: true)).content.tables[0]
        #expect(all.rows.count == 42)
        // The bank chart covers the year so far: January through October.
        let chart = try #require(document.content.charts.first { $0.key == "fundBalanceByMonth" })
        #expect(chart.bars.count == 10)
        #expect(chart.bars[8].amount.fen == 380_000 && chart.bars[9].amount.fen == 1_314_562)
        #expect(chart.bars[0].amount.fen == 0)
    }
}
