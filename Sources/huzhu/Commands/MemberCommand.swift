import ArgumentParser
import Foundation
import Ledger
import MutualAid
import Reports
import Audit

struct MemberCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member",
        abstract: "Enrol members one by one or from a unit's roster, correct their details, record leavers, erase personal data, list.",
        subcommands: [Enroll.self, Renew.self, Update.self, Leave.self, Erase.self, List.self, Statement.self, Index.self]
    )

    struct Enroll: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enrol members of a unit for a plan year.",
            discussion: """
                The roster is CSV in UTF-8 or GB18030 with the columns name/姓名 and resident_id/身份证号, \
                and optionally phone/手机号, bank_card/银行卡号, enrolled_on/入会日期. Resident IDs are checked \
                (length, birth date, check digit). Personal fields stay outside the log, behind a salted \
                commitment. A member enrolling again (a new plan year) takes the row's name, phone and bank \
                card where it gives them; an empty cell keeps what is on file. If any row is rejected nothing \
                is written, unless --skip-invalid, which enrols \
                the good rows and writes the rejected ones with reasons to FILE.rejected.csv. A roster import \
                has the ledger file to itself if no other process has it open (others wait for it to commit).

                Examples:
                  huzhu member enroll --unit U001 --year 2026 --roster roster-U001.csv \\
                      --date 2025-11-15 --key clerk.key
                  huzhu member enroll --unit U001 --year 2026 --name 张三 \\
                      --resident-id 11010519491231002X --key clerk.key
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions

        @Option(help: "The unit's code.") var unit: String
        @Option(help: "The plan year.") var year: Int
        @Option(help: "A roster CSV file.") var roster: String?
        @Option(help: "One member's name (instead of --roster).") var name: String?
        @Option(help: "One member's resident ID.") var residentId: String?
        @Option(help: "One member's phone.") var phone: String = ""
        @Option(help: "One member's bank card for payouts.") var bankCard: String = ""
        @Option(help: "Enrolment date for rows without one (default: today).") var date: String?
        @Flag(help: "Enrol the valid rows and write the rejected ones to a file.") var skipInvalid = false
        @OptionGroup var progress: ProgressOptions

        func validate() throws {
            if (roster == nil) == (name == nil && residentId == nil) {
                throw ValidationError("pass --roster FILE, or --name and --resident-id for one member")
            }
            if roster == nil && (name == nil || residentId == nil) {
                throw ValidationError("one member needs both --name and --resident-id")
            }
        }

        func run() throws {
            let book = MutualAidBook(ledger: try ledger.openLedger())
            let day = try date.map(LedgerDate.init) ?? LedgerDate.today()
            let unitID = try UnitID(unit)
            let report: EnrolmentReport
            if let roster {
                let file = UncheckedBox(try RosterReader(path: roster, defaultDate: day))
                let preparer = UncheckedBox(EnrolmentRowPreparer())
                // Rows are read, parsed and checked on a second thread while members are enrolled.
                let reader = Prefetcher { try file.value.next().map(preparer.value.prepare) }
                defer { reader.cancel() }
                let key = try signer.loadKey()
                let line = progress.line("enrolling", total: ProgressLine.dataRows(inCSV: roster))
                defer { line.finish() }
                report = try namingInputFile(roster) {
                    try book.enroll(unit: unitID, year: year, next: { try reader.next() }, skipInvalid: skipInvalid,
                                    signer: key, shape: .bulk) { line.update(Int64($0)) }
                }
            } else {
                report = try book.enroll(unit: unitID, year: year, rows: [
                    EnrolmentRow(row: 1, name: name!, residentID: residentId!, phone: phone, bankCard: bankCard, enrolledOn: day),
                ], skipInvalid: false, signer: signer.loadKey())
                if let member = report.lastEnrolled { print("enrolled member \(member.member) at seq \(member.seq)") }
            }
            let updated = report.detailsUpdatedCount > 0 ? "; personal details updated for \(report.detailsUpdatedCount)" : ""
            print("enrolled \(report.enrolledCount); already enrolled \(report.alreadyEnrolledCount); rejected \(report.rejectedCount)\(updated)")
            if !report.rejected.isEmpty, let roster {
                let path = roster + ".rejected.csv"
                let writer = CSVWriter()
                let text = writer.document(header: ["row", "reason"], rows: report.rejected.map { ["\($0.row)", $0.reason] })
                // Derived from this run alone, so an earlier run's file is replaced.
                try OutputFile(path: path, overwrite: true).write(Array(text.utf8))
                note("wrote the rejected rows with reasons to \(path)")
            }
        }
    }

    struct Renew: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enrol a unit's members of one plan year for the next, with its joiners and leavers.",
            discussion: """
                Every member enrolled through the unit for the --from year who has not left is enrolled for \
                --year, continuing their coverage: no new waiting period. The changes file, a roster CSV with \
                a column change/变动, lists the unit's joiners (join/加入, or an empty cell: enrolled as a roster \
                row) and leavers (leave/退出: last year's members who are not renewed). Members who left during \
                the year are not renewed. One transaction: if any row is rejected nothing is written, unless \
                --skip-invalid. Bill the year afterwards with `huzhu contribution bill`.

                Examples:
                  huzhu member renew --from 2026 --year 2027 --unit U001 --date 2026-11-10 \\
                      --key clerk.key
                  huzhu member renew --from 2026 --year 2027 --unit U001 \\
                      --roster changes-U001.csv --key clerk.key
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions

        @Option(help: "The unit's code.") var unit: String
        @Option(help: "The plan year whose members are renewed.") var from: Int
        @Option(help: "The plan year they are enrolled for (the next).") var year: Int
        @Option(help: "A changes CSV: a roster with a change/变动 column (join or leave).") var roster: String?
        @Option(help: "The enrolment date (default: today).") var date: String?
        @Flag(help: "Enrol the valid rows and report the rejected ones.") var skipInvalid = false

        func run() throws {
            let day = try date.map(LedgerDate.init) ?? LedgerDate.today()
            var changes: [(row: EnrolmentRow, change: RosterChange)] = []
            if let roster {
                let file = try RosterReader(path: roster, defaultDate: day)
                while let change = try file.nextChange() { changes.append(change) }
            }
            let book = MutualAidBook(ledger: try ledger.openLedger())
            let unitID = try UnitID(unit), key = try signer.loadKey()
            func renew() throws -> RenewalReport {
                try book.renew(unit: unitID, from: from, year: year, date: day, changes: changes, skipInvalid: skipInvalid, signer: key)
            }
            let renewal = try roster.map { try namingInputFile($0, renew) } ?? renew()
            let report = renewal.enrolment
            print("renewing \(renewal.renewing) of \(from)'s members and \(renewal.joining) joiner(s) for \(year); not renewed: "
                  + "\(renewal.leftDuringYear) left during \(from), \(renewal.leaving) leaving, \(renewal.erased) erased")
            print("enrolled \(report.enrolledCount); already enrolled \(report.alreadyEnrolledCount); rejected \(report.rejectedCount)")
            for rejection in report.rejected.prefix(20) { note("  \(rejection)") }
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Correct a member's name, phone or bank card (clerk); the log commits to the new details.",
            discussion: """
                The details on file change, and a member.details-updated event names which fields changed \
                (never their values) and commits to them all under a new salt. Payment files use the new bank \
                card from then on: correct it after the bank returns a payment (`huzhu claim return-payment`), \
                then pay the claim again. Only the options given change; the resident ID does not change here.

                Example:
                  huzhu member update m0000000004d2 --bank-card 6222020200112233445 \\
                      --reason "原卡已销户" --key clerk.key
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions
        @Argument(help: "The member id.") var member: String
        @Option(help: "The corrected name.") var name: String?
        @Option(help: "The new phone.") var phone: String?
        @Option(help: "The new bank card for payouts.") var bankCard: String?
        @Option(help: "Why the details change.") var reason: String

        func validate() throws {
            if name == nil && phone == nil && bankCard == nil { throw ValidationError("give --name, --phone or --bank-card") }
        }

        func run() throws {
            let update = try MemberDetailsUpdate(name: name, phone: phone, bankCard: bankCard)
            if let seq = try MutualAidBook(ledger: ledger.openLedger()).updateDetails(member: try MemberID(member), update, reason: reason,
                                                                                     signer: signer.loadKey()) {
                print("updated the personal details of \(member) at seq \(seq)")
            } else {
                print("the details of \(member) are already as given; nothing recorded")
            }
        }
    }

    struct Leave: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record that a member left the plan (coverage ends that day).",
            discussion: "Example:\n  huzhu member leave m0000000004d2 --year 2026 --date 2026-06-30 \\\n      --reason 调离 --key clerk.key"
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions
        @Argument(help: "The member id.") var member: String
        @Option(help: "The plan year.") var year: Int
        @Option(help: "The last day covered.") var date: String
        @Option(help: "Why the member left.") var reason: String = ""

        func run() throws {
            let seq = try MutualAidBook(ledger: ledger.openLedger()).leave(member: try MemberID(member), year: year, date: try LedgerDate(date),
                                                                          reason: reason, signer: signer.loadKey())
            print("member \(member) left on \(date) (seq \(seq))")
        }
    }

    struct Erase: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase a member's personal data (administrator); the chain still verifies.",
            discussion: "Example:\n  huzhu member erase m0000000004d2 --reason \"本人申请删除\" --key admin.key"
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions
        @Argument(help: "The member id.") var member: String
        @Option(help: "Why the data is erased.") var reason: String

        func run() throws {
            let opened = try ledger.openLedger()
            let seq = try MutualAidBook(ledger: opened).erase(member: try MemberID(member), reason: reason, signer: signer.loadKey())
            print("erased the personal data of \(member) (seq \(seq)); the commitments in the log remain")
            // The deleted rows are zeroed in the file (secure_delete); the write-ahead log still
            // holds the pages until it is checkpointed.
            if try !opened.store.checkpointJournal() {
                note("another process is reading the ledger, so its write-ahead log (huzhu.db-wal) still holds the erased pages until SQLite next checkpoints it; close the other readers to clear it sooner")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List members enrolled for a year, personal fields masked.",
            discussion: "Example:\n  huzhu member list --year 2026 --unit U001 --limit 50"
        )

        @OptionGroup var ledger: LedgerOptions
        @Option(help: "The plan year.") var year: Int
        @Option(help: "Only this unit.") var unit: String?
        @Option(help: "At most this many.") var limit: Int?
        @Option(help: "text or json.") var format: OutputFormat = .text

        func run() throws {
            let book = MutualAidBook(ledger: try ledger.openLedger())
            let unit = try unit.map(UnitID.init)
            if format == .json {
                var array = JSONArrayStream()
                try book.forEachMember(year: year, unit: unit, limit: limit) { member in
                    try array.add(["member": .string(member.member), "unit": .string(member.unit), "name": .string(member.maskedName),
                                   "residentId": .string(member.maskedResidentID), "sex": .string(member.sex),
                                   "coverageStart": .string(member.coverageStart), "leftOn": member.leftOn.map { .string($0) } ?? .null])
                }
                array.finish()
                return
            }
            var table = TextTableStream(headers: ["member", "unit", "name", "resident ID", "sex", "covered since", "left"])
            try book.forEachMember(year: year, unit: unit, limit: limit) { member in
                table.add([member.member, member.unit, member.maskedName, member.maskedResidentID, member.sex, member.coverageStart,
                           member.leftOn ?? ""])
            }
            table.finish()
        }
    }

    struct Index: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the statement index and a checkpoint over it, so members' statements prove they are complete.",
            discussion: """
                An administrator records, for every member and unit, how many events the log holds about them \
                and a digest of those events (a statements.indexed event), then signs a checkpoint right after it. \
                A statement built from then on carries the member's entry with a proof, and `huzhu proof check` \
                recounts its lines against it: nothing of the member's up to the index can be left out unseen. \
                The audit recomputes every index from the log. Run it after each month's work (it reads the whole \
                log once).

                Examples:
                  huzhu member index --key admin.key
                  huzhu member statement m0000000004d2 --year 2026 > statement.json
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signer: KeyOptions

        func run() throws {
            let recorded = try StatementIndex.record(ledger: ledger.openLedger(), signer: signer.loadKey())
            print("indexed \(recorded.subjects) members and units at seq \(recorded.seq); checkpoint at seq \(recorded.checkpoint.seq): " +
                  "tree size \(recorded.checkpoint.checkpoint.treeSize), root \(recorded.checkpoint.checkpoint.rootHash.hex)")
        }
    }

    struct Statement: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A member's statement for a year, each line with an inclusion proof to a signed checkpoint.",
            discussion: """
                Lists the member's coverage, the contributions billed and received for their unit and their \
                claims. Each line carries the event's exact bytes and an RFC 6962 inclusion proof to the newest \
                checkpoint, so the member can check it offline with `huzhu proof check`.

                Examples:
                  huzhu member statement m0000000004d2 --year 2026 > statement.json
                  huzhu proof check statement.json --public-key <administrator public key>
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The member id.") var member: String
        @Option(help: "The plan year.") var year: Int
        @Option(help: "json (the checkable statement) or text.") var format: OutputFormat = .json

        func run() throws {
            let statement = try MemberStatement.build(ledger: ledger.openLedger(), member: try MemberID(member), year: year)
            switch format {
            case .json: try printJSON(statement.json)
            case .text:
                print("member \(statement.member), plan year \(statement.year); checkpoint tree size \(statement.checkpoint.treeSize), root \(statement.checkpoint.rootHash.hex)")
                for line in statement.lines { print("  seq \(line.seq)  \(line.summary)") }
                if statement.laterEvents > 0 { print("  (\(statement.laterEvents) later event(s) await the next checkpoint)") }
            }
        }
    }
}
