"""Key files kept in the data folder, outside the database.

A key is generated on first use, written once with mode 0600 (temporary file, fsync, rename), and read from then on.
Production installations may instead pass keys through environment variables or *_FILE secrets.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path


def write_once(path: Path, data: bytes) -> bool:
    """Atomically create ``path`` with ``data`` unless it exists. Returns True when this call created it."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.exists():
        return False
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, data)
        os.fsync(fd)
        os.close(fd)
        try:
            os.link(tmp, path)  # fails if another process won the race; never overwrites
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(tmp)


def key_file(path: Path, nbytes: int = 32) -> bytes:
    """The bytes of the key at ``path``, generating a random one on first use."""
    write_once(path, secrets.token_hex(nbytes).encode("ascii"))
    return path.read_bytes().strip()
