import Foundation
import Ledger
import PostgresNIO

/// Where a PostgreSQL ledger lives, read from a URL as libpq's users write it:
/// `postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]`.
///
/// The password comes from the URL, else `PGPASSWORD`, else `~/.pgpass` (or `PGPASSFILE`),
/// as libpq looks for it; it is never printed: `description` shows the URL without it.
public struct PostgresConnectionInfo: Sendable, CustomStringConvertible {
    public let host: String
    public let port: Int
    public let user: String
    public let database: String
    let password: String?
    public let sslMode: String

    /// True for `postgres://` and `postgresql://` URLs: what `--db` hands to this store.
    public static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.isPostgresURL(text), let url = URLComponents(string: text), let host = url.host, !host.isEmpty else {
            throw LedgerInputError(field: "database", value: Self.redacted(text),
                                   reason: "is not a PostgreSQL URL like postgres://user@host:5432/database")
        }
        let database = String(url.path.dropFirst())
        guard !database.isEmpty else {
            throw LedgerInputError(field: "database", value: Self.redacted(text), reason: "names no database (postgres://user@host/DATABASE)")
        }
        self.host = host
        port = url.port ?? 5432
        user = url.user ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        self.database = database
        sslMode = url.queryItems?.first { $0.name == "sslmode" }?.value ?? environment["PGSSLMODE"] ?? "prefer"
        guard ["disable", "prefer", "require"].contains(sslMode) else {
            throw LedgerInputError(field: "sslmode", value: sslMode, reason: "must be disable, prefer or require")
        }
        password = url.password?.removingPercentEncoding ?? environment["PGPASSWORD"]
            ?? Self.passwordFile(environment).flatMap { Self.password(inPassFile: $0, host: host, port: url.port ?? 5432, database: database, user: url.user ?? "") }
    }

    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    /// The URL with any password replaced by `***`, for error messages.
    public static func redacted(_ text: String) -> String {
        guard var url = URLComponents(string: text), url.password != nil else { return text }
        url.password = "***"
        return url.string ?? "postgres://***"
    }

    static func passwordFile(_ environment: [String: String]) -> String? {
        if let file = environment["PGPASSFILE"] { return file }
        return environment["HOME"].map { $0 + "/.pgpass" }
    }

    /// The first `host:port:database:user:password` line of a pass file matching the
    /// connection (`*` matches anything), as libpq reads it.
    static func password(inPassFile path: String, host: String, port: Int, database: String, user: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: ":", maxSplits: 4, omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    func configuration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch sslMode {
        case "disable": tls = .disable
        case "require": tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        default: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        return PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: tls)
    }
}
