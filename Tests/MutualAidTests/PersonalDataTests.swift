import Ledger
import Testing
@testable import MutualAid

@Suite("Personal data")
struct PersonalDataTests {
    @Test("salts are 16 random bytes, fresh across the batches they are drawn in")
    func salts() {
        var source = SaltSource(count: 8)
        let salts = (0..<1_000).map { _ in source.next() }
        #expect(salts.allSatisfy { $0.count == PersonalData.saltByteCount })
        #expect(Set(salts).count == salts.count)
    }

    @Test("the commitment is SHA-256 of the salt and the canonical fields, blank fields left out")
    func commitment() throws {
        let salt = [UInt8](repeating: 7, count: 16)
        let personal = PersonalData(fields: ["name": "张三", "phone": ""], salt: salt)
        #expect(personal.fields == ["name": "张三"])
        #expect(personal.canonicalFields == Array(#"{"name":"张三"}"#.utf8))
        #expect(personal.commitment == SHA256Hash.of(salt + personal.canonicalFields).hex)
    }
}
