import Foundation
import GRDB
import Ledger
import Testing
@testable import MutualAid
@testable import MutualAidSQLite

/// A small plan year kept through the library: the own-share plan published, unit U001
/// with `members` members enrolled, billed and paid for, and a clerk's key, in a folder
/// removed when the book goes.
private final class ClaimBatchBook {
    let directory: URL
    let path: String
    let admin = SigningKey()
    let clerk = SigningKey()
    let book: MutualAidBook
    let members: [MemberID]

    init(members count: Int) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("huzhu-claims-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("huzhu.db").path
        let ledger = try HuzhuLedger.create(path: path, name: "理赔批量", admin: admin, adminHolder: "管理员")
        _ = try ledger.registerKey(clerk.publicKey, roles: [.clerk], holder: "经办", signer: admin)
        book = MutualAidBook(ledger: ledger)
        _ = try book.publishPlan(text: try ExamplePlans.text("own-share-15pct-2026"), file: "own-share-15pct-2026.toml", signer: admin)
        _ = try book.addUnit(try UnitID("U001"), name: "市机械厂工会", signer: clerk)
        let rows = try (0..<count).map { index in
            EnrolmentRow(row: index + 2, name: "会员\(index)", residentID: Self.residentID(index), enrolledOn: try LedgerDate("2025-11-01"))
        }
        _ = try book.enroll(unit: try UnitID("U001"), year: 2026, rows: rows, skipInvalid: false, signer: clerk)
        _ = try book.bill(year: 2026, date: try LedgerDate("2025-12-21"), signer: clerk)
        _ = try book.receive(unit: try UnitID("U001"), year: 2026, amount: Money(fen: Int64(count) * 3_000), bankReference: "B-2026",
                             date: try LedgerDate("2025-12-28"), signer: clerk)
        members = try book.members(year: 2026).map { try MemberID($0.member) }
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// A resident ID with a valid GB 11643 check character.
    static func residentID(_ index: Int) -> String {
        let body = String(format: "1101051980%02d%02d%03d", 1 + index % 12, 1 + index % 28, index % 1000)
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return body + String(Array("10X98765432")[sum % 11])
    }

    /// A medical claim by member `index` with settlement `settlement`.
    func claim(_ index: Int, settlement: String, row: Int = 1, ownShare: Int64 = 100_000) throws -> ClaimInput {
        try ClaimInput(row: row, member: members[index % members.count], benefit: "medical", settlementID: settlement,
                       serviceDate: LedgerDate("2026-03-01"), filedOn: LedgerDate("2026-03-05"), totalCost: Money(fen: 300_000 + 2 * ownShare),
                       insuranceCovered: Money(fen: 300_000), ownShare: Money(fen: ownShare))
    }

    /// Reads the ledger file's tables themselves: what these tests check is how the SQLite
    /// register stores a batch.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try book.ledger.read { reader in try body(try #require(reader as? SQLiteLedgerStore.Transaction).db) }
    }

    /// The claims table's indexes, by name, with the statement that made each.
    func claimIndexes() throws -> [String: String] {
        try read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: """
                SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'claims' AND sql IS NOT NULL
                """).map { ($0[0] as String, $0[1] as String) })
        }
    }

    /// Every claim row and cap used, as text, in a fixed order.
    func claimsTable() throws -> [String] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM claims ORDER BY claim_id").map(\.description)
                + Row.fetchAll(db, sql: "SELECT * FROM cap_usage ORDER BY member_id, plan_year, benefit").map(\.description)
        }
    }

    func file(_ inputs: [ClaimInput], shape: WriteShape = .command, deferringIndexesFrom minimumBatch: Int = 20_000,
              rebuilt: inout Bool) throws -> [FiledClaim] {
        var iterator = inputs.makeIterator()
        var results: [FiledClaim] = []
        var didRebuild = false
        _ = try DeferredClaimIndexes.$smallestBatch.withValue(minimumBatch) {
            try book.file(next: { iterator.next() }, signer: clerk, shape: shape, rebuildingIndexes: { didRebuild = true }) {
                results.append($0)
            }
        }
        rebuilt = didRebuild
        return results
    }
}

