import Foundation
import LedgerPostgres
import Testing

/// Runs the real `huzhu` binary, built next to this test bundle.
struct CLI {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The `huzhu` executable in the build folder that holds the running test binary.
    static let executable: String = {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // On Linux the test runner is .build/<triple>/debug/HuzhuPackageTests.xctest.
        while !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("huzhu").path),
              directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("huzhu").path
    }()

    let directory: String
    var environment: [String: String] = [:]
    /// A program that runs `huzhu` for the test (`setpriv` to run it as another user), with
    /// its arguments; empty runs it directly.
    var launcher: [String] = []

    /// Runs `huzhu ARGS` in `directory` and waits for it.
    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil) throws -> Result {
        let process = start(arguments)
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        if let stdin {
            let input = Pipe()
            process.standardInput = input
            try process.run()
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
        // Read both pipes before waiting, so a large output cannot block the child.
        let stdoutData = output.fileHandleForReading.readDataToEndOfFile()
        let stderrData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                      stderr: String(decoding: stderrData, as: UTF8.self))
    }

    /// A configured process for `huzhu ARGS`, not yet started.
    func start(_ arguments: [String]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launcher.first ?? CLI.executable)
        process.arguments = launcher.isEmpty ? arguments : Array(launcher.dropFirst()) + [CLI.executable] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "HUZHU_DB")
        env.removeValue(forKey: "HUZHU_KEY")
        env.merge(environment) { _, new in new }
        process.environment = env
        return process
    }

    /// Runs and requires success, returning stdout.
    @discardableResult
    func ok(_ arguments: [String], sourceLocation: SourceLocationBox = .init()) throws -> String {
        let result = try run(arguments)
        guard result.status == 0 else {
            throw CLIFailure(arguments: arguments, result: result)
        }
        return result.stdout
    }
}

struct SourceLocationBox { init() {} }

struct CLIFailure: Error, CustomStringConvertible {
    let arguments: [String]
    let result: CLI.Result
    var description: String { "huzhu \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)" }
}

/// A temporary folder holding a ledger made through the CLI, with an admin and a clerk key.
final class CLILedger: @unchecked Sendable {
    let directory: String
    let cli: CLI

    /// Where the ledger is kept: a file in the folder, or a fresh database on the PostgreSQL
    /// cluster `scripts/test` starts (`HUZHU_TEST_POSTGRES`).
    enum Store: String, CaseIterable, Sendable {
        case sqlite, postgres
    }

    let location: String

    init(name: String = "测试工会职工医疗互助", store: Store = .sqlite) throws {
        directory = NSTemporaryDirectory() + "huzhu-cli-" + UUID().uuidString
        switch store {
        case .sqlite:
            location = directory + "/huzhu.db"
        case .postgres:
            location = try Self.freshDatabase()
        }
        cli = CLI(directory: directory, environment: ["HUZHU_DB": location])
        // Made once every property is set, so that a failure from here on runs deinit and removes it.
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try cli.ok(["init", "--name", name, "--key", "admin.key"])
        try cli.ok(["key", "new", "--out", "clerk.key"])
        try cli.ok(["key", "register", "--key", "admin.key", "--key-file", "clerk.key", "--roles", "clerk", "--holder", "经办员"])
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// The URL of a new, empty database on the PostgreSQL cluster `scripts/test` starts.
    static func freshDatabase() throws -> String {
        let server = try #require(ProcessInfo.processInfo.environment["HUZHU_TEST_POSTGRES"],
                                  "scripts/test starts a PostgreSQL cluster and sets HUZHU_TEST_POSTGRES; run the tests through it")
        return try PostgresLedgerStore.createDatabase("huzhu_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased(),
                                                      server: server)
    }

    var database: String { directory + "/huzhu.db" }

    /// Starts `/bin/sh -c script` in the folder with `HUZHU_DB` set to the ledger, as a clerk
    /// at a terminal runs commands one after another; the caller waits for it.
    func startShell(_ script: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["HUZHU_DB"] = location
        process.environment = environment
        try process.run()
        return process
    }

    func path(_ name: String) -> String { directory + "/" + name }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
    }

    /// Posts a two-line entry as the clerk and returns its seq.
    @discardableResult
    func post(date: String = "2026-10-08", debit: String = "10201", credit: String = "40801", amount: String = "60.00",
              ref: String? = nil) throws -> Int64 {
        var arguments = ["post", "--key", "clerk.key", "--date", date, "--debit", "\(debit)=\(amount)", "--credit", "\(credit)=\(amount)"]
        if let ref { arguments += ["--ref", ref] }
        let output = try cli.ok(arguments)
        guard let range = output.range(of: #"seq (\d+)"#, options: .regularExpression) else { return -1 }
        return Int64(output[range].dropFirst(4))!
    }
}
