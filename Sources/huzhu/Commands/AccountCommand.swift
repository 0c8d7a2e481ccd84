import ArgumentParser
import Ledger
import Reports

extension AccountType: ExpressibleByArgument {}

struct AccountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Open and list accounts of the chart.",
        subcommands: [Open.self, List.self]
    )

    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open an account (signed by an administrator).",
            discussion: """
                A sub-account's code is its parent's plus two digits and takes the parent's type.

                Examples:
                  huzhu account open --code 1020101 --name "工商银行互助金专户" --key admin.key
                  huzhu account open --code 409 --name "捐赠收入" --type revenue \\
                      --key admin.key
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions

        @Option(help: "The account code: 3 digits, plus 2 per sub-level.")
        var code: String

        @Option(help: "The account's name.")
        var name: String

        @Option(help: "asset, liability, netAssets, revenue or expense (first-level accounts only).")
        var type: AccountType?

        func run() throws {
            let accountCode = try AccountCode(code)
            let seq = try ledger.openLedger().openAccount(code: accountCode, name: name, type: type, signer: signer.loadKey())
            print("opened account \(accountCode) \(name) at seq \(seq)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the chart of accounts.",
            discussion: "Example:\n  huzhu account list\n  huzhu account list --format json"
        )

        @OptionGroup var ledger: LedgerOptions

        @Option(help: "text or json.")
        var format: OutputFormat = .text

        func run() throws {
            let accounts = try ledger.openLedger().read { try $0.accounts() }
            switch format {
            case .json:
                try printJSON(.array(accounts.map { account in
                    ["code": .string(account.code.value), "name": .string(account.name), "type": .string(account.type.rawValue),
                     "normalSide": .string(account.type.normalSide.rawValue), "open": .bool(account.isOpen)]
                }))
            case .text:
                var table = TextTable(headers: ["code", "name", "type", "side", "status"])
                for account in accounts {
                    let indent = String(repeating: "  ", count: account.code.level - 1)
                    table.add([account.code.value, indent + account.name, account.type.chineseName,
                               account.type.normalSide.chineseLabel, account.isOpen ? "open" : "closed"])
                }
                print(table.render())
            }
        }
    }
}
