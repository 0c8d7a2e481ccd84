import ArgumentParser
import Ledger
import Reports

struct BalanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "balance",
        abstract: "Show each account's debits, credits and balance at a date.",
        discussion: """
            Parent accounts show the sum of their sub-accounts. Balances are on the account's normal \
            side (assets and expenditure: debit; the rest: credit).

            Examples:
              huzhu balance
              huzhu balance --date 2026-10-31 --account 102
              huzhu balance --format json
            """
    )

    @OptionGroup var ledger: LedgerOptions

    @Option(help: "Balances as at the end of this day (default: everything recorded).")
    var date: String?

    @Option(help: "Only this account and its sub-accounts.")
    var account: String?

    @Flag(help: "Also list accounts with no movements.")
    var all = false

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let through = try date.map(LedgerDate.init)
        let filter = try account.map(AccountCode.init)
        let (accounts, totals) = try ledger.openLedger().read { reader in
            (try reader.accounts(), try reader.totals(from: nil, through: through))
        }
        let balances = try AccountBalances(accounts: accounts, leafTotals: totals)
        var table = TextTable(headers: ["code", "name", "debit", "credit", "balance"], alignments: [.left, .left, .right, .right, .right])
        var rows: [JSONValue] = []
        for line in balances.lines where filter.map({ line.account.code.value.hasPrefix($0.value) }) ?? true {
            if !all && line.totals.debit == .zero && line.totals.credit == .zero { continue }
            let indent = String(repeating: "  ", count: line.account.code.level - 1)
            table.add([line.account.code.value, indent + line.account.name, line.totals.debit.formatted(),
                       line.totals.credit.formatted(), line.balance.formatted()])
            rows.append(["code": .string(line.account.code.value), "name": .string(line.account.name),
                         "debitFen": .integer(line.totals.debit.fen), "creditFen": .integer(line.totals.credit.fen),
                         "balanceFen": .integer(line.balance.fen), "normalSide": .string(line.account.type.normalSide.rawValue)])
        }
        switch format {
        case .json:
            try printJSON(["asOf": through.map { .string($0.text) } ?? .null, "accounts": .array(rows),
                           "totalDebitFen": .integer(balances.totalDebit.fen), "totalCreditFen": .integer(balances.totalCredit.fen)])
        case .text:
            print(table.render())
            print("total debits \(balances.totalDebit.formatted()), total credits \(balances.totalCredit.formatted())"
                  + (balances.totalDebit == balances.totalCredit ? " (balanced)" : " (NOT BALANCED)"))
        }
    }
}
