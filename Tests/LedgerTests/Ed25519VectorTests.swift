import Foundation
import Testing
@testable import Ledger

/// Wycheproof's Ed25519 vectors (see Fixtures/ed25519/README.md): every valid signature
/// verifies, every invalid one (malleable S, bad encodings, garbage) is rejected.
@Suite("Ed25519: Wycheproof vectors")
struct Ed25519VectorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let id: Int
        let publicKey: String
        let message: String
        let signature: String
        let valid: Bool
        var testDescription: String { "tcId \(id)" }
    }

    static let cases: [Case] = {
        let url = Fixtures.directory.appendingPathComponent("ed25519/wycheproof_ed25519_test.json")
        let root = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        var cases: [Case] = []
        for group in root["testGroups"] as! [[String: Any]] {
            let key = (group["publicKey"] as! [String: Any])["pk"] as! String
            for test in group["tests"] as! [[String: Any]] {
                cases.append(Case(id: test["tcId"] as! Int, publicKey: key, message: test["msg"] as! String,
                                  signature: test["sig"] as! String, valid: test["result"] as! String == "valid"))
            }
        }
        return cases
    }()

    @Test("all 151 vectors are loaded")
    func count() { #expect(Self.cases.count == 151) }

    @Test("each vector", arguments: Ed25519VectorTests.cases)
    func vector(_ test: Case) throws {
        guard let keyBytes = Hex.decode(test.publicKey), let key = try? PublicKey(rawBytes: keyBytes) else {
            #expect(!test.valid, "a valid vector's key must load")
            return
        }
        let signature = Hex.decode(test.signature) ?? []
        #expect(key.isValidSignature(signature, for: Hex.decode(test.message)!) == test.valid)
    }

    @Test("a signature by our own keys verifies, and a key id is 16 hex digits of SHA-256 of the public key")
    func ownKeys() throws {
        let key = SigningKey()
        let message = Array("event hash".utf8)
        #expect(key.publicKey.isValidSignature(key.sign(message), for: message))
        #expect(!key.publicKey.isValidSignature(key.sign(message), for: Array("other".utf8)))
        #expect(key.id.value == String(SHA256Hash.of(key.publicKey.rawBytes).hex.prefix(16)))
    }

    @Test("key files are written 0600 and refused when others can read them")
    func keyFiles() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("k.key")
        let key = SigningKey()
        try key.write(to: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as! NSNumber).intValue == 0o600)
        #expect(try SigningKey.load(from: path).publicKey == key.publicKey)
        #expect(throws: LedgerInputError.self) { try key.write(to: path) }
        chmod(path, 0o644)
        #expect(throws: LedgerInputError.self) { try SigningKey.load(from: path) }
    }
}
