import Foundation

/// A file a command writes for a person or another program (a bank's payment file, a
/// report, an export), checked before the command records anything and written whole or
/// not at all.
///
/// A command that records events and then writes a file checks the path first
/// (`init(path:overwrite:)`: its folder exists and takes files, it is not a folder, and it
/// does not exist unless the user said `--force`), so a typo refuses the command before
/// the ledger changes. The bytes go to a temporary file beside it, are synced, and only
/// then take the file's name, so a full disk or a crash leaves the old file (or none),
/// never half a payment file. The file is created 0600: it may hold members' names and
/// bank cards.
///
/// ```swift
/// let out = try OutputFile(path: "pay.csv", overwrite: force)   // before the ledger write
/// try ledger.append(...)
/// try out.write(Array(csv.utf8))
/// ```
public struct OutputFile: Sendable {
    public let path: String
    public let overwrite: Bool

    /// The mode output files are created with: the owner's only.
    public static let mode: mode_t = 0o600

    public init(path: String, overwrite: Bool) throws(LedgerInputError) {
        guard !path.isEmpty else { throw LedgerInputError(field: "--out", value: path, reason: "name a file to write") }
        self.path = path
        self.overwrite = overwrite
        var info = stat()
        if stat(path, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR {
                throw LedgerInputError(field: "--out", value: path, reason: "is a folder; name a file inside it")
            }
            if !overwrite { throw LedgerInputError(field: "--out", value: path, reason: "exists; pass --force to replace it") }
        }
        let folder = OutputFile.folder(of: path)
        guard stat(folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw LedgerInputError(field: "--out", value: path, reason: "the folder \(folder) does not exist")
        }
        guard access(folder, W_OK) == 0 else {
            throw LedgerInputError(field: "--out", value: path, reason: "the folder \(folder) cannot be written to")
        }
    }

    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Writes `bytes` as the file's whole content.
    public func write(_ bytes: [UInt8]) throws {
        try write { handle in try handle.write(contentsOf: bytes) }
    }

    /// Writes the file through `body`, which streams into a handle on a temporary file;
    /// the file takes its name only once `body` returned and the bytes are on disk.
    @discardableResult
    public func write<T>(_ body: (FileHandle) throws -> T) throws -> T {
        let folder = OutputFile.folder(of: path)
        let name = String(path[(path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex)...])
        let temporary = folder + "/." + name + ".tmp-" + UUID().uuidString
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, OutputFile.mode)
        guard fd >= 0 else { throw failure("could not create a file in \(folder)") }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do {
            let result = try body(handle)
            guard fsync(fd) == 0 else { throw failure("could not write it") }
            try handle.close()
            if overwrite {
                guard rename(temporary, path) == 0 else { throw failure("could not replace it") }
            } else {
                // link refuses a name that appeared meanwhile; rename would silently replace it.
                guard link(temporary, path) == 0 else {
                    throw errno == EEXIST ? LedgerInputError(field: "--out", value: path, reason: "exists; pass --force to replace it")
                                          : failure("could not create it")
                }
                unlink(temporary)
            }
            OutputFile.syncFolder(folder)
            return result
        } catch {
            try? handle.close()
            unlink(temporary)
            if let error = error as? LedgerInputError { throw error }
            throw LedgerInputError(field: "--out", value: path, reason: "could not write it: \(OutputFile.describe(error))")
        }
    }

    func failure(_ what: String) -> LedgerInputError {
        LedgerInputError(field: "--out", value: path, reason: "\(what): \(String(cString: strerror(errno)))")
    }

    /// An error as one short sentence, not a Foundation dump.
    static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        if let posix = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        return nsError.localizedDescription
    }

    /// Makes the rename durable: the folder's entry is on disk too.
    static func syncFolder(_ folder: String) {
        let fd = open(folder, O_RDONLY)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
