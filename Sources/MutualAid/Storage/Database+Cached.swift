import GRDB

extension Database {
    /// Runs `sql` through SQLite's prepared-statement cache. Projections run a few
    /// statements per event; preparing them anew each time would cost more than running them.
    func run(_ sql: String, _ arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }

    /// One row from a cached statement.
    func row(_ sql: String, _ arguments: StatementArguments = StatementArguments()) throws -> Row? {
        try Row.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }
}

extension Database {
    func run(_ sql: String, arguments: StatementArguments) throws { try run(sql, arguments) }
    func row(_ sql: String, arguments: StatementArguments) throws -> Row? { try row(sql, arguments) }
}
