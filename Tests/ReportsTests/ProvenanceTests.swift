import Ledger
import Testing
@testable import Reports

@Suite("Reports name the checkpoint their figures rest on")
struct ProvenanceTests {
    @Test("the newest checkpoint, and the current tree when the log has grown since")
    func grownSince() throws {
        let books = try ReportTestBooks()
        let document = try books.document(TrialBalanceReport())
        let provenance = document.provenance
        let checkpoint = try #require(provenance.checkpoint)
        #expect(provenance.eventsSinceCheckpoint == 1)
        #expect(!provenance.isCurrent)
        #expect(provenance.treeSize == checkpoint.seq + 1)
        #expect(provenance.rootHash == (try books.ledger.root(size: provenance.treeSize)))
        #expect(provenance.lines[0].contains(checkpoint.checkpoint.rootHash.hex))
        #expect(provenance.lines[1].contains("grown since") && provenance.lines[1].contains(provenance.rootHash.hex))
    }

    @Test("a report made right after a checkpoint rests on it alone")
    func current() throws {
        let books = try ReportTestBooks(withNovember: false)
        let provenance = try books.document(TrialBalanceReport()).provenance
        #expect(provenance.isCurrent)
        #expect(provenance.lines.count == 1)
    }

    @Test("with no checkpoint yet, the report says so and quotes the current tree")
    func none() throws {
        let books = try ReportTestBooks(withCheckpoint: false)
        let provenance = try books.document(TrialBalanceReport()).provenance
        #expect(provenance.checkpoint == nil)
        #expect(provenance.lines[0].contains("no checkpoint") && provenance.lines[0].contains(provenance.rootHash.hex))
    }
}
