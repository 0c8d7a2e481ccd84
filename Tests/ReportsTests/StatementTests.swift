import Ledger
import Testing
@testable import Reports

@Suite("Balance sheet (资产负债表) and income and expenditure (收入支出表)")
struct StatementTests {
    @Test("assets = liabilities + net assets, with the surplus carried in, at both dates")
    func balanceSheet() throws {
        let books = try ReportTestBooks()
        let sheet = try books.withContext { try BalanceSheet(context: $0) }
        #expect(sheet.totalAssets.opening.fen == 380_000)
        #expect(sheet.totalAssets.closing.fen == 1_374_562)        // 1,314,562 bank + 60,000 receivable
        #expect(sheet.totalLiabilities.closing.fen == 0)
        #expect(sheet.priorSurplus.fen == 380_000)                 // 500,000 − 120,000 in September
        #expect(sheet.currentSurplus.fen == 994_562)               // 1,294,567 − 300,005 in October
        #expect(sheet.totalNetAssets.closing.fen == 1_374_562)
        #expect(sheet.totalLiabilitiesAndNetAssets.opening.fen == 380_000)
        #expect(sheet.checks.filter { !$0.holds }.isEmpty)
        #expect(sheet.assets.first { $0.account.code.value == "11401" }?.closing.fen == 60_000)
    }

    @Test("the balance sheet table ends with the grand total that equals total assets")
    func balanceSheetTable() throws {
        let books = try ReportTestBooks()
        let document = try books.document(BalanceSheetReport())
        let rows = document.content.tables[0].rows
        let total = try #require(rows.last)
        #expect(total.role == .total)
        #expect(total.cells[3] == .money(Money(fen: 1_374_562)))
        #expect(rows.contains { $0.cells[1] == .text("本期结余") && $0.cells[3] == .money(Money(fen: 994_562)) })
        #expect(document.failedChecks.isEmpty)
    }

    @Test("revenue and expenditure for the period and the year to date, to the fen")
    func incomeExpenditure() throws {
        let books = try ReportTestBooks()
        let statement = try books.withContext { try IncomeExpenditure(context: $0) }
        #expect(statement.totalRevenue.period.fen == 1_294_567)     // 1,234,567 + 60,000 + 9,999 − 9,999
        #expect(statement.totalRevenue.yearToDate.fen == 1_794_567)
        #expect(statement.totalExpenditure.period.fen == 300_005)
        #expect(statement.totalExpenditure.yearToDate.fen == 420_005)
        #expect(statement.surplus.period.fen == 994_562)
        #expect(statement.surplus.yearToDate.fen == 1_374_562)
        #expect(statement.checks.filter { !$0.holds }.isEmpty)
        #expect(statement.expenditure.first { $0.account.code.value == "50201" }?.period == .zero)
        #expect(statement.expenditure.first { $0.account.code.value == "50201" }?.yearToDate.fen == 120_000)
    }

    @Test("the expenditure chart draws leaf accounts only, so nothing is counted twice")
    func expenditureChart() throws {
        let books = try ReportTestBooks()
        let document = try books.document(IncomeExpenditureReport())
        let chart = try #require(document.content.charts.first { $0.key == "expenditureByAccount" })
        #expect(chart.bars.map(\.label) == ["50203 重大疾病互助金", "50701 银行手续费"])
        let byMonth = try #require(document.content.charts.first { $0.key == "surplusByMonth" })
        #expect(byMonth.bars.count == 10)
        #expect(byMonth.bars[8].amount.fen == 380_000 && byMonth.bars[9].amount.fen == 994_562)
    }

    @Test("a year's statement covers every month of it")
    func year() throws {
        let books = try ReportTestBooks()
        let statement = try books.withContext(try ReportPeriod(year: 2026)) { try IncomeExpenditure(context: $0) }
        #expect(statement.totalRevenue.period.fen == 1_794_667)     // with November's interest
        #expect(statement.surplus.period == statement.surplus.yearToDate)
    }
}
