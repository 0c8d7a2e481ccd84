/// What `LogVerifier` found.
public struct VerificationReport: Sendable {
    /// One broken rule at one event.
    public struct Failure: Sendable, Hashable, CustomStringConvertible {
        public let seq: Int64
        public let reason: String
        public var description: String { "seq \(seq): \(reason)" }
    }

    public let ledgerID: String
    public let eventCount: Int64
    public let rootHash: SHA256Hash
    public let checkpointsVerified: Int
    public let signaturesVerified: Int64
    /// Every failure found, in seq order. Verification stops reading the chain at the first
    /// broken link, since nothing after it can be trusted to be where it claims.
    public let failures: [Failure]

    public var isValid: Bool { failures.isEmpty }
    public var firstFailure: Failure? { failures.first }
}
