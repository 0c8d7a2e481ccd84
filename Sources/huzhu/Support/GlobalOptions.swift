import ArgumentParser
import Foundation
import Ledger
import MutualAid

/// Where the ledger is and who signs: `--db` and `--key`, with their environment defaults.
struct LedgerOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("""
        The ledger: a file, or a PostgreSQL database as postgres://user@host:port/db (password from the URL, \
        $PGPASSWORD or ~/.pgpass). Default: $HUZHU_DB, else huzhu.db.
        """, valueName: "path|url"))
    var db: String?

    /// The ledger's location as given: a file path or a PostgreSQL URL.
    var databasePath: String { db ?? ProcessInfo.processInfo.environment["HUZHU_DB"] ?? "huzhu.db" }

    var location: LedgerLocation { LedgerLocation(databasePath) }
    var isPostgres: Bool { location.isPostgres }
    var displayName: String { location.displayName }
    var defaultAuditStatePath: String { location.defaultAuditStatePath }

    /// Opens the ledger with every domain's rules and projections, in whichever store holds it.
    func openLedger() throws -> Ledger { try location.open() }

    /// Creates a ledger at the location, in the store its form names.
    func createLedger(name: String, admin: SigningKey, adminHolder: String) throws -> Ledger {
        try location.create(name: name, admin: admin, adminHolder: adminHolder)
    }
}

struct KeyOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The signer's private key file (default: $HUZHU_KEY).", valueName: "path"))
    var key: String?

    var keyPath: String? { key ?? ProcessInfo.processInfo.environment["HUZHU_KEY"] }

    func loadKey() throws -> SigningKey {
        guard let path = keyPath else {
            throw ValidationError("this command is signed: pass --key PATH or set HUZHU_KEY")
        }
        return try SigningKey.load(from: path)
    }
}

/// Output format of listing commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// Output format of the lists a spreadsheet also reads (`claim list`): text, JSON, or CSV
/// (RFC 4180, CRLF, formulas neutralised), each printed row by row.
enum ListFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
    case csv
}

/// Writes a line to standard error: progress and notes, never data.
func note(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Prints a JSON value on one line, canonical (sorted keys), so scripts can diff output.
func printJSON(_ value: JSONValue) throws {
    print(String(decoding: try CanonicalJSON.encode(value), as: UTF8.self))
}

/// An amount option parsed exactly, or an input error naming the option.
func amountOption(_ text: String, _ option: String, positive: Bool = true) throws -> Money {
    do {
        return positive ? try Money(parsingPositive: text) : try Money(parsing: text)
    } catch {
        throw LedgerInputError(field: option, value: text, reason: error.description)
    }
}
