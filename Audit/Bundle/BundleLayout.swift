/// The files of an auditor's bundle (docs/BUNDLE.md describes every byte).
///
/// ```
/// DIR/manifest.json       what the bundle holds: ledger, counts, root, newest checkpoint, file digests
/// DIR/events.jsonl        line i = the canonical body of event seq i, exactly as hashed
/// DIR/signatures.tsv      line i = seq TAB event hash (hex) TAB signature (hex)
/// DIR/checkpoints.jsonl   one signed checkpoint per line, with the seq of the event that recorded it
/// DIR/keys.json           every registered key: id, public key, roles, holder, registered and revoked seqs
/// DIR/plans/SEQ-FILE      each published plan file's text; its SHA-256 is in the signed plan.published event
/// ```
///
/// Everything but the events and signatures is derivable from them; a verifier derives it
/// and compares, so nothing in a bundle is taken on trust.
public enum BundleLayout {
    public static let type = "huzhu-audit-bundle-v1"
    public static let manifest = "manifest.json"
    public static let events = "events.jsonl"
    public static let signatures = "signatures.tsv"
    public static let checkpoints = "checkpoints.jsonl"
    public static let keys = "keys.json"

    /// The files the manifest lists with their digests, in this order.
    public static let dataFiles = [events, signatures, checkpoints, keys]
}
