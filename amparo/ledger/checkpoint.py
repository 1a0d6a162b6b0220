"""Transparency log checkpoints (c2sp.org/tlog-checkpoint): a signed note whose text is

<origin>
<tree size in decimal>
<base64 root hash>
[extension lines]
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from amparo.ledger.encoding import b64decode_strict
from amparo.ledger.errors import LedgerError, VerificationError
from amparo.ledger.merkle import HASH_SIZE
from amparo.ledger.note import NoteSigner, NoteVerifier, open_note, parse_note, sign_note

_SIZE_RE = re.compile(r"0|[1-9][0-9]{0,19}")


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()
    note: bytes = field(default=b"", compare=False, repr=False)  # the signed note it came from, if any

    def text(self) -> str:
        if not self.origin or "\n" in self.origin:
            raise LedgerError("checkpoint origin must be one non-empty line")
        if len(self.root) != HASH_SIZE:
            raise LedgerError("checkpoint root hash must be 32 bytes")
        for ext in self.extensions:
            if not ext or "\n" in ext:
                raise LedgerError("checkpoint extension lines must be non-empty single lines")
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode("ascii"), *self.extensions]
        return "\n".join(lines) + "\n"

    def sign(self, signers: NoteSigner | Sequence[NoteSigner]) -> Checkpoint:
        """Return this checkpoint carrying its signed note."""
        return Checkpoint(self.origin, self.size, self.root, self.extensions, sign_note(self.text(), signers))


def parse_checkpoint_text(text: str) -> Checkpoint:
    """Parse checkpoint note *text* (no signature check)."""
    if not text.endswith("\n"):
        raise VerificationError("checkpoint text does not end with a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise VerificationError("checkpoint needs an origin, a tree size and a root hash line")
    origin, size_line, root_line, *extensions = lines
    if not origin:
        raise VerificationError("checkpoint origin line is empty")
    if not _SIZE_RE.fullmatch(size_line) or int(size_line) >= 1 << 64:
        raise VerificationError(f"checkpoint tree size {size_line[:30]!r} is not a decimal number")
    try:
        root = b64decode_strict(root_line)
    except (binascii.Error, UnicodeEncodeError, ValueError) as exc:
        raise VerificationError("checkpoint root hash is not valid base64") from exc
    if len(root) != HASH_SIZE:
        raise VerificationError(f"checkpoint root hash is {len(root)} bytes, expected {HASH_SIZE}")
    if any(not ext for ext in extensions):
        raise VerificationError("checkpoint has an empty extension line")
    return Checkpoint(origin, int(size_line), root, tuple(extensions))


def parse_checkpoint(data: bytes) -> Checkpoint:
    """Parse a signed checkpoint WITHOUT checking its signature (use :func:`verify_checkpoint`)."""
    note = parse_note(data)
    cp = parse_checkpoint_text(note.text)
    return Checkpoint(cp.origin, cp.size, cp.root, cp.extensions, data)


def open_checkpoint(
    data: bytes,
    keys: str | NoteVerifier | Iterable[str | NoteVerifier],
    *,
    origin: str | None = None,
) -> tuple[Checkpoint, NoteVerifier]:
    """Check a signed checkpoint against trusted keys; return it and the key whose signature verified."""
    note, verifier = open_note(data, keys, what="checkpoint")
    cp = parse_checkpoint_text(note.text)
    if origin is not None and cp.origin != origin:
        raise VerificationError(f"checkpoint is for log {cp.origin!r}, expected {origin!r}")
    return Checkpoint(cp.origin, cp.size, cp.root, cp.extensions, data), verifier


def verify_checkpoint(
    data: bytes,
    keys: str | NoteVerifier | Iterable[str | NoteVerifier],
    *,
    origin: str | None = None,
) -> Checkpoint:
    """Check a signed checkpoint against trusted verifier keys (and, if given, the expected origin)."""
    return open_checkpoint(data, keys, origin=origin)[0]
