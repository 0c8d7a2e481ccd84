import Foundation
import GRDB
import Ledger
import MutualAid

/// The kept statement index in a ledger file: `statement_index_kept`, one row per subject
/// ("mutual-aid-v8-statement-index-kept").
extension SQLiteMutualAidRegister {
    func keptStatementLeaves(indexSeq: Int64) throws -> [SHA256Hash]? {
        var leaves: [SHA256Hash] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT index_seq, leaf FROM statement_index_kept ORDER BY position")
        while let row = try rows.next() {
            // One index at a time: rows of another index mean the table was not written by `keepStatementIndex`.
            guard row[0] as Int64 == indexSeq, let leaf = try? SHA256Hash(bytes: [UInt8](row[1] as Data)) else { return nil }
            leaves.append(leaf)
        }
        return leaves.isEmpty ? nil : leaves
    }

    func keptStatementEntry(subject: String, indexSeq: Int64) throws -> (position: Int, entry: [UInt8])? {
        guard let row = try Row.fetchOne(db, sql: "SELECT position, entry FROM statement_index_kept WHERE subject = ? AND index_seq = ?",
                                         arguments: [subject, indexSeq]) else { return nil }
        return (row[0], [UInt8](row[1] as Data))
    }

    func keepStatementIndex(_ entries: [KeptStatementEntry], indexSeq: Int64) throws {
        try db.execute(sql: "DELETE FROM statement_index_kept")
        let insert = try db.makeStatement(sql: "INSERT INTO statement_index_kept (position, subject, index_seq, leaf, entry) VALUES (?, ?, ?, ?, ?)")
        for (position, kept) in entries.enumerated() {
            try insert.run([position, kept.subject, indexSeq, Data(kept.leaf.bytes), Data(kept.entry)])
        }
    }
}
