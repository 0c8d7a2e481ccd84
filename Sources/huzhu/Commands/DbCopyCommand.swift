import ArgumentParser
import Audit
import Foundation
import Ledger
import MutualAid

struct DbCopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a ledger between a file and a PostgreSQL database, verifying every event on arrival.",
        discussion: """
            FROM and TO are each a ledger file or postgres://user@host:port/db. TO must be a new file or a \
            database that holds no ledger (an empty one, or one a failed copy left). Every event arrives with \
            its body, signature and seq unchanged; the register (members, claims, contributions, caps) is \
            rebuilt from the events, and members' personal data, which the log holds only as commitments, \
            is copied as stored. Before the copy commits, the target's log is verified from what it holds:
            every hash, link, signature and Merkle node, and its root and every checkpoint must be the \
            source's. If anything fails, nothing is kept: a new file is removed, a database left empty.

            The source is read in one snapshot, so clerks may go on writing it; what they write after the \
            copy began is not in the copy. Stop writing before a move you mean to switch over to.

            Examples:
              huzhu db copy huzhu.db postgres://huzhu@db.example.org/huzhu
              huzhu db copy postgres://auditor@replica.example.org/huzhu audit-2026-12.db
            """
    )

    @Argument(help: ArgumentHelp("The ledger to copy: a file or postgres://…", valueName: "from"))
    var from: String

    @Argument(help: ArgumentHelp("Where to copy it: a new file or an empty postgres://… database.", valueName: "to"))
    var to: String

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @OptionGroup var progress: ProgressOptions

    func run() throws {
        let source = LedgerLocation(from)
        let target = LedgerLocation(to)
        if !source.isPostgres, !target.isPostgres,
           URL(fileURLWithPath: from).standardizedFileURL == URL(fileURLWithPath: to).standardizedFileURL {
            throw ValidationError("FROM and TO are the same file")
        }
        let opened = try source.open()
        let (store, discard) = try target.createEmptyStore()
        let started = Date()
        var line = progress.line("copying events")
        var verifyingStarted = false
        var personal = PersonalDataCopy.Counts()
        var statementIndex: Int64?
        let copy = LedgerCopy(policy: opened.policy, projections: opened.projections) { reader, writer in
            personal = try PersonalDataCopy.copy(from: reader, to: writer)
            statementIndex = try StatementIndex.keepNewest(in: writer)
        }
        let copied: LedgerCopy.Copied
        do {
            copied = try copy.copy(from: opened.store, to: store) { (done: Int64, total: Int64, verifying: Bool) in
                if verifying && !verifyingStarted {
                    line = line.stage("verifying the copy", total: total)
                    verifyingStarted = true
                }
                line.update(done, total: total)
            }
            line.finish()
        } catch {
            line.finish()
            discard()
            throw error
        }
        let seconds = Date().timeIntervalSince(started)
        switch format {
        case .json:
            try printJSON(["from": .string(source.displayName), "to": .string(target.displayName), "ledger": .string(copied.ledgerID),
                           "events": .integer(copied.eventCount), "rootHash": .string(copied.rootHash.hex),
                           "checkpointsVerified": .integer(Int64(copied.checkpoints)), "signaturesVerified": .integer(copied.signaturesVerified),
                           "personalData": ["members": .integer(Int64(personal.members)), "claims": .integer(Int64(personal.claims)),
                                            "erasures": .integer(Int64(personal.erasures))],
                           "statementIndexSeq": statementIndex.map { .integer($0) } ?? .null])
        case .text:
            print("copied \(copied.eventCount) events from \(source.displayName) to \(target.displayName) in \(String(format: "%.2f", seconds)) s")
            print("verified on arrival: \(copied.signaturesVerified) signatures, \(copied.checkpoints) checkpoints, root \(copied.rootHash.hex)")
            print("personal data copied: \(personal.members) members, \(personal.claims) claims, \(personal.erasures) erasures")
            if let statementIndex { print("statement index of seq \(statementIndex) kept") }
        }
    }
}
