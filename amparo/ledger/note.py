"""C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys, in the golang.org/x/mod/sumdb/note formats.

- verifier key (public, safe to publish): ``<name>+<hex key id>+<base64(0x01 || 32-byte public key)>``
- signer key (secret): ``PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 || 32-byte seed)>``
- key id: the first 4 bytes (big-endian uint32) of ``SHA-256(name || 0x0A || 0x01 || public key)``
- signed note: text ending in a newline, an empty line, then lines ``— <name> base64(key id || signature)``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from amparo.ledger.encoding import b64decode_strict
from amparo.ledger.errors import LedgerError, VerificationError

ALG_ED25519 = 0x01
SIG_PREFIX = "\u2014 "  # em dash, space
MAX_SIGNATURES = 32
MAX_NOTE_SIZE = 1 << 20


def _b64decode(value: str, what: str) -> bytes:
    try:
        return b64decode_strict(value)
    except (binascii.Error, UnicodeEncodeError, ValueError) as exc:
        raise LedgerError(f"{what} is not valid base64") from exc


def check_key_name(name: str) -> None:
    """Key names must be non-empty and contain no Unicode space and no ``+``."""
    if not name or "+" in name or any(ch.isspace() for ch in name) or not name.isprintable():
        raise LedgerError(f"invalid key name {name!r}: it must be non-empty, without spaces or '+'")


def key_id(name: str, public_key: bytes) -> int:
    """Return the signed-note key id of an Ed25519 key: SHA-256(name || 0x0A || 0x01 || key)[:4]."""
    digest = hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([ALG_ED25519]) + public_key).digest()
    return int.from_bytes(digest[:4], "big")


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


class NoteVerifier:
    """An Ed25519 public key with its name, parsed from a verifier key string."""

    def __init__(self, name: str, public_key: bytes) -> None:
        check_key_name(name)
        if len(public_key) != 32:
            raise LedgerError("an Ed25519 public key is 32 bytes")
        self.name = name
        self.public_key = public_key
        self.key_id = key_id(name, public_key)
        self._key = Ed25519PublicKey.from_public_bytes(public_key)

    @classmethod
    def from_vkey(cls, vkey: str) -> NoteVerifier:
        parts = vkey.strip().split("+", 2)
        if len(parts) != 3:
            raise LedgerError("a verifier key has the form <name>+<hex key id>+<base64 key>")
        name, hex_id, b64 = parts
        raw = _b64decode(b64, "verifier key")
        if len(raw) != 33 or raw[0] != ALG_ED25519:
            raise LedgerError("verifier key is not an Ed25519 key (type byte 0x01 and 32 bytes)")
        verifier = cls(name, raw[1:])
        if len(hex_id) != 8 or hex_id != f"{verifier.key_id:08x}":
            raise LedgerError(f"verifier key id {hex_id} does not match its name and public key")
        return verifier

    @property
    def vkey(self) -> str:
        b64 = base64.b64encode(bytes([ALG_ED25519]) + self.public_key).decode("ascii")
        return f"{self.name}+{self.key_id:08x}+{b64}"

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            self._key.verify(signature, message)
        except InvalidSignature:
            return False
        return True

    def __repr__(self) -> str:
        return f"NoteVerifier({self.vkey!r})"


class NoteSigner:
    """An Ed25519 private key with its name, parsed from a signer key string."""

    def __init__(self, name: str, seed: bytes) -> None:
        check_key_name(name)
        if len(seed) != 32:
            raise LedgerError("an Ed25519 private key seed is 32 bytes")
        self.name = name
        self._key = Ed25519PrivateKey.from_private_bytes(seed)
        self.public_key = _raw_public(self._key.public_key())
        self.key_id = key_id(name, self.public_key)

    @classmethod
    def generate(cls, name: str) -> NoteSigner:
        key = Ed25519PrivateKey.generate()
        return cls(name, key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()))

    @classmethod
    def from_skey(cls, skey: str) -> NoteSigner:
        parts = skey.strip().split("+", 4)
        if len(parts) != 5 or parts[0] != "PRIVATE" or parts[1] != "KEY":
            raise LedgerError("a signer key has the form PRIVATE+KEY+<name>+<hex key id>+<base64 key>")
        name, hex_id, b64 = parts[2:]
        raw = _b64decode(b64, "signer key")
        if len(raw) != 33 or raw[0] != ALG_ED25519:
            raise LedgerError("signer key is not an Ed25519 key (type byte 0x01 and 32 bytes)")
        signer = cls(name, raw[1:])
        if len(hex_id) != 8 or hex_id != f"{signer.key_id:08x}":
            raise LedgerError("signer key id does not match its name and public key")
        return signer

    @property
    def skey(self) -> str:
        seed = self._key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        b64 = base64.b64encode(bytes([ALG_ED25519]) + seed).decode("ascii")
        return f"PRIVATE+KEY+{self.name}+{self.key_id:08x}+{b64}"

    @property
    def vkey(self) -> str:
        return self.verifier().vkey

    def verifier(self) -> NoteVerifier:
        return NoteVerifier(self.name, self.public_key)

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)

    def __repr__(self) -> str:  # never show the secret
        return f"NoteSigner(name={self.name!r}, key_id={self.key_id:08x})"


def generate_key(name: str) -> tuple[str, str]:
    """Return a new ``(signer key, verifier key)`` pair of strings for ``name``."""
    signer = NoteSigner.generate(name)
    return signer.skey, signer.vkey


@dataclass(frozen=True)
class NoteSignature:
    name: str
    key_id: int
    signature: bytes  # without the 4-byte key id

    def line(self) -> str:
        b64 = base64.b64encode(struct.pack(">I", self.key_id) + self.signature).decode("ascii")
        return f"{SIG_PREFIX}{self.name} {b64}\n"


@dataclass(frozen=True)
class Note:
    text: str  # ends with a newline
    signatures: tuple[NoteSignature, ...]

    def to_bytes(self) -> bytes:
        return (self.text + "\n" + "".join(s.line() for s in self.signatures)).encode("utf-8")


def _check_text(text: str, what: str, error: type[LedgerError] = LedgerError) -> None:
    for ch in text:
        if ch < " " and ch != "\n":
            raise error(f"{what} contains a control character")


def sign_note(text: str, signers: Sequence[NoteSigner] | NoteSigner) -> bytes:
    """Sign ``text`` (which must end in a newline) with one or more signers; return the signed note."""
    if isinstance(signers, NoteSigner):
        signers = [signers]
    if not text.endswith("\n"):
        raise LedgerError("note text must end with a newline")
    _check_text(text, "note text")
    message = text.encode("utf-8")
    sigs = tuple(NoteSignature(s.name, s.key_id, s.sign(message)) for s in signers)
    return Note(text, sigs).to_bytes()


def parse_note(data: bytes) -> Note:
    """Split a signed note into its text and signature lines, without verifying anything."""
    if len(data) > MAX_NOTE_SIZE:
        raise VerificationError("signed note is too large")
    try:
        whole = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise VerificationError("signed note is not valid UTF-8") from exc
    _check_text(whole, "signed note", VerificationError)
    split = whole.rfind("\n\n")
    if split < 0:
        raise VerificationError("signed note has no empty line before its signatures")
    text, sig_block = whole[: split + 1], whole[split + 2 :]
    if not sig_block.endswith("\n"):
        raise VerificationError("signed note does not end with a newline")
    sigs: list[NoteSignature] = []
    for line in sig_block[:-1].split("\n"):
        if not line.startswith(SIG_PREFIX):
            raise VerificationError(f"malformed signature line {line[:40]!r}")
        name, sep, b64 = line[len(SIG_PREFIX) :].partition(" ")
        if not sep or not name or " " in b64:
            raise VerificationError(f"malformed signature line {line[:40]!r}")
        try:
            raw = b64decode_strict(b64)
        except (binascii.Error, UnicodeEncodeError, ValueError) as exc:
            raise VerificationError(f"signature by {name} is not valid base64") from exc
        if len(raw) < 5:
            raise VerificationError(f"signature by {name} is too short")
        sigs.append(NoteSignature(name, struct.unpack(">I", raw[:4])[0], raw[4:]))
    if len(sigs) > MAX_SIGNATURES:
        raise VerificationError(f"signed note has more than {MAX_SIGNATURES} signatures")
    return Note(text, tuple(sigs))


def as_verifiers(keys: str | NoteVerifier | Iterable[str | NoteVerifier]) -> list[NoteVerifier]:
    """Accept one verifier key (string or object) or several; return verifier objects."""
    if isinstance(keys, str | NoteVerifier):
        keys = [keys]
    return [k if isinstance(k, NoteVerifier) else NoteVerifier.from_vkey(k) for k in keys]


def open_note(
    data: bytes, keys: str | NoteVerifier | Iterable[str | NoteVerifier], *, what: str = "note"
) -> tuple[Note, NoteVerifier]:
    """Verify a signed note against trusted keys and return it with the key that verified it.

    As the spec requires, signatures by unknown keys (name and id not both matching) are ignored, a failed
    signature by a known key rejects the whole note, and at least one known key must have signed.
    """
    verifiers = as_verifiers(keys)
    note = parse_note(data)
    message = note.text.encode("utf-8")
    good: NoteVerifier | None = None
    for sig in note.signatures:
        for v in verifiers:
            if v.name == sig.name and v.key_id == sig.key_id:
                if not v.verify(message, sig.signature):
                    raise VerificationError(f"{what} signature does not verify for key {v.name}")
                good = good or v
    if good is None:
        names = ", ".join(f"{v.name} ({v.key_id:08x})" for v in verifiers) or "none given"
        raise VerificationError(f"{what} is not signed by any trusted key (trusted: {names})")
    return note, good
