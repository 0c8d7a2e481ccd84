import Foundation
import Ledger

/// A signed checkpoint given on the command line (`--checkpoint FILE` of `verify --bundle`
/// and `proof check`): one way to read it for both.
enum CheckpointFile {
    /// A checkpoint from a file: checkpoint JSON (`huzhu checkpoint`), or a statement or proof
    /// that carries one (its `checkpoint` member).
    static func read(_ file: String) throws -> Checkpoint {
        let json = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: file))))
        if let checkpoint = try? Checkpoint(json: json) { return checkpoint }
        if let embedded = json["checkpoint"], let checkpoint = try? Checkpoint(json: embedded) { return checkpoint }
        throw LedgerInputError(field: "--checkpoint", value: file, reason: "holds no signed Huzhu checkpoint (checkpoint JSON, or a statement or proof carrying one)")
    }
}
