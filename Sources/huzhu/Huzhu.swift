import ArgumentParser
import Foundation

/// `huzhu`: the command-line tool of a Huzhu ledger. Thin by design: each command
/// parses its options, calls the libraries, and prints.
@main
struct Huzhu: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "huzhu",
        abstract: "A signed, hash-chained double-entry ledger for trade-union medical mutual-aid plans.",
        discussion: """
            Every change is an Ed25519-signed event, chained by SHA-256 into an RFC 6962 Merkle log.

            Common options: --db PATH|postgres://… (or HUZHU_DB, default huzhu.db) and --key PATH (or HUZHU_KEY). \
            Exit codes: 0 ok, 1 a check failed, 2 bad input or usage. Messages go to stderr, data to stdout.

            Start with:
              huzhu demo                       build and audit a sample ledger
              huzhu init --name "某市总工会职工医疗互助" --key admin.key
            """,
        version: "0.1.0",
        subcommands: [
            DemoCommand.self, InitCommand.self, KeyCommand.self, AccountCommand.self, PostCommand.self, EntryCommand.self,
            ReverseCommand.self, LogCommand.self, BalanceCommand.self, VerifyCommand.self,
            CheckpointCommand.self, ProofCommand.self, PlanCommand.self, UnitCommand.self, MemberCommand.self,
            ContributionCommand.self, ClaimCommand.self, ReportCommand.self, ExportCommand.self,
            AuditCommand.self, PeriodCommand.self, DbCommand.self,
        ]
    )

    /// Runs the tool with Huzhu's exit codes: 2 for bad input or usage (swift-argument-parser
    /// would use 64), 1 for a failed check or an unexpected failure.
    static func main() {
        // Everything huzhu creates (the ledger and its journal, keys, bundles, payment files,
        // reports) may hold members' personal data or the fund's books: the owner's only.
        umask(0o077)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CheckFailed {
            exitWith(1, message: failure.message)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch let error as CleanExit {
            _ = error
            exit(withError: error)
        } catch {
            let parserCode = exitCode(for: error)
            if parserCode == .success { exit(withError: error) }
            if isInputError(error) || parserCode == .validationFailure {
                exitWith(2, message: message(for: error))
            }
            exitWith(1, message: message(for: error))
        }
    }

    static func message(for error: any Error) -> String {
        if let sentence = FileErrorMessage.sentence(for: error) { return sentence }
        var text = fullMessage(for: error)
        if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
        return text.isEmpty ? "\(error)" : text
    }

    static func exitWith(_ code: Int32, message: String) -> Never {
        if !message.isEmpty {
            FileHandle.standardError.write(Data(("huzhu: " + message + "\n").utf8))
        }
        Foundation.exit(code)
    }
}

/// A check ran and failed (verify, audit): exit 1 with `message`.
struct CheckFailed: Error {
    let message: String
}
