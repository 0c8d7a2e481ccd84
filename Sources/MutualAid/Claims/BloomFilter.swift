/// A fixed-size Bloom filter of strings: what a filing session has touched. It may answer
/// "perhaps" for a string it never saw, never "no" for one it did.
///
/// A batch reads ahead, as they stood when it began, each member's caps used and whether
/// each claim's settlement is on file (`ClaimantLookup`). Once the session has filed a claim
/// for that member, or with that settlement, those answers are stale and the session asks
/// its own transaction. Remembering every member and settlement would grow with the batch;
/// this holds 2 MiB whatever its size. With three probes, after a million strings about
/// one answer in 200 is a false "perhaps", which only costs a read.
struct BloomFilter {
    /// Allocated on the first insert, so a session filing one claim does not zero 2 MiB.
    private var words: [UInt64] = []
    private static let bitCount = 1 << 24

    mutating func insert(_ text: String) {
        if words.isEmpty { words = Array(repeating: 0, count: Self.bitCount / 64) }
        let (first, second) = Self.hashes(text)
        for probe in 0..<3 {
            let bit = (first &+ probe &* second) & (Self.bitCount - 1)
            words[bit >> 6] |= 1 << UInt64(bit & 63)
        }
    }

    /// False only if `text` was never inserted.
    func mayContain(_ text: String) -> Bool {
        guard !words.isEmpty else { return false }
        let (first, second) = Self.hashes(text)
        for probe in 0..<3 {
            let bit = (first &+ probe &* second) & (Self.bitCount - 1)
            if words[bit >> 6] & (1 << UInt64(bit & 63)) == 0 { return false }
        }
        return true
    }

    /// Two hashes from one 64-bit FNV-1a hash of the UTF-8; the probes are `first + i × second`.
    private static func hashes(_ text: String) -> (Int, Int) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return (Int(truncatingIfNeeded: hash & 0xffff_ffff), Int(truncatingIfNeeded: hash >> 32) | 1)
    }
}
