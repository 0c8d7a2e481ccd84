import ArgumentParser
import Foundation
import Ledger
import MutualAid
import MutualAidSQLite

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a ledger: the file, its id, the default chart and the first administrator key.",
        discussion: """
            The administrator key signs the genesis event. If the --key file does not exist, \
            a new key is written there (mode 0600) first.

            Examples:
              huzhu init --name "某市总工会职工医疗互助" --key admin.key
              huzhu init --db books/2026.db --name "Mutual aid 2026" --key admin.key \\
                  --holder "财务部 王芳"
              huzhu init --db postgres://huzhu@db.example:5432/mutualaid \\
                  --name "某市总工会" --key admin.key
            """
    )

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var signer: KeyOptions

    @Option(help: "The ledger's name, as reports print it.")
    var name: String

    @Option(help: "Who holds the administrator key (a name or post).")
    var holder: String = "administrator"

    func validate() throws {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--name must not be empty") }
    }

    func run() throws {
        guard let keyPath = signer.keyPath else { throw ValidationError("pass --key PATH for the administrator key") }
        let admin: SigningKey
        if FileManager.default.fileExists(atPath: keyPath) {
            admin = try SigningKey.load(from: keyPath)
        } else {
            admin = SigningKey()
            try admin.write(to: keyPath)
            note("wrote a new administrator key to \(keyPath) (key id \(admin.id))")
        }
        let created = try ledger.createLedger(name: name, admin: admin, adminHolder: holder)
        let size = try created.read { try $0.size() }
        print("created ledger \(created.info.id) at \(ledger.displayName)")
        print("name: \(created.info.name)")
        print("administrator key: \(admin.id)")
        print("events: \(size) (genesis and the default chart's accounts)")
    }
}
