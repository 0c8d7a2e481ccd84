#!/usr/bin/env python3
"""Independent verifier for Huzhu ledgers, written from docs/FORMAT.md.

Uses only the Python standard library and the `cryptography` package's Ed25519.

    python3 tools/verify_ledger.py LEDGER.db
    python3 tools/verify_ledger.py --bundle DIR           # an auditor's bundle (docs/BUNDLE.md)
    python3 tools/verify_ledger.py --proof proof.json [--public-key HEX]
    python3 tools/verify_ledger.py LEDGER.db --proof proof.json

Exit status: 0 all checks hold, 1 a check failed, 2 bad usage or missing package.
"""

import argparse
import datetime
import hashlib
import json
import pathlib
import re
import sqlite3
import sys
import unicodedata

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
except ImportError:  # pragma: no cover
    print("verify_ledger.py needs the cryptography package: pip install cryptography", file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------------------
# Constants from FORMAT.md

INT_MAX = 2**53 - 1
ZERO_HASH = "0" * 64
CHECKPOINT_TYPE = "huzhu-checkpoint-v1"
INCLUSION_TYPE = "huzhu-inclusion-proof-v1"
CONSISTENCY_TYPE = "huzhu-consistency-proof-v1"
EVENT_FIELDS = frozenset(["ledger", "seq", "prev", "kind", "time", "actor", "data"])

# RolePolicy.ledgerCore: which roles may sign which core kinds.
CORE_ROLES = {
    "ledger.created": {"admin"},
    "key.registered": {"admin"},
    "key.revoked": {"admin"},
    "account.opened": {"admin"},
    "account.closed": {"admin"},
    "entry.posted": {"clerk"},
    "entry.reversed": {"clerk"},
    "checkpoint.signed": {"admin"},
    "period.closed": {"admin"},
}

HEX64 = re.compile(r"[0-9a-f]{64}\Z")
HEX16 = re.compile(r"[0-9a-f]{16}\Z")
TIME_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z\Z")


class Failure(Exception):
    """A failed check, reported as `FAIL seq N: reason`."""

    def __init__(self, seq, reason):
        super().__init__(reason)
        self.seq = seq
        self.reason = reason


# ---------------------------------------------------------------------------
# Canonical JSON (RFC 8785 as Huzhu restricts it)

class NotCanonical(ValueError):
    pass


def _refuse_float(text):
    raise NotCanonical("a number with a fraction or exponent (%s); only integers are allowed" % text)


def _refuse_constant(text):
    raise NotCanonical("%s is not JSON" % text)


def _object_pairs(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise NotCanonical("the key %r appears twice in one object" % key)
        result[key] = value
    return result


_DECODER = json.JSONDecoder(parse_float=_refuse_float, parse_constant=_refuse_constant,
                            object_pairs_hook=_object_pairs, strict=True)


def parse_json(data):
    """Parses UTF-8 JSON bytes strictly: no floats, no NaN, no duplicate keys."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NotCanonical("not UTF-8: %s" % error)
    try:
        return _DECODER.decode(text)
    except NotCanonical:
        raise
    except (ValueError, RecursionError) as error:
        raise NotCanonical("not JSON: %s" % error)


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\]')


def _escape(match):
    char = match.group(0)
    return _ESCAPES.get(char) or "\\u%04x" % ord(char)


def _nfc(text):
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def _write_string(text, out):
    text = _nfc(text)
    out.append('"')
    out.append(_NEEDS_ESCAPE.sub(_escape, text))
    out.append('"')


def _write(value, out):
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        if not -INT_MAX <= value <= INT_MAX:
            raise NotCanonical("the integer %d is outside ±(2^53 − 1)" % value)
        out.append(str(value))
    elif isinstance(value, str):
        _write_string(value, out)
    elif isinstance(value, list):
        out.append("[")
        for index, element in enumerate(value):
            if index:
                out.append(",")
            _write(element, out)
        out.append("]")
    elif isinstance(value, dict):
        keys = sorted(((_nfc(key), key) for key in value), key=lambda pair: pair[0].encode("utf-16-be"))
        out.append("{")
        for index, (key, original) in enumerate(keys):
            if index:
                if key == keys[index - 1][0]:
                    raise NotCanonical("two keys are equal after NFC normalisation: %r" % key)
                out.append(",")
            _write_string(key, out)
            out.append(":")
            _write(value[original], out)
        out.append("}")
    else:
        raise NotCanonical("a %s has no canonical JSON form" % type(value).__name__)


def canonical(value):
    """The canonical bytes of a JSON value (dict, list, str, int, bool, None)."""
    out = []
    _write(value, out)
    try:
        return "".join(out).encode("utf-8")
    except UnicodeEncodeError:
        raise NotCanonical("a string holds a lone surrogate")


# ---------------------------------------------------------------------------
# Hashing and the Merkle tree (RFC 6962 §2.1)

def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


EMPTY_ROOT = hashlib.sha256(b"").digest()


class MerkleStack:
    """The right edge of the tree: one (level, hash) per set bit of the size, at most 64."""

    def __init__(self):
        self.stack = []
        self.size = 0

    def append(self, leaf):
        level, value = 0, leaf
        while self.stack and self.stack[-1][0] == level:
            value = node_hash(self.stack.pop()[1], value)
            level += 1
        self.stack.append((level, value))
        self.size += 1

    def root(self):
        if not self.stack:
            return EMPTY_ROOT
        value = self.stack[-1][1]
        for _, left in reversed(self.stack[:-1]):
            value = node_hash(left, value)
        return value


def verify_inclusion(leaf, index, size, path, root):
    """RFC 9162 §2.1.3.2."""
    if not 0 <= index < size or len(leaf) != 32 or len(root) != 32:
        return False
    fn, sn, result = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            if not fn & 1:
                while fn != 0 and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            result = node_hash(result, sibling)
        fn >>= 1
        sn >>= 1
    return sn == 0 and result == root


def verify_consistency(old_size, new_size, old_root, new_root, path):
    """RFC 9162 §2.1.4.2. A proof from the empty tree is refused."""
    if not 0 < old_size <= new_size or len(old_root) != 32 or len(new_root) != 32:
        return False
    if old_size == new_size:
        return not path and old_root == new_root
    if not path:
        return False
    path = list(path)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for component in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(component, fr)
            sr = node_hash(component, sr)
            if not fn & 1:
                while fn != 0 and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, component)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root


# ---------------------------------------------------------------------------
# Keys and signatures

def key_id(raw_public_key):
    return hashlib.sha256(raw_public_key).hexdigest()[:16]


def ed25519_valid(public_key, signature, message):
    if len(signature) != 64:
        return False
    try:
        public_key.verify(signature, message)
        return True
    except InvalidSignature:
        return False


class Key:
    __slots__ = ("id", "raw", "public", "roles", "registered", "revoked", "holder")

    def __init__(self, raw, roles, registered, holder=""):
        self.id = key_id(raw)
        self.holder = holder
        self.raw = raw
        self.public = Ed25519PublicKey.from_public_bytes(raw)
        self.roles = roles
        self.registered = registered
        self.revoked = None


def key_from_registration(data, seq):
    """The key a `key.registered` data object (or ledger.created's `admin`) registers."""
    if not isinstance(data, dict):
        raise Failure(seq, "the key registration is not an object")
    public_hex = data.get("publicKey")
    roles = data.get("roles")
    if not isinstance(public_hex, str) or not HEX64.match(public_hex):
        raise Failure(seq, "the key registration's publicKey is not 64 lowercase hex digits")
    if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
        raise Failure(seq, "the key registration's roles is not an array of strings")
    try:
        key = Key(bytes.fromhex(public_hex), frozenset(roles), seq, data.get("holder") or "")
    except ValueError as error:
        raise Failure(seq, "the registered public key is not an Ed25519 key: %s" % error)
    if "keyId" in data and data["keyId"] != key.id:
        raise Failure(seq, "the registration says keyId %r but the public key's id is %s" % (data["keyId"], key.id))
    return key


# ---------------------------------------------------------------------------
# Field checks

def valid_time(text):
    match = TIME_RE.match(text) if isinstance(text, str) else None
    if not match:
        return False
    year, month, day, hour, minute, second = (int(part) for part in match.groups())
    if not 1 <= month <= 12 or hour > 23 or minute > 59 or second > 59:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return 1 <= day <= days


def check_postings(seq, data):
    postings = data.get("postings")
    if postings is None:
        return
    if not isinstance(postings, list) or len(postings) < 2:
        raise Failure(seq, "postings must be an array of at least two lines")
    debits = credits = 0
    for line in postings:
        if not isinstance(line, dict) or set(line) != {"account", "side", "amountFen"}:
            raise Failure(seq, "a posting must have exactly account, side and amountFen")
        amount = line["amountFen"]
        if not isinstance(line["account"], str) or isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise Failure(seq, "a posting needs an account code and a positive integer amountFen")
        if line["side"] == "debit":
            debits += amount
        elif line["side"] == "credit":
            credits += amount
        else:
            raise Failure(seq, "a posting's side must be debit or credit, not %r" % (line["side"],))
    if debits != credits:
        raise Failure(seq, "postings do not balance: debits %d fen, credits %d fen" % (debits, credits))


def lines_digest(lines):
    """One hash of a list of (account, side, amountFen) lines, in order."""
    return hashlib.sha256("".join("%s|%s|%d;" % line for line in lines).encode("utf-8")).digest()


def books_date(time):
    """The books' date (UTC+8, FORMAT §4 `date`) of a UTC time 2026-11-21T23:52:17Z, as YYYY-MM-DD."""
    moment = datetime.datetime.strptime(time, "%Y-%m-%dT%H:%M:%SZ") + datetime.timedelta(hours=8)
    return moment.strftime("%Y-%m-%d")


def parse_checkpoint(value, seq):
    """(ledger, treeSize, root bytes, time, keyId, signature bytes) of a checkpoint JSON object."""
    try:
        body = value["checkpoint"]
        if set(body) != {"ledger", "rootHash", "time", "treeSize", "type"} or body["type"] != CHECKPOINT_TYPE:
            raise ValueError("not a %s body" % CHECKPOINT_TYPE)
        size = body["treeSize"]
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise ValueError("bad treeSize")
        if not isinstance(body["ledger"], str) or not valid_time(body["time"]):
            raise ValueError("bad ledger or time")
        if not HEX64.match(body["rootHash"]) or not HEX16.match(value["keyId"]):
            raise ValueError("bad rootHash or keyId")
        if not re.fullmatch(r"[0-9a-f]{128}", value["signature"]):
            raise ValueError("bad signature")
        return (body["ledger"], size, bytes.fromhex(body["rootHash"]), body["time"], value["keyId"],
                bytes.fromhex(value["signature"]))
    except (KeyError, TypeError, ValueError) as error:
        raise Failure(seq, "malformed checkpoint: %s" % error)


def checkpoint_message(ledger, size, root, time):
    """The 32 bytes an administrator signs for a checkpoint."""
    body = {"ledger": ledger, "rootHash": root.hex(), "time": time, "treeSize": size, "type": CHECKPOINT_TYPE}
    return hashlib.sha256(canonical(body)).digest()


# ---------------------------------------------------------------------------
# The ledger

class LedgerVerifier:
    """One streaming pass over a log's events, from a ledger file or a bundle, enforcing the
    rules of FORMAT.md and BUNDLE.md that concern the log itself (the mutual-aid domain's
    rules are Huzhu's audit's; this verifier names them as not checked)."""

    def __init__(self, want_roots=()):
        self.keys = {}
        self.ledger = None
        self.first_event = None
        self.merkle = MerkleStack()
        self.prev = ZERO_HASH
        self.unknown_kinds = {}
        self.checkpoint_events = {}  # seq -> parsed checkpoint carried by that event
        self.checkpoint_rows = {}  # seq -> the checkpoint list's entry for it, once checked
        self.checkpoints_verified = 0
        self.month_totals = {}  # (account, "YYYY-MM") -> [debit fen, credit fen], for closing balances
        self.periods_closed = 0
        self.closed = {}  # "YYYY-MM" -> seq of its period.closed
        self.latest_closed = None
        self.originals = {}  # seq -> (kind, is a reversal, date, digest of its lines reversed), for reversals
        self.reversed_by = {}  # original seq -> reversal seq
        self.idempotency = {}  # key digest -> seq
        self.plan_files = {}  # "SEQ-FILE" -> (seq, SHA-256 hex) of each plan.published, for a bundle's plans/
        self.want_roots = set(want_roots)  # tree sizes whose roots a proof check needs
        self.roots = {}
        self.hashes = {}  # seq -> event hash, for the same
        self.want_hashes = set()

    def run(self, events, checkpoints, claimed_size=None):
        """`events` yields (seq, stored hash, body, signature) in order; `checkpoints` maps a
        tree size to its list entries (size, root, time, key id, signature, recording seq)."""
        expected = 1
        for seq, stored_hash, body, signature in events:
            if seq != expected:
                raise Failure(expected, "event %d is missing: the next stored event is %s" % (expected, seq))
            self.check_event(seq, stored_hash, body, signature)
            expected += 1
            for row in checkpoints.get(self.merkle.size, ()):
                self.check_checkpoint_row(row)
            if self.merkle.size in self.want_roots:
                self.roots[self.merkle.size] = self.merkle.root()
        size = self.merkle.size
        if size == 0:
            raise Failure(1, "the ledger has no events")
        if claimed_size is not None and size != claimed_size:
            raise Failure(size + 1, "the store counts %d events but only %d could be read" % (claimed_size, size))
        for tree_size, group in sorted(checkpoints.items()):
            if tree_size > size or tree_size < 1:
                raise Failure(group[0][5], "the checkpoint of tree size %d does not fit a log of %d events%s"
                              % (tree_size, size, " (the log was truncated)" if tree_size > size else ""))
        for seq in sorted(set(self.checkpoint_events) | set(self.checkpoint_rows)):
            if seq not in self.checkpoint_rows:
                raise Failure(seq, "the checkpoint carried by event %d is missing from the checkpoint list" % seq)
            if seq not in self.checkpoint_events:
                raise Failure(seq, "the checkpoint list names event %d, which records no such checkpoint" % seq)
            if self.checkpoint_rows[seq] != self.checkpoint_events[seq]:
                raise Failure(seq, "the checkpoint list's entry differs from the checkpoint carried by event %d" % seq)
        return size, self.merkle.root()

    def check_event(self, seq, stored_hash, body, signature):
        if not isinstance(body, bytes):
            raise Failure(seq, "the body is stored as %s, not a BLOB" % type(body).__name__)
        computed = leaf_hash(body)
        if stored_hash != computed:
            raise Failure(seq, "the stored hash does not equal SHA-256(0x00 || body): the event was altered")
        try:
            event = parse_json(body)
            if not isinstance(event, dict):
                raise NotCanonical("the body is not a JSON object")
            if canonical(event) != body:
                raise NotCanonical("re-encoding the body gives different bytes")
        except NotCanonical as error:
            raise Failure(seq, "the body is not canonical JSON: %s" % error)
        if set(event) != EVENT_FIELDS:
            raise Failure(seq, "the body must have exactly ledger, seq, prev, kind, time, actor and data")
        data, kind, actor = event["data"], event["kind"], event["actor"]
        if event["seq"] != seq or isinstance(event["seq"], bool):
            raise Failure(seq, "the event stored at seq %d says it is seq %r (events reordered)" % (seq, event["seq"]))
        if not isinstance(event["ledger"], str) or not event["ledger"]:
            raise Failure(seq, "ledger must be a non-empty string")
        if self.ledger is None:
            self.ledger = event["ledger"]
        elif event["ledger"] != self.ledger:
            raise Failure(seq, "the event belongs to ledger %s, not %s" % (event["ledger"], self.ledger))
        if not isinstance(event["prev"], str) or not HEX64.match(event["prev"]):
            raise Failure(seq, "prev is not 64 lowercase hex digits")
        if event["prev"] != self.prev:
            raise Failure(seq, "prev is %s, but the previous event's hash is %s" % (event["prev"], self.prev))
        if not isinstance(kind, str) or not kind:
            raise Failure(seq, "kind must be a non-empty string")
        if not valid_time(event["time"]):
            raise Failure(seq, "time is not a UTC time like 2026-11-21T23:52:17Z")
        if not isinstance(actor, str) or not HEX16.match(actor):
            raise Failure(seq, "actor is not a key id (16 lowercase hex digits)")
        if not isinstance(data, dict):
            raise Failure(seq, "data is not an object")
        check_postings(seq, data)

        key = self.signer(seq, kind, actor, data)
        if not isinstance(signature, bytes) or not ed25519_valid(key.public, signature, computed):
            raise Failure(seq, "the Ed25519 signature by key %s does not verify" % actor)
        self.apply(seq, kind, data, event["time"])
        if seq == 1:
            self.first_event = event
        self.prev = computed.hex()
        self.merkle.append(computed)
        if seq in self.want_hashes:
            self.hashes[seq] = computed

    def signer(self, seq, kind, actor, data):
        if seq == 1:
            if kind != "ledger.created":
                raise Failure(1, "the first event must be ledger.created, not %s" % kind)
            key = key_from_registration(data.get("admin"), 1)
            if key.id != actor:
                raise Failure(1, "ledger.created must be signed by the administrator key it registers (%s), not %s"
                              % (key.id, actor))
            if "admin" not in key.roles:
                raise Failure(1, "ledger.created must register a key with the admin role")
            return key
        if kind == "ledger.created":
            raise Failure(seq, "ledger.created may only be the first event")
        key = self.keys.get(actor)
        if key is None:
            raise Failure(seq, "signed by key %s, which is not registered before this event" % actor)
        if key.revoked is not None:
            raise Failure(seq, "signed by key %s, which was revoked at seq %d" % (actor, key.revoked))
        allowed = CORE_ROLES.get(kind)
        if allowed is None:
            self.unknown_kinds[kind] = self.unknown_kinds.get(kind, 0) + 1
        elif not allowed & key.roles:
            raise Failure(seq, "key %s (roles %s) may not sign %s, which needs %s"
                          % (actor, ",".join(sorted(key.roles)) or "none", kind, " or ".join(sorted(allowed))))
        return key

    def apply(self, seq, kind, data, time):
        if kind == "period.closed":
            # Before this event's own postings (it has none) and before the totals change.
            self.check_close(seq, data, time)
        date = data.get("date")
        if date is not None:
            self.check_open_month(seq, date)
        self.check_idempotency_key(seq, data.get("idempotencyKey"))
        postings = data.get("postings")
        if postings:
            if not isinstance(date, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
                raise Failure(seq, "an event with postings needs a date YYYY-MM-DD")
            for line in postings:
                cell = self.month_totals.setdefault((line["account"], date[:7]), [0, 0])
                cell[0 if line["side"] == "debit" else 1] += line["amountFen"]
            reversed_lines = [(line["account"], "credit" if line["side"] == "debit" else "debit", line["amountFen"])
                              for line in postings]
            self.originals[seq] = (kind, "reverses" in data, date, lines_digest(reversed_lines))
        if "reverses" in data:
            self.check_reversal(seq, kind, data)
        if kind == "plan.published" and isinstance(data.get("sourceSHA256"), str):
            self.plan_files["%d-%s" % (seq, data.get("file") or "plan.toml")] = (seq, data["sourceSHA256"])
        if kind == "ledger.created":
            key = key_from_registration(data.get("admin"), seq)
            self.keys[key.id] = key
        elif kind == "key.registered":
            key = key_from_registration(data, seq)
            if key.id in self.keys:
                raise Failure(seq, "key %s is already registered (at seq %d)" % (key.id, self.keys[key.id].registered))
            self.keys[key.id] = key
        elif kind == "key.revoked":
            target = data.get("keyId")
            if target not in self.keys:
                raise Failure(seq, "revokes key %r, which is not registered" % (target,))
            if self.keys[target].revoked is not None:
                raise Failure(seq, "revokes key %s, already revoked at seq %d" % (target, self.keys[target].revoked))
            self.keys[target].revoked = seq
        elif kind == "checkpoint.signed" or (kind == "period.closed" and "checkpoint" in data):
            # Both carry a checkpoint of exactly the events before them (a month close signs
            # the tree head too).
            parsed = parse_checkpoint(data.get("checkpoint"), seq)
            ledger, size, root, _, _, _ = parsed
            if ledger != self.ledger:
                raise Failure(seq, "the checkpoint names ledger %s, not %s" % (ledger, self.ledger))
            if size != seq - 1:
                raise Failure(seq, "the checkpoint covers %d events, but the %s event carrying it must cover the %d before it"
                              % (size, kind, seq - 1))
            if root != self.merkle.root():
                raise Failure(seq, "the checkpoint's root %s is not the root of the first %d events, %s"
                              % (root.hex(), size, self.merkle.root().hex()))
            self.check_checkpoint_signature(seq, parsed)
            self.checkpoint_events[seq] = parsed

    def check_open_month(self, seq, date):
        """Nothing is dated into a closed month, nor before the latest one (BUNDLE §8)."""
        if not isinstance(date, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            return
        month = date[:7]
        if month in self.closed:
            raise Failure(seq, "dated %s, in the month %s that was closed at seq %d" % (date, month, self.closed[month]))
        if self.latest_closed is not None and month < self.latest_closed:
            raise Failure(seq, "dated %s, before the month %s that was closed at seq %d; months close in order"
                          % (date, self.latest_closed, self.closed[self.latest_closed]))

    def check_close(self, seq, data, time):
        """A month close (BUNDLE §8): once, after the month ended (UTC+8), in order, with no
        earlier month with entries open, and closing balances the postings reproduce."""
        period = data.get("period")
        if not isinstance(period, str) or not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", period):
            raise Failure(seq, "period.closed needs a period YYYY-MM")
        if period in self.closed:
            raise Failure(seq, "the month %s is closed again; it was closed at seq %d" % (period, self.closed[period]))
        if books_date(time)[:7] <= period:
            raise Failure(seq, "the close of %s was recorded at %s, before the month ended (UTC+8)" % (period, time))
        if self.latest_closed is not None and period < self.latest_closed:
            raise Failure(seq, "%s was closed after %s, which had already shut every month before it" % (period, self.latest_closed))
        open_months = sorted({month for (_, month), cell in self.month_totals.items()
                              if month < period and month not in self.closed and cell != [0, 0]
                              and (self.latest_closed is None or month > self.latest_closed)})
        if open_months:
            raise Failure(seq, "%s was closed while earlier months with entries were open: %s" % (period, ", ".join(open_months)))
        self.check_closing_balances(seq, period, data.get("closingBalances"))
        self.closed[period] = seq
        if self.latest_closed is None or period > self.latest_closed:
            self.latest_closed = period

    def check_reversal(self, seq, kind, data):
        """A reversal undoes exactly one earlier entry, once (FORMAT §5, BUNDLE §10 books.reversals)."""
        original = data["reverses"]
        if isinstance(original, bool) or not isinstance(original, int) or not 1 <= original < seq:
            raise Failure(seq, "the reversal names no earlier event (reverses %r)" % (original,))
        if original in self.reversed_by:
            raise Failure(seq, "event %d is reversed twice, by %d and %d" % (original, self.reversed_by[original], seq))
        self.reversed_by[original] = seq
        made = self.originals.get(original)
        if made is None:
            raise Failure(seq, "event %d reverses event %d, which posts nothing" % (seq, original))
        original_kind, is_reversal, original_date, reversed_lines = made
        if is_reversal:
            raise Failure(seq, "event %d reverses event %d, which is itself a reversal" % (seq, original))
        if kind == "entry.reversed" and original_kind != "entry.posted":
            raise Failure(seq, "event %d, an entry.reversed, reverses event %d, a domain money event (%s)" % (seq, original, original_kind))
        date = data.get("date")
        if isinstance(date, str) and isinstance(original_date, str) and date < original_date:
            raise Failure(seq, "event %d, dated %s, reverses event %d dated %s: before it was made" % (seq, date, original, original_date))
        lines = [(line["account"], line["side"], line["amountFen"]) for line in data.get("postings") or []]
        if lines_digest(lines) != reversed_lines:
            raise Failure(seq, "event %d does not post event %d's lines on the opposite sides" % (seq, original))

    def check_idempotency_key(self, seq, key):
        """An idempotency key is unique across the ledger (FORMAT §4)."""
        if key is None:
            return
        digest = hashlib.sha256(str(key).encode("utf-8")).digest()[:16]
        if digest in self.idempotency:
            raise Failure(seq, "events %d and %d carry one idempotency key %r" % (self.idempotency[digest], seq, key))
        self.idempotency[digest] = seq

    def check_closing_balances(self, seq, period, summary):
        """A month close's closingBalances summary (docs/BUNDLE.md §8), when it carries one."""
        if summary is None:
            return
        sums = {}
        for (account, month), (debit, credit) in self.month_totals.items():
            if month <= period and (debit or credit):
                cell = sums.setdefault(account, [0, 0])
                cell[0] += debit
                cell[1] += credit
        accounts = [{"account": code, "creditFen": sums[code][1], "debitFen": sums[code][0]}
                    for code in sorted(sums) if sums[code] != [0, 0]]
        body = {"accounts": accounts, "period": period, "type": "huzhu-closing-balances-v1"}
        year, month = int(period[:4]), int(period[5:])
        last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
                31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        want = {"accounts": len(accounts), "creditFen": sum(line["creditFen"] for line in accounts),
                "debitFen": sum(line["debitFen"] for line in accounts),
                "digest": hashlib.sha256(canonical(body)).hexdigest(), "through": "%s-%02d" % (period, last)}
        if summary != want:
            raise Failure(seq, "the closing balances of %s do not match the postings before the close: recorded %s, computed %s"
                          % (period, json.dumps(summary, sort_keys=True), json.dumps(want, sort_keys=True)))
        self.periods_closed += 1

    def check_checkpoint_signature(self, seq, parsed):
        ledger, size, root, time, signer, signature = parsed
        key = self.keys.get(signer)
        if key is None or "admin" not in key.roles or key.revoked is not None:
            raise Failure(seq, "the checkpoint of tree size %d is signed by %s, not a valid administrator key" % (size, signer))
        if not ed25519_valid(key.public, signature, checkpoint_message(ledger, size, root, time)):
            raise Failure(seq, "the checkpoint of tree size %d has an invalid signature" % size)

    def check_checkpoint_row(self, row):
        size, root, time, signer, signature, seq = row
        if not isinstance(root, bytes) or len(root) != 32 or not isinstance(signature, bytes) or len(signature) != 64:
            raise Failure(seq, "the checkpoint row of tree size %d has a malformed root or signature" % size)
        if not valid_time(time) or not isinstance(signer, str) or not HEX16.match(signer):
            raise Failure(seq, "the checkpoint row of tree size %d has a malformed time or key id" % size)
        if root != self.merkle.root():
            raise Failure(seq, "the checkpoint of tree size %d has root %s, but the first %d events give %s"
                          % (size, root.hex(), size, self.merkle.root().hex()))
        self.check_checkpoint_signature(seq, (self.ledger, size, root, time, signer, signature))
        if seq in self.checkpoint_rows:
            raise Failure(seq, "two checkpoint rows name seq %d" % seq)
        self.checkpoint_rows[seq] = (self.ledger, size, root, time, signer, signature)
        self.checkpoints_verified += 1


# ---------------------------------------------------------------------------
# Proof files

def hex_hash(value, what):
    if not isinstance(value, str) or not HEX64.match(value):
        raise ValueError("%s is not 64 lowercase hex digits" % what)
    return bytes.fromhex(value)


def positive_int(value, what, minimum):
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError("%s must be an integer ≥ %d" % (what, minimum))
    return value


def load_proof(path):
    with open(path, "rb") as handle:
        proof = parse_json(handle.read())
    if not isinstance(proof, dict):
        raise ValueError("the file is not a JSON object")
    kind = proof.get("type")
    if not isinstance(proof.get("ledger"), str) or not isinstance(proof.get("proof"), list):
        raise ValueError("a proof needs ledger and proof")
    path_hashes = [hex_hash(item, "a proof hash") for item in proof["proof"]]
    if kind == INCLUSION_TYPE:
        seq = positive_int(proof.get("seq"), "seq", 1)
        if "leafIndex" in proof and proof["leafIndex"] != seq - 1:
            raise ValueError("leafIndex must be seq − 1")
        return {"type": kind, "ledger": proof["ledger"], "seq": seq,
                "treeSize": positive_int(proof.get("treeSize"), "treeSize", 1),
                "leafHash": hex_hash(proof.get("leafHash"), "leafHash"),
                "rootHash": hex_hash(proof.get("rootHash"), "rootHash"),
                "path": path_hashes, "checkpoint": proof.get("checkpoint")}
    if kind == CONSISTENCY_TYPE:
        old = positive_int(proof.get("oldSize"), "oldSize", 0)
        if old == 0:
            raise ValueError("a consistency proof from size 0 proves nothing and is refused")
        return {"type": kind, "ledger": proof["ledger"], "oldSize": old,
                "newSize": positive_int(proof.get("newSize"), "newSize", 1),
                "oldRootHash": hex_hash(proof.get("oldRootHash"), "oldRootHash"),
                "newRootHash": hex_hash(proof.get("newRootHash"), "newRootHash"),
                "path": path_hashes}
    raise ValueError("type must be %s or %s" % (INCLUSION_TYPE, CONSISTENCY_TYPE))


def check_proof(proof, public_key_hex=None, verifier=None):
    """Returns the lines to print; raises Failure (seq 0 for a proof file) on a failed check."""
    lines = []
    if proof["type"] == INCLUSION_TYPE:
        if not verify_inclusion(proof["leafHash"], proof["seq"] - 1, proof["treeSize"], proof["path"], proof["rootHash"]):
            raise Failure(proof["seq"], "the inclusion proof does not verify")
        lines.append("ok: event %d (leaf %s) is in the tree of %d events with root %s"
                     % (proof["seq"], proof["leafHash"].hex(), proof["treeSize"], proof["rootHash"].hex()))
        if proof["checkpoint"] is not None:
            ledger, size, root, time, signer, signature = parse_checkpoint(proof["checkpoint"], proof["seq"])
            if (ledger, size, root) != (proof["ledger"], proof["treeSize"], proof["rootHash"]):
                raise Failure(proof["seq"], "the embedded checkpoint is for another tree (size %d)" % size)
            message = checkpoint_message(ledger, size, root, time)
            key = None
            if public_key_hex is not None:
                key = Ed25519PublicKey.from_public_bytes(hex_hash(public_key_hex, "--public-key"))
                if key_id(bytes.fromhex(public_key_hex)) != signer:
                    raise Failure(proof["seq"], "the checkpoint names key %s, not the given public key" % signer)
            elif verifier is not None and signer in verifier.keys and "admin" in verifier.keys[signer].roles:
                key = verifier.keys[signer].public
            if key is None:
                lines.append("checkpoint signed by key %s at %s: signature not checked (pass --public-key HEX or the ledger)"
                             % (signer, time))
            elif not ed25519_valid(key, signature, message):
                raise Failure(proof["seq"], "the embedded checkpoint's signature does not verify")
            else:
                lines.append("ok: checkpoint of tree size %d signed by %s at %s" % (size, signer, time))
        if verifier is not None:
            if proof["ledger"] != verifier.ledger:
                raise Failure(proof["seq"], "the proof is for ledger %s, not %s" % (proof["ledger"], verifier.ledger))
            if verifier.hashes.get(proof["seq"]) != proof["leafHash"] or verifier.roots.get(proof["treeSize"]) != proof["rootHash"]:
                raise Failure(proof["seq"], "the proof's leaf or root differs from the ledger's")
            lines.append("ok: the leaf and root match the ledger")
    else:
        if not verify_consistency(proof["oldSize"], proof["newSize"], proof["oldRootHash"], proof["newRootHash"], proof["path"]):
            raise Failure(proof["newSize"], "the consistency proof does not verify")
        lines.append("ok: the tree of %d events (root %s) is a prefix of the tree of %d events (root %s)"
                     % (proof["oldSize"], proof["oldRootHash"].hex(), proof["newSize"], proof["newRootHash"].hex()))
        if verifier is not None:
            if proof["ledger"] != verifier.ledger:
                raise Failure(proof["newSize"], "the proof is for ledger %s, not %s" % (proof["ledger"], verifier.ledger))
            if (verifier.roots.get(proof["oldSize"]) != proof["oldRootHash"]
                    or verifier.roots.get(proof["newSize"]) != proof["newRootHash"]):
                raise Failure(proof["newSize"], "the proof's roots differ from the ledger's")
            lines.append("ok: both roots match the ledger")
    return lines


# ---------------------------------------------------------------------------
# Sources: a ledger file, or an auditor's bundle

def verify_ledger_file(path, verifier):
    """Reads `SELECT seq, hash, body, signature FROM events ORDER BY seq` (FORMAT §12)."""
    uri = pathlib.Path(path).resolve().as_uri() + "?mode=ro"
    db = sqlite3.connect(uri, uri=True)
    try:
        rows = db.execute("SELECT tree_size, root, time, key_id, signature, seq FROM checkpoints ORDER BY tree_size, seq").fetchall()
    except sqlite3.DatabaseError as error:
        raise Failure(1, "cannot read the checkpoints table: %s" % error)
    checkpoints = {}
    for row in rows:
        checkpoints.setdefault(row[0], []).append(row)
    try:
        events = db.execute("SELECT seq, hash, body, signature FROM events ORDER BY seq")
    except sqlite3.DatabaseError as error:
        raise Failure(1, "not a Huzhu ledger file: %s" % error)
    size, root = verifier.run(events, checkpoints)
    try:
        info = db.execute("SELECT id FROM ledger_info").fetchall()
    except sqlite3.DatabaseError:
        info = None
    if info is not None and info != [(verifier.ledger,)]:
        raise Failure(1, "the ledger_info table names %r, but the events name ledger %s" % (info, verifier.ledger))
    return size, root


class BundleFailure(Exception):
    """A failed rule about the bundle as a whole (its manifest or files), reported as `FAIL bundle: reason`."""


BUNDLE_TYPE = "huzhu-audit-bundle-v1"
BUNDLE_DATA_FILES = ["events.jsonl", "signatures.tsv", "checkpoints.jsonl", "keys.json"]
MANIFEST_KEYS = {"type", "ledger", "name", "events", "rootHash", "checkpoints", "newestCheckpoint", "keys", "plans",
                 "files", "exportedAt"}


def bundle_lines(path):
    """The lines of a bundle file, each of which must end with a line feed (BUNDLE §1)."""
    data = pathlib.Path(path).read_bytes()
    if not data:
        return []
    if not data.endswith(b"\n"):
        raise BundleFailure("%s: the last line lacks its line feed" % path.name)
    return data[:-1].split(b"\n")


def verify_bundle(directory, verifier):
    """Checks an auditor's bundle as docs/BUNDLE.md §7 describes, with no database."""
    folder = pathlib.Path(directory)
    try:
        manifest_bytes = (folder / "manifest.json").read_bytes()
    except OSError:
        raise BundleFailure("manifest.json is missing: %s is not an auditor's bundle" % directory)
    try:
        manifest = parse_json(manifest_bytes[:-1] if manifest_bytes.endswith(b"\n") else manifest_bytes)
    except NotCanonical as error:
        raise BundleFailure("manifest.json is not JSON: %s" % error)
    if not isinstance(manifest, dict) or manifest.get("type") != BUNDLE_TYPE:
        raise BundleFailure("manifest.json is not a %s manifest" % BUNDLE_TYPE)
    claimed = manifest.get("events")
    if isinstance(claimed, bool) or not isinstance(claimed, int) or claimed < 0:
        raise BundleFailure("manifest.json lacks ledger or events")

    checkpoints = {}
    listed = []
    for number, line in enumerate(bundle_lines(folder / "checkpoints.jsonl"), 1):
        try:
            entry = parse_json(line)
            if canonical(entry) != line or set(entry) != {"checkpoint", "seq"}:
                raise NotCanonical("not {checkpoint, seq} in canonical JSON")
            parsed = parse_checkpoint(entry["checkpoint"], entry["seq"])
        except (NotCanonical, Failure, TypeError) as error:
            raise BundleFailure("checkpoints.jsonl line %d is not a recorded checkpoint: %s" % (number, error))
        ledger, size, root, time, signer, signature = parsed
        checkpoints.setdefault(size, []).append((size, root, time, signer, signature, entry["seq"]))
        listed.append(entry)
    if [entry["checkpoint"]["checkpoint"]["treeSize"] for entry in listed] != sorted(
            entry["checkpoint"]["checkpoint"]["treeSize"] for entry in listed):
        raise BundleFailure("checkpoints.jsonl is not in tree-size order")

    def events():
        bodies = bundle_lines(folder / "events.jsonl")
        seals = bundle_lines(folder / "signatures.tsv")
        for index in range(max(len(bodies), len(seals))):
            seq = index + 1
            if index >= len(bodies) or index >= len(seals):
                longer = "events.jsonl" if index < len(bodies) else "signatures.tsv"
                raise Failure(seq, "%s has a line for seq %d, but the other file ends before it" % (longer, seq))
            fields = seals[index].split(b"\t")
            if (len(fields) != 3 or fields[0] != str(seq).encode() or not HEX64.match(fields[1].decode("ascii", "replace"))
                    or not re.fullmatch(r"[0-9a-f]{128}", fields[2].decode("ascii", "replace"))):
                raise Failure(seq, "signatures.tsv line %d is not \"seq TAB hash TAB signature\" for seq %d" % (seq, seq))
            yield seq, bytes.fromhex(fields[1].decode()), bodies[index], bytes.fromhex(fields[2].decode())

    size, root = verifier.run(events(), checkpoints, claimed)

    # Everything but the events is derived from them and compared (BUNDLE §1, §2, §5, §6).
    if manifest.get("rootHash") != root.hex():
        raise Failure(size, "the manifest states root %s, but the events give %s" % (manifest.get("rootHash"), root.hex()))
    derived = sorted(({"holder": key.holder, "keyId": key.id, "publicKey": key.raw.hex(), "registeredSeq": key.registered,
                       "revokedSeq": key.revoked, "roles": sorted(key.roles)} for key in verifier.keys.values()),
                     key=lambda entry: entry["registeredSeq"])
    try:
        keys = parse_json((folder / "keys.json").read_bytes().rstrip(b"\n"))
    except (OSError, NotCanonical):
        raise BundleFailure("keys.json is missing or not JSON")
    if keys != derived:
        raise BundleFailure("keys.json does not list the keys the events register, as they register them")
    if canonical(manifest) + b"\n" != manifest_bytes:
        raise BundleFailure("manifest.json is not canonical JSON followed by one line feed")
    if set(manifest) != MANIFEST_KEYS:
        raise BundleFailure("manifest.json does not have exactly the keys of BUNDLE §2")
    first = verifier.first_event
    if manifest.get("ledger") != first["ledger"]:
        raise BundleFailure("the manifest names ledger %s, but event 1 creates %s" % (manifest.get("ledger"), first["ledger"]))
    if manifest.get("name") != (first["data"].get("name") or ""):
        raise BundleFailure("the manifest names the ledger %r, but event 1 names it %r" % (manifest.get("name"), first["data"].get("name")))
    if manifest.get("files") != BUNDLE_DATA_FILES:
        raise BundleFailure("the manifest's files are not %s, in that order" % ", ".join(BUNDLE_DATA_FILES))
    if not valid_time(manifest.get("exportedAt")):
        raise BundleFailure("the manifest's exportedAt is not a time as FORMAT §3 writes it")
    if manifest.get("checkpoints") != len(listed):
        raise BundleFailure("the manifest counts %r checkpoints, checkpoints.jsonl holds %d" % (manifest.get("checkpoints"), len(listed)))
    if manifest.get("newestCheckpoint") != (listed[-1] if listed else None):
        raise BundleFailure("the manifest's newest checkpoint is not the last of checkpoints.jsonl")
    if manifest.get("keys") != len(keys):
        raise BundleFailure("the manifest counts %r keys, keys.json holds %d" % (manifest.get("keys"), len(keys)))
    plans = folder / "plans"
    present = sorted(path.name for path in plans.iterdir()) if plans.is_dir() else []
    if manifest.get("plans") != len(present):
        raise BundleFailure("the manifest counts %r plan files, plans/ holds %d" % (manifest.get("plans"), len(present)))
    for name, (seq, digest) in sorted(verifier.plan_files.items()):
        path = plans / name
        if not path.is_file():
            raise Failure(seq, "the plan file plans/%s is missing" % name)
        if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            raise Failure(seq, "plans/%s is not the published text (its SHA-256 differs)" % name)
    for name in present:
        if name not in verifier.plan_files:
            raise BundleFailure("plans/%s is not the file of any plan.published event" % name)
    allowed = set(BUNDLE_DATA_FILES) | {"manifest.json", "plans"}
    for path in sorted(folder.iterdir()):
        if path.name not in allowed:
            raise BundleFailure("the bundle holds %s, which a bundle does not (BUNDLE §1 lists every file)" % path.name)
    return size, root


# ---------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Independently verify a Huzhu ledger file (SQLite) or a proof from `huzhu proof`.")
    parser.add_argument("ledger", nargs="?", help="the ledger file, e.g. huzhu.db (opened read-only)")
    parser.add_argument("--bundle", metavar="DIR", help="an auditor's bundle from `huzhu audit export` (docs/BUNDLE.md)")
    parser.add_argument("--proof", metavar="FILE", help="an inclusion or consistency proof JSON file to check")
    parser.add_argument("--public-key", metavar="HEX",
                        help="administrator public key expected to sign a proof's embedded checkpoint")
    args = parser.parse_args(argv)
    if args.ledger is None and args.proof is None and args.bundle is None:
        parser.error("give a ledger file, --bundle DIR, --proof FILE, or a ledger or bundle with a proof")
    if args.ledger is not None and args.bundle is not None:
        parser.error("give a ledger file or a bundle, not both")

    proof = None
    if args.proof is not None:
        try:
            proof = load_proof(args.proof)
        except (OSError, ValueError) as error:
            print("FAIL proof %s: %s" % (args.proof, error))
            return 1

    verifier = None
    if args.ledger is not None or args.bundle is not None:
        if args.ledger is not None and not pathlib.Path(args.ledger).is_file():
            print("verify_ledger.py: no such file: %s" % args.ledger, file=sys.stderr)
            return 2
        if args.bundle is not None and not pathlib.Path(args.bundle).is_dir():
            print("verify_ledger.py: no such folder: %s" % args.bundle, file=sys.stderr)
            return 2
        want = ()
        if proof is not None:
            want = [proof["treeSize"]] if proof["type"] == INCLUSION_TYPE else [proof["oldSize"], proof["newSize"]]
        try:
            verifier = LedgerVerifier(want)
            if proof is not None and proof["type"] == INCLUSION_TYPE:
                verifier.want_hashes.add(proof["seq"])
            if args.bundle is not None:
                size, root = verify_bundle(args.bundle, verifier)
            else:
                size, root = verify_ledger_file(args.ledger, verifier)
        except Failure as failure:
            print("FAIL seq %d: %s" % (failure.seq, failure.reason))
            return 1
        except BundleFailure as failure:
            print("FAIL bundle: %s" % failure)
            return 1
        except OSError as error:
            print("FAIL bundle: cannot read %s" % error)
            return 1
        except sqlite3.DatabaseError as error:
            print("FAIL seq 1: cannot read the ledger: %s" % error)
            return 1
        print("ok: %d events, root %s" % (size, root.hex()))
        print("ledger %s; %d keys; %d checkpoints verified; %d month closes with closing balances verified"
              % (verifier.ledger, len(verifier.keys), verifier.checkpoints_verified, verifier.periods_closed))
        if verifier.unknown_kinds:
            kinds = ", ".join("%s (%d)" % item for item in sorted(verifier.unknown_kinds.items()))
            print("note: kinds outside the core, checked for key registration and revocation but not roles: " + kinds)
            print("note: the mutual-aid domain's own rules (claims, contributions, the fund's controls) are checked by "
                  "`huzhu audit` and `huzhu verify --bundle`, not here")

    if proof is not None:
        try:
            for line in check_proof(proof, args.public_key, verifier):
                print(line)
        except Failure as failure:
            print("FAIL seq %d: %s" % (failure.seq, failure.reason))
            return 1
        except ValueError as error:
            print("FAIL proof %s: %s" % (args.proof, error))
            return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into head
        sys.exit(1)
