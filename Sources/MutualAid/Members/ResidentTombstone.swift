import Ledger

/// What an erasure keeps of a resident ID: a hash keyed by the ledger, so the same person
/// enrolling again is recognised without the ledger holding their ID.
///
/// The space of resident IDs is small enough to search, so this is pseudonymous, not
/// anonymous: it is kept beside the personal data, never in the log or a bundle, and it
/// only says "this ID was erased here", which the erasure event says anyway.
enum ResidentTombstone {
    static func hash(residentID: String, ledgerID: String) -> String {
        SHA256Hash.of(Array("huzhu-erased-resident-v1\u{0}\(ledgerID)\u{0}\(residentID)".utf8)).hex
    }
}
