import Foundation

/// Runs another program the tests check Huzhu against (bean-check, hledger, python3,
/// chromium), found on PATH, with its output in files and a time limit, so a hung
/// browser fails the test instead of hanging the suite.
enum ExternalTool {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    struct Missing: Error, CustomStringConvertible {
        let tool: String
        var description: String { "\(tool) is not installed; run scripts/setup-test-deps" }
    }

    struct TimedOut: Error, CustomStringConvertible {
        let command: String
        let seconds: Double
        var description: String { "\(command) did not finish within \(Int(seconds)) s" }
    }

    /// The first of `names` found on PATH.
    static func find(_ names: [String]) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in names {
            for directory in path.split(separator: ":") {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    static func run(_ names: [String], _ arguments: [String], in directory: String, timeoutSeconds: Double = 120) throws -> Result {
        guard let executable = find(names) else { throw Missing(tool: names[0]) }
        let outPath = directory + "/.tool-\(UUID().uuidString).out"
        let errPath = directory + "/.tool-\(UUID().uuidString).err"
        guard FileManager.default.createFile(atPath: outPath, contents: nil),
              FileManager.default.createFile(atPath: errPath, contents: nil)
        else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: outPath]) }
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try process.run()
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                process.waitUntilExit()
                throw TimedOut(command: ([executable] + arguments).joined(separator: " "), seconds: timeoutSeconds)
            }
            usleep(50_000)
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }
}
