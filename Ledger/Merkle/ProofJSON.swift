/// Reads the proof JSON that `huzhu proof` prints, for offline checking.
public enum ProofJSON {
    public static func inclusion(_ json: JSONValue) throws -> InclusionProof {
        guard json["type"]?.stringValue == InclusionProof.type, let ledger = json["ledger"]?.stringValue,
              let seq = json["seq"]?.integerValue, let size = json["treeSize"]?.integerValue,
              let leaf = json["leafHash"]?.stringValue, let root = json["rootHash"]?.stringValue,
              let path = json["proof"]?.arrayValue
        else { throw LedgerInputError(field: "proof", value: "", reason: "not an inclusion proof") }
        if let index = json["leafIndex"]?.integerValue, index != seq - 1 {
            throw LedgerInputError(field: "leafIndex", value: "\(index)", reason: "must be seq − 1")
        }
        return InclusionProof(ledgerID: ledger, seq: seq, treeSize: size, leafHash: try SHA256Hash(hex: leaf),
                              rootHash: try SHA256Hash(hex: root), path: try hashes(path))
    }

    public static func consistency(_ json: JSONValue) throws -> ConsistencyProof {
        guard json["type"]?.stringValue == ConsistencyProof.type, let ledger = json["ledger"]?.stringValue,
              let old = json["oldSize"]?.integerValue, let new = json["newSize"]?.integerValue,
              let oldRoot = json["oldRootHash"]?.stringValue, let newRoot = json["newRootHash"]?.stringValue,
              let path = json["proof"]?.arrayValue
        else { throw LedgerInputError(field: "proof", value: "", reason: "not a consistency proof") }
        return ConsistencyProof(ledgerID: ledger, oldSize: old, newSize: new, oldRoot: try SHA256Hash(hex: oldRoot),
                                newRoot: try SHA256Hash(hex: newRoot), path: try hashes(path))
    }

    public static func hashes(_ values: [JSONValue]) throws -> [SHA256Hash] {
        try values.map { value in
            guard let text = value.stringValue else { throw LedgerInputError(field: "proof", value: "\(value)", reason: "expected a hex hash") }
            return try SHA256Hash(hex: text)
        }
    }
}
