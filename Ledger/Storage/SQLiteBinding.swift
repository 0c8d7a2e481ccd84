import GRDBSQLite

/// Binds values to a statement's parameters where they lie (`SQLITE_STATIC`), not copied into
/// memory SQLite allocates and frees per value: bulk imports bind millions of them.
///
/// The caller keeps the memory alive until the statement is stepped, and rebinds every
/// parameter before the next step. Shared by the ledger's store and the domains' statements
/// (`SQLBindable` in MutualAid), so the one subtlety lives in one place: an empty text or blob
/// still needs a non-null pointer, or SQLite binds NULL.
package enum SQLiteBinding {
    /// Binds `text`, or NULL for nil, while `body` steps the statement.
    package static func whileBound(_ text: String?, to handle: OpaquePointer?, at index: Int32, _ body: () throws -> Void) rethrows {
        guard var text else {
            sqlite3_bind_null(handle, index)
            return try body()
        }
        try text.withUTF8 { buffer in
            let start = UnsafeRawPointer(buffer.baseAddress) ?? UnsafeRawPointer(bitPattern: 1)
            _ = sqlite3_bind_text(handle, index, start?.assumingMemoryBound(to: CChar.self), Int32(buffer.count), nil)
            try body()
        }
    }

    /// Binds `bytes` as a blob; they must stay alive until the statement is stepped.
    package static func bind(_ bytes: UnsafeRawBufferPointer, to handle: OpaquePointer?, at index: Int32) {
        _ = sqlite3_bind_blob(handle, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(bytes.count), nil)
    }
}
