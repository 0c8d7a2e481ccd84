import Foundation

/// A finished child process's wall time and peak memory.
struct ChildRun {
    let seconds: Double
    let peakRSSMegabytes: Double
    let status: Int32
    let output: String
}

/// Runs a command and measures it with wait4, so peak RSS is the child's own.
func runChild(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> ChildRun {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("huzhu-bench-\(UUID().uuidString).out").path
    _ = FileManager.default.createFile(atPath: output, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: output) }
    var env = ProcessInfo.processInfo.environment
    env.merge(environment) { _, new in new }
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        argv.forEach { free($0) }
        envp.forEach { free($0) }
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    defer { posix_spawn_file_actions_destroy(&actions) }
    var pid: pid_t = 0
    let start = Date()
    guard posix_spawn(&pid, executable, &actions, nil, argv, envp) == 0 else {
        throw NSError(domain: "bench", code: 1, userInfo: [NSLocalizedDescriptionKey: "cannot start \(executable)"])
    }
    var status: Int32 = 0
    var usage = rusage()
    wait4(pid, &status, 0, &usage)
    let seconds = Date().timeIntervalSince(start)
    let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    return ChildRun(seconds: seconds, peakRSSMegabytes: Double(usage.ru_maxrss) / 1024, status: (status >> 8) & 0xFF, output: text)
}
