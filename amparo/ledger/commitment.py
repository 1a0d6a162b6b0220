"""Commitments and the canonical encoding of log entries.

The log publishes commitments, never raw file hashes: ``SHA-256(nonce || file_sha256 || metadata_digest)``
with a private 32-byte random nonce, so that nobody holding a video can test whether it was submitted. The
nonce travels with the file in the evidence bundle, where the commitment can be recomputed offline.

A log entry is versioned canonical JSON: keys sorted, no whitespace, UTF-8, e.g.
``{"commitment":"<hex>","kind":"evidence.received","v":1}``. Only strings, integers, booleans, null, lists
and objects with string keys are allowed (no floats: their text form is not canonical).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from typing import Any

from amparo.ledger.errors import LedgerError

LEAF_VERSION = 1
NONCE_SIZE = 32
_KIND_RE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")


def new_nonce() -> bytes:
    """32 bytes from the operating system's secure random generator."""
    return secrets.token_bytes(NONCE_SIZE)


def commitment(nonce: bytes, file_sha256: bytes, metadata_digest: bytes) -> bytes:
    """SHA-256(nonce || file_sha256 || metadata_digest); every input is exactly 32 bytes."""
    for name, value in (("nonce", nonce), ("file_sha256", file_sha256), ("metadata_digest", metadata_digest)):
        if len(value) != 32:
            raise LedgerError(f"{name} must be 32 bytes, got {len(value)}")
    return hashlib.sha256(nonce + file_sha256 + metadata_digest).digest()


def _check_value(value: Any, where: str) -> None:
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _check_value(item, f"{where}[{i}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise LedgerError(f"{where} has a non-string key")
            _check_value(item, f"{where}.{key}")
        return
    raise LedgerError(
        f"{where} is a {type(value).__name__}; leaf values must be str, int, bool, None, list, dict"
    )


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no whitespace, UTF-8 (non-ASCII characters kept as they are)."""
    _check_value(value, "value")
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def encode_leaf(kind: str, payload: dict[str, Any]) -> bytes:
    """Encode a log entry ``{"v": 1, "kind": kind, **payload}`` as canonical JSON bytes."""
    if not _KIND_RE.fullmatch(kind):
        raise LedgerError(f"leaf kind {kind!r} must be dotted lower-case words, e.g. 'evidence.received'")
    if "v" in payload or "kind" in payload:
        raise LedgerError("leaf payload must not contain the reserved keys 'v' and 'kind'")
    return canonical_json({"v": LEAF_VERSION, "kind": kind, **payload})


def decode_leaf(data: bytes) -> tuple[str, dict[str, Any]]:
    """Parse an entry made by :func:`encode_leaf`; return ``(kind, payload)``. Rejects non-canonical bytes."""
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise LedgerError("log entry is not UTF-8 JSON") from exc
    if (
        not isinstance(value, dict)
        or value.get("v") != LEAF_VERSION
        or not isinstance(value.get("kind"), str)
    ):
        raise LedgerError(f"log entry is not a version {LEAF_VERSION} leaf")
    if canonical_json(value) != data:
        raise LedgerError("log entry is not in canonical form")
    kind = value.pop("kind")
    value.pop("v")
    return kind, value
