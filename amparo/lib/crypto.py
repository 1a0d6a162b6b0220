"""Field encryption for personal data: envelope encryption, blind indexes and sealed single values.

Plain Python and ``cryptography``; no Django import. The keys come from a ``KeyConfig`` (see ``configure``), which the
people app points at ``settings.PERSON_MASTER_KEY`` / ``settings.BLIND_INDEX_KEY`` / ``settings.KEYS_DIR``.

The scheme:

- a **key-encryption key (KEK)**, 32 bytes, kept outside the database (an environment variable, a ``*_FILE`` secret
  or the file ``KEYS_DIR/person_master_key``);
- a **data key (DEK)** per record (per person), 32 random bytes, stored only *wrapped* by the KEK (AES key wrap,
  RFC 3394) next to the record; ``new_wrapped_dek()`` makes one, ``unwrap()`` opens it;
- values are encrypted with the DEK by AES-256-GCM: ``encrypt(dek, plaintext, aad) -> bytes``; the ``aad`` binds a
  ciphertext to its place (record code and field name), so a ciphertext copied into another row or field fails;
- **blind index**: ``blind_index(value, purpose)`` = HMAC-SHA256 under a separate index key over the normalised value,
  for exact look-ups (an A-number) without storing the value;
- **sealed values** not tied to a person: ``seal(text, purpose) -> str`` / ``unseal(token, purpose) -> str`` with a
  key derived from the KEK for that purpose (HKDF-SHA256).

Destroying a record's wrapped DEK ("crypto-shredding") makes all its ciphertexts unreadable, also in any copy of the
database taken after that moment. Copies taken *before* still hold the wrapped DEK and open with the same KEK: see
docs/people.md for what that means for backups. Rotation: a ``KeyConfig`` may list previous master keys; data keys and
sealed values made under them still open, ``needs_rewrap`` / ``rewrap`` / ``reseal`` move them to the current key, and
then the previous key is destroyed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap

from amparo.lib.keys import key_file

VERSION = 1
NONCE_BYTES = 12
KEY_BYTES = 32
KEK_FILE = "person_master_key"
INDEX_FILE = "blind_index_key"
SEAL_PREFIX = "s1."


class CryptoError(ValueError):
    """A ciphertext or wrapped key that cannot be opened: wrong key, wrong place (aad), damaged or shredded."""


@dataclass(frozen=True)
class KeyConfig:
    """Where the keys come from: explicit values win; otherwise files in ``keys_dir`` (generated on first use)."""

    master_key: str = ""
    blind_index_key: str = ""
    keys_dir: Path | None = None
    # earlier master keys, kept during a rotation so data keys and sealed values made under them still open
    previous_master_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Keyring:
    kek: bytes
    index_key: bytes
    previous: tuple[bytes, ...] = ()
    # derived once: the KEK's 4-byte id (stored with each wrapped DEK so a wrong master key is reported as such)
    # and a keyed HMAC state that each blind index copies
    kek_id: bytes = field(init=False, repr=False)
    _index_mac: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kek_id", key_id(self.kek))
        object.__setattr__(self, "_index_mac", hmac.new(self.index_key, digestmod=hashlib.sha256))

    def kek_for(self, kid: bytes) -> bytes | None:
        """The current or a previous master key with this id."""
        for kek in (self.kek, *self.previous):
            if hmac.compare_digest(key_id(kek), kid):
                return kek
        return None


def key_id(kek: bytes) -> bytes:
    return hmac.new(kek, b"amparo-kek-id", hashlib.sha256).digest()[:4]


_config_source: Callable[[], KeyConfig] | None = None
_cache: dict[KeyConfig, Keyring] = {}
_lock = threading.Lock()


def configure(source: Callable[[], KeyConfig]) -> None:
    """Register where keys come from. Called per use, so a changed configuration (tests) takes effect at once."""
    global _config_source
    _config_source = source


def parse_key(text: str) -> bytes:
    """A 32-byte key from 64 hex digits or base64 of 32 bytes; a longer passphrase is stretched with HKDF."""
    text = text.strip()
    try:
        raw = binascii.unhexlify(text)
        if len(raw) == KEY_BYTES:
            return raw
    except (binascii.Error, ValueError):
        pass
    try:
        urlsafe = text.replace("+", "-").replace("/", "_")
        raw = base64.urlsafe_b64decode(urlsafe + "=" * (-len(urlsafe) % 4))
        if len(raw) == KEY_BYTES:
            return raw
    except (binascii.Error, ValueError):
        pass
    if len(text) < 32:
        raise CryptoError("a key must be 64 hex digits, base64 of 32 bytes, or at least 32 random characters")
    return _hkdf(text.encode("utf-8"), b"amparo-key-from-passphrase")


def _hkdf(key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=info).derive(key)


def keyring(config: KeyConfig | None = None) -> Keyring:
    """The keys for ``config`` (default: the configured source), loaded once per distinct configuration."""
    if config is None:
        if _config_source is None:
            raise CryptoError("amparo.lib.crypto is not configured: call configure() first")
        config = _config_source()
    cached = _cache.get(config)
    if cached is not None:
        return cached
    with _lock:
        kek = _load(config.master_key, config.keys_dir, KEK_FILE)
        index_key = _load(config.blind_index_key, config.keys_dir, INDEX_FILE)
        if hmac.compare_digest(kek, index_key):
            raise CryptoError("the blind-index key must differ from the master key")
        previous = tuple(parse_key(k) for k in config.previous_master_keys if k.strip())
        ring = Keyring(kek=kek, index_key=index_key, previous=previous)
        _cache[config] = ring
        return ring


def _load(value: str, keys_dir: Path | None, filename: str) -> bytes:
    if value:
        return parse_key(value)
    if keys_dir is None:
        raise CryptoError(f"no key given and no keys folder for {filename}")
    return parse_key(key_file(Path(keys_dir) / filename).decode("ascii"))


# --- data keys -------------------------------------------------------------------------------------------------


def new_dek() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def wrap(dek: bytes, ring: Keyring | None = None) -> bytes:
    ring = ring or keyring()
    return bytes([VERSION]) + ring.kek_id + aes_key_wrap(ring.kek, dek)


def unwrap(wrapped: bytes, ring: Keyring | None = None) -> bytes:
    """The DEK inside ``wrapped``; CryptoError if it was wrapped by another KEK or is damaged."""
    ring = ring or keyring()
    wrapped = bytes(wrapped)
    if len(wrapped) < 5 or wrapped[0] != VERSION:
        raise CryptoError("unknown wrapped-key format")
    kek = ring.kek_for(wrapped[1:5])
    if kek is None:
        raise CryptoError("this data key was wrapped by a different master key")
    try:
        return aes_key_unwrap(kek, wrapped[5:])
    except InvalidUnwrap as exc:
        raise CryptoError("damaged wrapped data key") from exc


def new_wrapped_dek(ring: Keyring | None = None) -> tuple[bytes, bytes]:
    """A fresh data key and its wrapped form: ``(dek, wrapped)``. Store only ``wrapped``."""
    dek = new_dek()
    return dek, wrap(dek, ring)


def rewrap(wrapped: bytes, old: Keyring, new: Keyring) -> bytes:
    """Move a wrapped DEK from one KEK to another (master-key rotation); the DEK and ciphertexts stay the same."""
    return wrap(unwrap(wrapped, old), new)


def needs_rewrap(wrapped: bytes, ring: Keyring | None = None) -> bool:
    """True when ``wrapped`` was made under a previous master key (rotation not finished for it)."""
    ring = ring or keyring()
    return not hmac.compare_digest(bytes(wrapped)[1:5], ring.kek_id)


# --- values ----------------------------------------------------------------------------------------------------


def _bytes(value: bytes | str) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


def encrypt(dek: bytes, plaintext: bytes | str, aad: bytes | str = b"") -> bytes:
    """AES-256-GCM: version byte, 12-byte random nonce, ciphertext with tag."""
    nonce = os.urandom(NONCE_BYTES)
    return bytes([VERSION]) + nonce + AESGCM(dek).encrypt(nonce, _bytes(plaintext), _bytes(aad))


def decrypt(dek: bytes, blob: bytes, aad: bytes | str = b"") -> bytes:
    blob = bytes(blob)
    if len(blob) < 1 + NONCE_BYTES + 16 or blob[0] != VERSION:
        raise CryptoError("unknown ciphertext format")
    try:
        return AESGCM(dek).decrypt(blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :], _bytes(aad))
    except InvalidTag as exc:
        raise CryptoError("ciphertext does not open with this key and place") from exc


def encrypt_text(dek: bytes, text: str, aad: bytes | str = b"") -> bytes:
    return encrypt(dek, text.encode("utf-8"), aad)


def decrypt_text(dek: bytes, blob: bytes | None, aad: bytes | str = b"") -> str:
    """The text in ``blob``; an empty string for an empty field."""
    if not blob:
        return ""
    return decrypt(dek, blob, aad).decode("utf-8")


# --- blind index -----------------------------------------------------------------------------------------------


def blind_index(normalised: str, purpose: str, ring: Keyring | None = None) -> str:
    """Hex HMAC-SHA256 of an already-normalised value; ``purpose`` separates uses (and networks)."""
    ring = ring or keyring()
    mac = ring._index_mac.copy()
    mac.update(purpose.encode("utf-8") + b"\x00" + normalised.encode("utf-8"))
    return str(mac.hexdigest())


# --- sealed single values --------------------------------------------------------------------------------------


def _seal_key(purpose: str, ring: Keyring) -> bytes:
    return _hkdf(ring.kek, b"amparo-seal:" + purpose.encode("utf-8"))


def seal(plaintext: str, purpose: str, ring: Keyring | None = None) -> str:
    """An ASCII token holding ``plaintext`` encrypted under a KEK-derived key for ``purpose``."""
    ring = ring or keyring()
    blob = encrypt(_seal_key(purpose, ring), plaintext, purpose)
    return SEAL_PREFIX + base64.urlsafe_b64encode(blob).decode("ascii").rstrip("=")


def unseal(token: str, purpose: str, ring: Keyring | None = None) -> str:
    ring = ring or keyring()
    if not token.startswith(SEAL_PREFIX):
        raise CryptoError("not a sealed value")
    body = token[len(SEAL_PREFIX) :]
    try:
        blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError) as exc:
        raise CryptoError("damaged sealed value") from exc
    for kek in (ring.kek, *ring.previous):  # after a rotation, values sealed under an earlier key still open
        try:
            return decrypt(_hkdf(kek, b"amparo-seal:" + purpose.encode("utf-8")), blob, purpose).decode(
                "utf-8"
            )
        except CryptoError:
            continue
    raise CryptoError("sealed value does not open with this purpose and these keys")


def reseal(token: str, purpose: str, ring: Keyring | None = None) -> str:
    """The same value sealed under the current master key (to finish a rotation)."""
    ring = ring or keyring()
    return seal(unseal(token, purpose, ring), purpose, ring)
