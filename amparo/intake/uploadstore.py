"""Where the bytes of tus uploads in progress live until a report attaches them.

Embedded (a local evidence store): one file per upload, ``DATA_DIR/uploads/<id>``, appended in place under a file
lock (tus.py). That folder belongs to one server.

With a shared store (``EVIDENCE_S3_BUCKET``, or a custom ``EVIDENCE_STORAGE``): the bytes of each PATCH become
objects ``uploads/<id>/<offset>-<tag>`` of at most :data:`PART_BYTES` in that store, and the upload's row lists the
parts that count (``UploadSession.parts``: offset, size, name). Any server can then take the next PATCH, a HEAD or
the attach. A PATCH writes its parts first and counts them only if the row, locked, still has the offset the PATCH
started from; parts that lost that race, or whose server died before counting them, are never listed, and go with
the upload's prefix when the upload is removed or purged.

On attach, :func:`open_upload` reads the listed parts in order as one stream, which the vault hashes in one pass
while writing its own temporary file; only then is the original stored (evidence/store.py), so a partial upload is
never visible as evidence.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import secrets
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import Storage

from amparo.evidence import store
from amparo.intake import conf

log = logging.getLogger(__name__)

PREFIX = "uploads"
PART_BYTES = 8 * 1024 * 1024  # one object per 8 MiB at most: reading a part back holds at most this much


def shared() -> Storage | None:
    """The store every server sees (the evidence store when it is remote), or None for the local folder."""
    return store.shared_storage()


def _check_id(upload_id: str) -> str:
    if not (upload_id.isascii() and upload_id.isalnum() and len(upload_id) <= 64):
        raise ValueError("bad upload id")
    return upload_id


def local_path(upload_id: str) -> Path:
    return Path(str(conf.uploads_dir())) / _check_id(upload_id)


def prefix(upload_id: str) -> str:
    return f"{PREFIX}/{_check_id(upload_id)}"


def kept_here(upload: Any) -> bool:
    """Whether the bytes received so far are in the store this server keeps uploads in. An installation that moved
    from a local folder to a shared store (or back) keeps rows whose first bytes are in the other one: resuming such
    an upload would leave a hole at its start, so it must be sent again."""
    if shared() is not None:
        return sum(int(part[1]) for part in upload.parts) == upload.offset
    if upload.parts:
        return False
    path = local_path(upload.upload_id)
    return path.exists() and path.stat().st_size >= upload.offset


def put_part(storage: Storage, upload_id: str, offset: int, handle: IO[bytes]) -> str:
    """Store ``handle``'s bytes as a new part object; returns its name. Counted only once listed on the row."""
    name = f"{prefix(upload_id)}/{offset:020d}-{secrets.token_hex(4)}"
    return str(storage.save(name, File(handle, name=name.rsplit("/", 1)[1])))


def delete_parts(storage: Storage, names: Iterable[str]) -> None:
    for name in names:
        storage.delete(name)


class PartsReader(io.RawIOBase):
    """The listed parts of a shared upload, read in order as one file (one part open at a time)."""

    def __init__(self, storage: Storage, parts: list[list[Any]], length: int) -> None:
        super().__init__()
        expected = 0
        for offset, size, _name in parts:
            if offset != expected or size <= 0:
                raise store.StoreError("the upload's parts do not follow one another")
            expected += size
        if expected != length:
            raise store.StoreError("the upload's parts do not add up to its length")
        self._storage = storage
        self._todo = [(int(size), str(name)) for _offset, size, name in parts]
        self._current: Any = None
        self._left = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        while True:
            if self._current is None:
                if not self._todo:
                    return 0
                self._left, name = self._todo.pop(0)
                self._current = store.read_object(self._storage, name)
            got = self._current.readinto(view[: min(len(view), self._left)]) if self._left else 0
            if got:
                self._left -= got
                return int(got)
            if self._left:
                raise store.StoreError("an upload part is shorter than listed")
            self._current.close()
            self._current = None

    def close(self) -> None:
        if self._current is not None:
            self._current.close()
            self._current = None
        super().close()


def open_upload(upload: Any) -> IO[bytes]:
    """A finished upload's bytes, from this server's folder or from the shared store's parts."""
    storage = shared()
    if storage is None:
        return local_path(upload.upload_id).open("rb")
    return io.BufferedReader(PartsReader(storage, list(upload.parts), upload.length), buffer_size=1 << 20)  # type: ignore[return-value]


def read_head(upload: Any, size: int) -> bytes:
    """The first ``size`` bytes of a finished upload (to sniff its type): from its first part only, one ranged GET in
    a shared store, instead of the whole upload read once for this and once more for the vault."""
    storage = shared()
    if storage is None:
        with local_path(upload.upload_id).open("rb") as fh:
            return fh.read(size)
    parts = list(upload.parts)
    if not parts or parts[0][0] != 0:
        raise store.StoreError("the upload's parts do not follow one another")
    with store.read_object(storage, str(parts[0][2]), first=min(size, int(parts[0][1]))) as head:
        return bytes(head.read())


def create(upload_id: str) -> None:
    """Make room for a new upload: an empty local file (nothing to do in a shared store)."""
    if shared() is not None:
        return
    fd = os.open(local_path(upload_id), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.fsync(fd)
    os.close(fd)


def remove(upload_id: str) -> None:
    """Every byte of an upload: its local file, and every object under its prefix (listed or not)."""
    local_path(upload_id).unlink(missing_ok=True)
    storage = shared()
    if storage is None:
        return
    _folders, names = storage.listdir(prefix(upload_id))
    delete_parts(storage, (f"{prefix(upload_id)}/{name}" for name in names))


def remove_quietly(upload_id: str) -> None:
    """:func:`remove` after a commit: a store that fails now leaves the bytes to the purge, never an error."""
    try:
        remove(upload_id)
    except Exception:
        log.warning("could not remove an attached upload's bytes yet; the purge will", exc_info=True)


def remove_strays(known: set[str], cutoff: datetime) -> int:
    """Bytes of uploads that have no row (a crash between writing them and the row, or a deleted row), untouched
    since ``cutoff``: local files, and prefixes in the shared store. Returns how many uploads' bytes went."""
    count = 0
    for path in Path(str(conf.uploads_dir())).iterdir():
        if path.name not in known and path.is_file() and path.stat().st_mtime < cutoff.timestamp():
            path.unlink(missing_ok=True)
            count += 1
    storage = shared()
    if storage is None:
        return count
    folders, _names = storage.listdir(PREFIX)
    for folder in folders:
        if folder in known or not (folder.isascii() and folder.isalnum()):
            continue
        _sub, names = storage.listdir(f"{PREFIX}/{folder}")
        names = [f"{PREFIX}/{folder}/{name}" for name in names]
        with contextlib.suppress(FileNotFoundError):
            if names and all(storage.get_modified_time(name) < cutoff for name in names):
                delete_parts(storage, names)
                count += 1
    return count
