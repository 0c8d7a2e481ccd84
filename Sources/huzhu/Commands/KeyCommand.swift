import ArgumentParser
import Foundation
import Ledger
import Reports

extension Role: ExpressibleByArgument {}

struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Create, register, revoke and list signing keys.",
        subcommands: [New.self, Register.self, Revoke.self, List.self]
    )

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new Ed25519 private key file (mode 0600) and print its public key and id.",
            discussion: """
                Examples:
                  huzhu key new --out clerk-li.key
                  huzhu key new --out approver.key --force
                """
        )

        @Option(help: "Where to write the private key.")
        var out: String

        @Flag(help: "Replace an existing file.")
        var force = false

        func run() throws {
            let key = SigningKey()
            try key.write(to: out, overwrite: force)
            print("key id: \(key.id)")
            print("public key: \(key.publicKey.hex)")
            note("wrote \(out); register it with: huzhu key register --public-key \(key.publicKey.hex) --roles clerk --holder NAME")
        }
    }

    struct Register: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a public key with roles (signed by an administrator).",
            discussion: """
                Roles: admin, clerk, approver, auditor (comma-separated).

                Examples:
                  huzhu key register --key admin.key --public-key 3b6a27bc…(64 hex) \\
                      --roles clerk --holder "经办员 李明"
                  huzhu key register --key admin.key --key-file approver.key --roles approver \\
                      --holder "审批 张华"
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions

        @Option(help: "The public key to register, as 64 hex digits.")
        var publicKey: String?

        @Option(help: "Read the public key from this private key file instead.")
        var keyFile: String?

        @Option(help: "Comma-separated roles: admin, clerk, approver, auditor.")
        var roles: String

        @Option(help: "Who holds the key (a staff member's name or post).")
        var holder: String

        func validate() throws {
            if (publicKey == nil) == (keyFile == nil) { throw ValidationError("pass exactly one of --public-key and --key-file") }
        }

        func run() throws {
            let key: PublicKey
            if let publicKey { key = try PublicKey(hex: publicKey) } else { key = try SigningKey.load(from: keyFile!).publicKey }
            let roleList = try Role.parseList(roles)
            let seq = try ledger.openLedger().registerKey(key, roles: roleList, holder: holder, signer: signer.loadKey())
            print("registered key \(key.id) with roles \(roleList.map(\.rawValue).joined(separator: ",")) at seq \(seq)")
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a key: it can sign nothing after this event.",
            discussion: """
                Example:
                  huzhu key revoke 9f86d081884c7d65 --reason "staff left" --key admin.key
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions

        @Argument(help: "The key id (16 hex digits).")
        var keyID: String

        @Option(help: "Why the key is revoked.")
        var reason: String

        func run() throws {
            let seq = try ledger.openLedger().revokeKey(try KeyID(keyID), reason: reason, signer: signer.loadKey())
            print("revoked key \(keyID) at seq \(seq)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List registered keys with their roles and validity.",
            discussion: """
                --public-keys prints only the public keys (hex), one per line: what `huzhu proof check` \
                and `huzhu verify --bundle` take to check checkpoints' signatures.

                Examples:
                  huzhu key list --format json
                  huzhu key list --role admin --public-keys
                """
        )

        @OptionGroup var ledger: LedgerOptions

        @Option(help: "text or json.")
        var format: OutputFormat = .text

        @Option(help: "Only keys holding this role (admin, clerk, approver, auditor).")
        var role: Role?

        @Flag(help: "Print only the public keys, one per line.")
        var publicKeys = false

        func run() throws {
            let keys = try ledger.openLedger().read { try $0.keys() }.filter { key in role.map(key.roles.contains) ?? true }
            if publicKeys {
                for key in keys { print(key.publicKey.hex) }
                return
            }
            switch format {
            case .json:
                try printJSON(.array(keys.map { key in
                    ["keyId": .string(key.id.value), "publicKey": .string(key.publicKey.hex),
                     "roles": .array(key.roles.sorted().map { .string($0.rawValue) }), "holder": .string(key.holder),
                     "registeredSeq": .integer(key.registeredSeq), "revokedSeq": key.revokedSeq.map { .integer($0) } ?? .null]
                }))
            case .text:
                var table = TextTable(headers: ["key id", "roles", "holder", "registered", "revoked"])
                for key in keys {
                    table.add([key.id.value, key.roles.sorted().map(\.rawValue).joined(separator: ","), key.holder,
                               "seq \(key.registeredSeq)", key.revokedSeq.map { "seq \($0)" } ?? "-"])
                }
                print(table.render())
            }
        }
    }
}
