import Foundation
import FuzzTargets
import Testing

/// Every file of Fuzz/Corpus/<target>/ through its target: the seeds, and every input a fuzz
/// run found that crashed or broke a property, kept there once fixed so it stays fixed.
@Suite("fuzz corpus: the parsers that take outside input")
struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Fuzz/Corpus").standardized

    static func inputs(_ target: FuzzTarget) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: corpus.appendingPathComponent(target.rawValue), includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }.sorted { $0.path < $1.path }
    }

    @Test("every corpus input runs through its target", arguments: FuzzTarget.allCases)
    func corpus(_ target: FuzzTarget) throws {
        let inputs = try Self.inputs(target)
        #expect(inputs.count >= 3, "Fuzz/Corpus/\(target.rawValue) holds the target's seeds")
        for input in inputs {
            let broken = target.check(Array(try Data(contentsOf: input)))
            #expect(broken == nil, "\(input.lastPathComponent): \(broken ?? "")")
        }
    }
}
