import Foundation
import Ledger
import Testing
@testable import MutualAid

@Suite("event values: format v1 read and written again byte for byte")
struct EventValueTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/v1-events.jsonl")

    static func fixtureEvents() throws -> [RecordedEvent] {
        let text = try String(contentsOf: fixture, encoding: .utf8)
        return try text.split(separator: "\n").map { try RecordedEvent(body: Array($0.utf8), signature: []) }
    }

    /// The body `event`'s kind's value writes for it, with its header as recorded.
    static func rewritten(_ event: RecordedEvent) throws -> [UInt8] {
        let value = try #require(try MutualAidEvents.catalog.value(of: event), "no value for \(event.kind)")
        let draft = try value.draft()
        #expect(draft.kind == event.kind)
        return try RecordedEvent.canonicalBody(ledgerID: event.ledgerID, seq: event.seq, prev: event.prev, kind: draft.kind, time: event.time,
                                               actor: event.actor, data: draft.data)
    }

    @Test("every event written before the values existed is written again to the same bytes")
    func fixtureRoundTrips() throws {
        let events = try Self.fixtureEvents()
        #expect(events.count == 413)
        for event in events {
            let bytes = try Self.rewritten(event)
            #expect(bytes == event.body, "seq \(event.seq) \(event.kind): \(String(decoding: bytes, as: UTF8.self))")
            #expect(try MutualAidEvents.catalog.reencodes(event) == true)
        }
        // Every kind a mutual-aid ledger records is in the file, but the one no command writes.
        let kinds = Set(events.map(\.kind))
        #expect(Set(MutualAidEvents.catalog.types.keys).subtracting(kinds) == [.accountClosed])
    }

    @Test("every kind a key may sign has a value, and every value a kind a key may sign")
    func catalogCoversThePolicy() {
        let policy = RolePolicy.ledgerCore.merging(MutualAidKinds.policy)
        #expect(Set(MutualAidEvents.catalog.types.keys) == Set(policy.rolesByKind.keys))
    }

    @Test("a field added, taken away or of another type is caught, naming the field")
    func strayFields() throws {
        let events = try Self.fixtureEvents()
        let filed = try #require(events.first { $0.kind == MutualAidKinds.claimFiled })
        func edited(_ edit: (inout [String: JSONValue]) -> Void) throws -> RecordedEvent {
            var data = filed.data
            edit(&data)
            let body = try RecordedEvent.canonicalBody(ledgerID: filed.ledgerID, seq: filed.seq, prev: filed.prev, kind: filed.kind,
                                                       time: filed.time, actor: filed.actor, data: data)
            return try RecordedEvent(body: body, signature: [])
        }
        #expect(try MutualAidEvents.catalog.reencodes(try edited { $0["note"] = .string("added") }) == false)
        #expect(try MutualAidEvents.catalog.reencodes(try edited { $0["assessment"] = ["payoutFen": 1, "benefitUsedFen": 0, "totalUsedFen": 0, "extra": 1] }) == false)
        do {
            _ = try MutualAidEvents.catalog.reencodes(try edited { $0["member"] = nil })
            Issue.record("a filing without its member was read")
        } catch {
            #expect("\(error)".contains("claim.filed at seq \(filed.seq) lacks member"), "\(error)")
        }
        do {
            _ = try MutualAidEvents.catalog.reencodes(try edited { $0["planYear"] = .string("2026") })
            Issue.record("a plan year written as a string was read")
        } catch {
            #expect("\(error)".contains("has planYear of the wrong type"), "\(error)")
        }
    }
}