@Suite("claim batches")
struct ClaimBatchTests {
    @Test("a batch that sets the claims indexes aside and takes the file for itself files what a plain batch files")
    func deferredIndexes() throws {
        let deferred = try ClaimBatchBook(members: 6)
        let plain = try ClaimBatchBook(members: 6)
        let indexesBefore = try deferred.claimIndexes()
        #expect(indexesBefore.keys.sorted() == ["claims_by_approved_on", "claims_by_filed_on", "claims_by_member", "claims_by_paid_on",
                                                 "claims_by_state", "claims_by_unit"])
        // Members claim several times each, so caps carry from claim to claim, and some
        // claims run into the cap and are rejected.
        var rebuilt = false
        let inputs = { (book: ClaimBatchBook) in try (0..<40).map { try book.claim($0, settlement: "YB\($0)", row: $0 + 2, ownShare: 2_000_000) } }
        // The first batch also writes through the rollback journal (the file is its alone).
        let deferredResults = try deferred.file(try inputs(deferred), shape: .bulk, deferringIndexesFrom: 10, rebuilt: &rebuilt)
        #expect(rebuilt)
        let plainResults = try plain.file(try inputs(plain), rebuilt: &rebuilt)
        #expect(!rebuilt)

        #expect(try deferred.claimIndexes() == indexesBefore)
        #expect(deferredResults.map(\.payout) == plainResults.map(\.payout))
        #expect(deferredResults.contains { $0.rejection != nil } && deferredResults.contains { $0.rejection == nil })
        // Same rows, but for the filer's key id, which differs between the two ledgers.
        let filer = { (book: ClaimBatchBook, rows: [String]) in rows.map { $0.replacingOccurrences(of: book.clerk.id.value, with: "clerk") } }
        #expect(filer(deferred, try deferred.claimsTable()) == filer(plain, try plain.claimsTable()))
        #expect(try deferred.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
        // The rebuilt index answers queries: a member's claims, found through it.
        let plan = try deferred.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT claim_id FROM claims WHERE member_id = ?", arguments: [deferred.members[0].value])
                .map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("claims_by_member") })
        #expect(try deferred.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM claims INDEXED BY claims_by_member WHERE member_id = ?",
                             arguments: [deferred.members[0].value])
        } == 7)
    }

    @Test("a batch that fails after setting the indexes aside leaves claims and indexes as they were")
    func failedBatchKeepsIndexes() throws {
        let book = try ClaimBatchBook(members: 4)
        let indexesBefore = try book.claimIndexes()
        var inputs = try (0..<30).map { try book.claim($0, settlement: "YB\($0)", row: $0 + 2) }
        // Row 27 names a benefit the plan does not have: the whole batch is refused.
        inputs[25] = try ClaimInput(row: 27, member: book.members[0], benefit: "dental", settlementID: "YB-bad",
                                    serviceDate: LedgerDate("2026-03-01"), filedOn: LedgerDate("2026-03-05"), totalCost: Money(fen: 1))
        var rebuilt = false
        #expect {
            _ = try book.file(inputs, deferringIndexesFrom: 10, rebuilt: &rebuilt)
        } throws: { error in
            (error as? LedgerInputError)?.row == 27 && (error as? LedgerInputError)?.field == "benefit"
        }
        #expect(try book.claimIndexes() == indexesBefore)
        #expect(try book.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM claims") } == 0)
    }

    @Test("a batch smaller than the claims already on file keeps its indexes")
    func smallBatchKeepsIndexes() throws {
        let book = try ClaimBatchBook(members: 4)
        var rebuilt = false
        _ = try book.file(try (0..<30).map { try book.claim($0, settlement: "A\($0)") }, deferringIndexesFrom: 10, rebuilt: &rebuilt)
        #expect(rebuilt)
        _ = try book.file(try (0..<30).map { try book.claim($0, settlement: "A\($0)") }, deferringIndexesFrom: 10, rebuilt: &rebuilt)
        #expect(!rebuilt)  // the same 30 again: repeats add no rows, so they do not count
        _ = try book.file(try (0..<20).map { try book.claim($0, settlement: "B\($0)") }, deferringIndexesFrom: 10, rebuilt: &rebuilt)
        #expect(!rebuilt)  // 20 claims after 30: a rebuild would cost more than it saves
        _ = try book.file(try (0..<60).map { try book.claim($0, settlement: "C\($0)") }, deferringIndexesFrom: 10, rebuilt: &rebuilt)
        #expect(rebuilt)  // 60 after 50
    }

    @Test("a batch taking the file for itself finds repeats and duplicates as a shared one does, within and across batches")
    func repeatsAndDuplicatesTakingTheFile() throws {
        let ahead = try ClaimBatchBook(members: 3), plain = try ClaimBatchBook(members: 3)
        var rebuilt = false
        for book in [ahead, plain] { _ = try book.file([try book.claim(0, settlement: "S0")], rebuilt: &rebuilt) }
        // S0 is on file; S1 comes twice identical (a repeat) and once with another amount
        // (a duplicate, rejected); S0 comes again identical and once changed.
        let batch = { (book: ClaimBatchBook) in
            try [book.claim(1, settlement: "S1"), book.claim(1, settlement: "S1"), book.claim(2, settlement: "S1", ownShare: 50_000),
                 book.claim(0, settlement: "S0"), book.claim(0, settlement: "S0", ownShare: 70_000), book.claim(2, settlement: "S2")]
        }
        let exclusive = try ahead.file(try batch(ahead), shape: .bulk, rebuilt: &rebuilt)
        let shared = try plain.file(try batch(plain), rebuilt: &rebuilt)
        let outcome = { (filed: FiledClaim) in "\(filed.wasAlreadyFiled) \(filed.rejection ?? "-") \(filed.payout)" }
        #expect(exclusive.map(outcome) == shared.map(outcome))
        #expect(exclusive.map(\.wasAlreadyFiled) == [false, true, false, true, false, false])
        #expect(exclusive[2].rejection != nil && exclusive[4].rejection != nil)
        #expect(exclusive[1].claim == exclusive[0].claim)
    }

    @Test("a batch projects its claims, and a roster its members, as a replay of their events does")
    func batchMatchesReplay() throws {
        let book = try ClaimBatchBook(members: 4)
        var rebuilt = false
        // Claims under and over the cap, a repeat, a duplicate settlement, a diagnosis, and
        // a claim the rules reject (filed after the deadline), over two batches.
        var first = try (0..<12).map { try book.claim($0, settlement: "R\($0)", row: $0 + 2, ownShare: 1_500_000) }
        first.append(try book.claim(1, settlement: "R1"))
        first.append(try ClaimInput(row: 20, member: book.members[2], benefit: "medical", settlementID: "R-diag",
                                    serviceDate: LedgerDate("2026-04-01"), filedOn: LedgerDate("2026-04-02"), totalCost: Money(fen: 900_000),
                                    insuranceCovered: Money(fen: 500_000), ownShare: Money(fen: 400_000), diagnosis: "肺炎"))
        first.append(try ClaimInput(row: 21, member: book.members[3], benefit: "medical", settlementID: "R-late",
                                    serviceDate: LedgerDate("2026-01-10"), filedOn: LedgerDate("2027-05-01"), totalCost: Money(fen: 900_000),
                                    insuranceCovered: Money(fen: 500_000), ownShare: Money(fen: 400_000)))
        let results = try book.file(first, shape: .bulk, deferringIndexesFrom: 5, rebuilt: &rebuilt)
        #expect(rebuilt)
        #expect(results.contains { $0.rejection != nil } && results.contains { $0.rejection == nil && $0.payout > .zero })
        _ = try book.file([try book.claim(0, settlement: "R20"), try book.claim(3, settlement: "R3")], rebuilt: &rebuilt)

        // Replay every event of the log through the projections, into a fresh file.
        let replayPath = book.directory.appendingPathComponent("replay.db").path
        let replay = try SQLiteLedgerStore(path: replayPath, create: true)
        try MutualAidSchema.migrate(replay)
        let events = try book.book.ledger.read { reader in
            var events: [RecordedEvent] = []
            try reader.forEachStoredEvent(from: 1, through: nil) { stored in
                events.append(try RecordedEvent(body: stored.body, signature: stored.signature))
                return true
            }
            return events
        }
        #expect(events.filter { $0.kind == MutualAidKinds.claimFiled }.count == 17)
        try replay.write { writer in
            for event in events where MutualAidProjection().mayApply(to: event.kind) {
                try MutualAidProjection().apply(event, postings: [], to: writer)
            }
        }
        // The register too: the members and enrolments the roster wrote from typed values.
        let table = { (db: Database) in
            try Row.fetchAll(db, sql: "SELECT * FROM claims ORDER BY claim_id").map(\.description)
                + Row.fetchAll(db, sql: "SELECT * FROM cap_usage ORDER BY member_id, plan_year, benefit").map(\.description)
                + Row.fetchAll(db, sql: "SELECT * FROM members ORDER BY member_id").map(\.description)
                + Row.fetchAll(db, sql: "SELECT * FROM enrolments ORDER BY member_id, plan_year").map(\.description)
        }
        let replayed = try replay.queue.read(table)
        #expect(replayed.count > 17 + 4 + 4)
        #expect(try book.read(table) == replayed)
    }

    @Test("a figure too large for canonical JSON is refused, naming its field and row")
    func figureOutOfRange() throws {
        let book = try ClaimBatchBook(members: 1)
        #expect {
            _ = try ClaimInput(row: 9, member: book.members[0], benefit: "disability", settlementID: "S1",
                               serviceDate: LedgerDate("2026-03-01"), filedOn: LedgerDate("2026-03-05"), grade: Int.max)
        } throws: { error in
            let error = error as? LedgerInputError
            return error?.row == 9 && error?.field == "grade" && error?.value == "\(Int.max)"
        }
    }

    @Test("a claim for a member who does not exist refuses the batch, naming the row and the member")
    func unknownMember() throws {
        let book = try ClaimBatchBook(members: 2)
        let input = try ClaimInput(row: 7, member: MemberID(enrolmentSeq: 999_999), benefit: "medical", settlementID: "S9",
                                   serviceDate: LedgerDate("2026-03-01"), filedOn: LedgerDate("2026-03-05"), totalCost: Money(fen: 100))
        var rebuilt = false
        #expect {
            _ = try book.file([try book.claim(0, settlement: "S8"), input], shape: .bulk, rebuilt: &rebuilt)
        } throws: { error in
            let error = error as? LedgerInputError
            return error?.row == 7 && error?.field == "member" && error?.value == MemberID(enrolmentSeq: 999_999).value
        }
        #expect(try book.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM claims") } == 0)
    }

    @Test("a claim's input bytes are its input encoded canonically, whichever figures it has")
    func inputBytes() throws {
        let member = MemberID(enrolmentSeq: 12)
        let figures: [Money?] = [nil, Money(fen: 0), Money(fen: -5), Money(fen: 9_007_199_254_740_991)]
        for (index, figure) in figures.enumerated() {
            for documents in [[], ["发票.pdf"], ["a\"b", "e\u{301}", "\u{7}"]] {
                let input = try ClaimInput(row: 2, member: member, benefit: "意外", invoiceNumber: "F-\(index)", hospital: "市一院",
                                           serviceDate: LedgerDate("2026-03-01"), filedOn: LedgerDate("2026-03-05"), totalCost: figure,
                                           insuranceCovered: index == 1 ? nil : figure, ownShare: figure, loss: index == 2 ? figure : nil,
                                           grade: index == 3 ? 4 : nil, documents: documents)
                #expect(input.encodedJSON == (try CanonicalJSON.encode(input.json)))
            }
        }
    }

    @Test("a claim's event bytes are its data encoded canonically, whatever the claim holds")
    func filedDataBytes() throws {
        let book = try ClaimBatchBook(members: 1)
        let input = try ClaimInput(row: 3, member: book.members[0], benefit: "medical", settlementID: "YB\"引号\\斜杠\u{1}",
                                   serviceDate: LedgerDate("2026-03-01"), filedOn: LedgerDate("2026-03-05"), totalCost: Money(fen: 9_007_199_254_740_991),
                                   ownShare: Money(fen: 0), documents: ["发票.pdf", "e\u{301}"], diagnosis: "肺炎")
        let computations: [PayoutComputation] = [
            .rejected(benefitCode: "medical", .duplicate(settlementID: input.settlementKey)),
            PayoutComputation(benefitCode: "medical", outcome: .payable(Money(fen: 4_321)), steps: nil),
        ]
        for computation in computations {
            for duplicateOf in [nil, Int64(42)] as [Int64?] {
                for personal in [nil, "c0ffee"] as [String?] {
                    let data = ClaimFiledData(input: input, benefit: "medical", unit: "U001", planYear: 2026, plan: 7, computation: computation,
                                              usage: CapUsage(benefitUsed: Money(fen: 12_345), totalUsed: Money(fen: 67_890)),
                                              duplicateOf: duplicateOf, personal: personal, idempotencyKey: "claim:" + input.settlementKey)
                    let draft = try data.draft()
                    #expect(try data.encodedDraft().encodedData == CanonicalJSON.encode(.object(draft.data)))
                }
            }
        }
    }
}
