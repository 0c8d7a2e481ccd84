import Foundation

/// What a failed file operation says to a person: the path, whether it was read or
/// written, and the system's reason ("cannot read clerk.key: Permission denied"), instead
/// of Foundation's dump of its error dictionary.
enum FileErrorMessage {
    /// The sentence for `error` when it is a file-system error, else nil.
    static func sentence(for error: any Error) -> String? {
        guard let cocoa = error as? CocoaError, cocoa.code.rawValue >= 4, cocoa.code.rawValue < 1024 else { return nil }
        let path = cocoa.filePath ?? cocoa.url?.path ?? "a file"
        // Foundation's codes 256–511 are reads, 512–1023 writes (and 4, "no such file").
        let verb = cocoa.code.rawValue >= 512 ? "write" : "read"
        let reason: String
        if let posix = cocoa.underlying as? POSIXError {
            reason = String(cString: strerror(posix.code.rawValue))
        } else {
            switch cocoa.code {
            case .fileNoSuchFile, .fileReadNoSuchFile: reason = "No such file or directory"
            case .fileReadNoPermission, .fileWriteNoPermission: reason = "Permission denied"
            case .fileWriteOutOfSpace: reason = "No space left on device"
            case .fileWriteVolumeReadOnly: reason = "Read-only file system"
            case .fileWriteFileExists: reason = "File exists"
            default: reason = cocoa.localizedDescription
            }
        }
        return "cannot \(verb) \(path): \(reason)"
    }
}
