import Ledger
import MutualAid

/// Runs a command's work on an input file so that every row error it throws names the
/// file ("roster.csv: row 4: …"), whichever layer found it: the reader, the rules or the
/// batch. Errors already naming their file, and errors of no row (an option's), are left as they are.
@discardableResult
func namingInputFile<T>(_ path: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as LedgerInputError where error.file == nil && error.row != nil {
        throw error.inFile(path)
    } catch let error as BatchRowError where error.file == nil {
        throw error.inFile(path)
    } catch let error as EnrolmentRejected where error.file == nil {
        throw error.inFile(path)
    }
}

/// `namingInputFile` for a command whose input file is optional.
func namingDecisionsFile<T>(_ path: String?, _ body: () throws -> T) throws -> T {
    guard let path else { return try body() }
    return try namingInputFile(path, body)
}
