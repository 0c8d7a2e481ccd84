import Foundation
import Testing

/// Every command's `--help` as a person at an 80-column terminal reads it: discussion
/// paragraphs wrapped by the argument parser (not hard-wrapped in the source and broken
/// again), examples whole on their lines, and the shell completion scripts.
@Suite("huzhu --help at 80 columns")
struct HelpTests {
    static let cli = CLI(directory: NSTemporaryDirectory())

    /// `huzhu PATH --help` rendered for a terminal `columns` wide.
    static func help(_ path: [String], columns: Int) throws -> String {
        var cli = cli
        cli.environment["COLUMNS"] = "\(columns)"
        let result = try cli.run(path + ["--help"])
        #expect(result.status == 0, "\(path): \(result.stderr)")
        return result.stdout
    }

    /// Every command and subcommand, found from the help pages' SUBCOMMANDS lists.
    static func commandPaths() throws -> [[String]] {
        var paths: [[String]] = [], pending: [[String]] = [[]]
        while !pending.isEmpty {
            let path = pending.removeFirst()
            paths.append(path)
            let lines = try help(path, columns: 1000).split(separator: "\n", omittingEmptySubsequences: false)
            guard let start = lines.firstIndex(of: "SUBCOMMANDS:") else { continue }
            for line in lines[(start + 1)...].prefix(while: { !$0.isEmpty }) where line.hasPrefix("  ") && !line.hasPrefix("   ") {
                let name = String(line.dropFirst(2).prefix { $0 != " " })
                if name != "help" { pending.append(path + [name]) }
            }
        }
        return paths
    }

    /// The discussion: the lines between the overview and USAGE.
    static func discussion(_ help: String) -> [Substring] {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
        let start = lines.firstIndex { $0.isEmpty } ?? lines.endIndex
        let end = lines.firstIndex { $0.hasPrefix("USAGE:") } ?? lines.endIndex
        return start < end ? Array(lines[start..<end]) : []
    }

    @Test("every command's help: examples fit 80 columns, paragraphs are wrapped by the parser, no word outruns the line")
    func everyHelpPage() throws {
        let paths = try Self.commandPaths()
        #expect(paths.count > 60, "found \(paths.count) commands")
        #expect(paths.contains(["member", "renew"]) && paths.contains(["claim", "return-payment"]))
        for path in paths {
            let name = (["huzhu"] + path).joined(separator: " ")
            let wide = Self.discussion(try Self.help(path, columns: 1000))
            let narrow = Self.discussion(try Self.help(path, columns: 80))
            // Indented lines are examples and the like, printed as written: each fits.
            for line in wide where line.hasPrefix(" ") {
                // `displayWidth` (ReportsCLITests.swift): CJK characters take two columns.
                #expect(displayWidth(String(line)) <= 80, "\(name): an example line of \(displayWidth(String(line))) columns: \(line)")
            }
            #expect(narrow.filter { $0.hasPrefix(" ") } == wide.filter { $0.hasPrefix(" ") }, "\(name): an example was broken at 80 columns")
            // A paragraph line is as long as the parser's wrapping makes it: the next line's
            // first word would not have fitted (it takes 79 characters and a space). A line
            // ended short means the source broke the paragraph by hand.
            for (line, next) in zip(narrow, narrow.dropFirst()) where !line.isEmpty && !next.isEmpty
                && !line.hasPrefix(" ") && !next.hasPrefix(" ") && !line.hasSuffix(":") && !next.hasPrefix("- ") {
                let word = next.prefix { $0 != " " }
                #expect(line.count + 1 + word.count > 79, "\(name): a paragraph broken by hand after “\(line)”")
            }
            for line in narrow where !line.hasPrefix(" ") {
                #expect(line.count <= 80, "\(name): a word outruns the line: \(line)")
            }
        }
    }

    @Test("shell completion scripts for bash, zsh and fish name the commands; bash reads its script")
    func completionScripts() throws {
        for shell in ["bash", "zsh", "fish"] {
            let result = try Self.cli.run(["--generate-completion-script", shell])
            #expect(result.status == 0, "\(shell): \(result.stderr)")
            #expect(result.stdout.contains("renew") && result.stdout.contains("return-payment"), "\(shell)")
            if shell == "bash" {
                let directory = NSTemporaryDirectory() + "huzhu-completion-" + UUID().uuidString
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(atPath: directory) }
                try result.stdout.write(toFile: directory + "/huzhu.bash", atomically: true, encoding: .utf8)
                let checked = try ExternalTool.run(["bash"], ["-n", "huzhu.bash"], in: directory)
                #expect(checked.status == 0, "\(checked.stderr)")
            }
        }
    }
}
