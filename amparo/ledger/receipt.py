"""Receipts in the c2sp.org/tlog-proof@v1 format: an offline-verifiable proof that an entry is in the log.

c2sp.org/tlog-proof@v1
extra <base64>              (optional, unauthenticated application data)
index <N>
<base64 inclusion proof hash, leaf side first>   (zero or more lines)
<empty line>
<the signed checkpoint, verbatim>
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from amparo.ledger.checkpoint import Checkpoint, open_checkpoint, parse_checkpoint
from amparo.ledger.encoding import b64decode_strict
from amparo.ledger.errors import VerificationError
from amparo.ledger.merkle import HASH_SIZE, leaf_hash, verify_inclusion
from amparo.ledger.note import NoteVerifier

HEADER = "c2sp.org/tlog-proof@v1"
_INDEX_RE = re.compile(r"index (0|[1-9][0-9]{0,19})")
MAX_RECEIPT_SIZE = 1 << 20


@dataclass(frozen=True)
class Receipt:
    index: int
    proof: tuple[bytes, ...]
    checkpoint: bytes  # the signed checkpoint note, verbatim
    extra: bytes | None = None


@dataclass(frozen=True)
class Verified:
    """What a receipt proves once verified."""

    origin: str
    tree_size: int
    root: bytes
    index: int
    leaf_hash: bytes
    key_name: str
    checkpoint: Checkpoint
    extra: bytes | None


def make_receipt(
    checkpoint: bytes, index: int, proof: Sequence[bytes], *, extra: bytes | None = None
) -> bytes:
    """Assemble a receipt from a signed checkpoint, the entry index and its inclusion proof."""
    if index < 0:
        raise ValueError("entry index must not be negative")
    lines = [HEADER]
    if extra is not None:
        lines.append("extra " + base64.b64encode(extra).decode("ascii"))
    lines.append(f"index {index}")
    for h in proof:
        if len(h) != HASH_SIZE:
            raise ValueError("inclusion proof hashes are 32 bytes")
        lines.append(base64.b64encode(h).decode("ascii"))
    return ("\n".join(lines) + "\n\n").encode("ascii") + checkpoint


def _b64(value: str, what: str) -> bytes:
    try:
        return b64decode_strict(value)
    except (binascii.Error, UnicodeEncodeError, ValueError) as exc:
        raise VerificationError(f"receipt {what} is not valid base64") from exc


def parse_receipt(data: bytes) -> Receipt:
    """Split a receipt into its parts (no verification)."""
    if len(data) > MAX_RECEIPT_SIZE:
        raise VerificationError("receipt is too large")
    head, sep, checkpoint = data.partition(b"\n\n")
    if not sep:
        raise VerificationError("receipt has no empty line before its checkpoint")
    try:
        lines = head.decode("ascii").split("\n")
    except UnicodeDecodeError as exc:
        raise VerificationError("receipt header is not ASCII") from exc
    if lines[0] != HEADER:
        raise VerificationError(f"receipt does not start with {HEADER}")
    pos = 1
    extra = None
    if pos < len(lines) and lines[pos].startswith("extra "):
        extra = _b64(lines[pos][len("extra ") :], "extra data")
        pos += 1
    match = _INDEX_RE.fullmatch(lines[pos]) if pos < len(lines) else None
    if match is None:
        raise VerificationError("receipt has no valid 'index <N>' line")
    proof = []
    for i, line in enumerate(lines[pos + 1 :]):
        h = _b64(line, f"proof hash {i}")
        if len(h) != HASH_SIZE:
            raise VerificationError(f"receipt proof hash {i} is {len(h)} bytes, expected {HASH_SIZE}")
        proof.append(h)
    return Receipt(int(match.group(1)), tuple(proof), checkpoint, extra)


def verify_receipt(
    receipt: bytes,
    leaf: bytes,
    keys: str | NoteVerifier | Iterable[str | NoteVerifier],
    *,
    leaf_is_hash: bool = False,
    origin: str | None = None,
) -> Verified:
    """Check a receipt: the checkpoint signature against ``keys`` and the inclusion of ``leaf``.

    ``leaf`` is the entry data, or its RFC 6962 leaf hash when ``leaf_is_hash`` is true. Raises
    :class:`VerificationError` naming what failed.
    """
    parsed = parse_receipt(receipt)
    parse_checkpoint(parsed.checkpoint)  # a clear message for a malformed checkpoint before key errors
    cp, verifier = open_checkpoint(parsed.checkpoint, keys, origin=origin)
    if leaf_is_hash and len(leaf) != HASH_SIZE:
        raise VerificationError(f"leaf hash is {len(leaf)} bytes, expected {HASH_SIZE}")
    lh = leaf if leaf_is_hash else leaf_hash(leaf)
    try:
        verify_inclusion(parsed.index, cp.size, lh, parsed.proof, cp.root)
    except VerificationError as exc:
        raise VerificationError(f"receipt inclusion proof failed: {exc}") from exc
    return Verified(cp.origin, cp.size, cp.root, parsed.index, lh, verifier.name, cp, parsed.extra)
