"""The evidence store: the only module that touches the bytes of evidence originals.

Originals are addressed by their SHA-256 and written once:

1. :func:`receive` streams the upload into a temporary file in ``EVIDENCE_DIR/tmp`` while hashing it
   (``amparo.media.copy_and_hash``: flat memory, one pass), then fsyncs it;
2. :func:`commit` makes it visible under its content address. Locally: ``os.link`` to ``ab/cd/<sha256>``
   (never overwrites: identical bytes are stored once), mode 0440, then fsync of the folder. With
   ``EVIDENCE_S3_BUCKET``: one PUT of the whole object through Django's storage API (django-storages),
   skipped when the object exists already.

A crash before step 2 leaves only a file in ``tmp/``: witness bytes nobody acknowledged. While an ingest runs,
it holds a lock on its temporary file; :func:`sweep_temporary` (at every start and in the hourly maintenance)
removes every file whose lock nobody holds, and ``amparo verify --all`` reports any it finds
(:func:`abandoned_temporary`). A crash after step 2 leaves a complete original. A half-written original is never visible under a content address.

Names inside the store are derived from the hash only; anything else is refused (no ``../``, no symlinks).
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import io
import os
import re
import secrets
import stat
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage

from amparo.evidence.pipeline import copy_direct

SHA256_RE = re.compile(r"[0-9a-f]{64}")
TMP_DIR = "tmp"
CHUNK = 1 << 20
S3_CONNECT_TIMEOUT = 3  # seconds to open a connection to the store
S3_READ_TIMEOUT = 10  # seconds of silence from the store on an open connection
S3_ATTEMPTS = 3  # the first try and two retries


class StoreError(Exception):
    """The store refused an operation (unsafe name, missing original, tampered layout)."""


@dataclass
class Received:
    """An upload written to a local temporary file (``path``), hashed, not yet visible in the store."""

    path: Path
    sha256: str
    size: int


def check_sha(sha256: str) -> str:
    if not isinstance(sha256, str) or not SHA256_RE.fullmatch(sha256):
        raise StoreError("not a SHA-256 hex digest")
    return sha256


def relative_name(sha256: str) -> str:
    """``ab/cd/<sha256>``: two levels of 256 folders keep every folder small."""
    check_sha(sha256)
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def root() -> Path:
    path = Path(settings.EVIDENCE_DIR)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


@functools.lru_cache(maxsize=8)
def s3_storage(bucket: str, endpoint: str | None) -> Storage:
    """A private S3-compatible bucket through django-storages (``amparo[s3]``); one client per bucket and process.

    Credentials and region come from the standard AWS variables or files (``AWS_ACCESS_KEY_ID``, ...)."""
    from botocore.config import Config
    from storages.backends.s3 import S3Storage  # optional extra: pip install amparo[s3]

    return S3Storage(
        bucket_name=bucket,
        endpoint_url=endpoint or None,
        client_config=Config(
            # a 500, a throttle or a timeout is retried with growing, jittered waits before the caller sees it
            retries={"max_attempts": S3_ATTEMPTS, "mode": "standard"},
            # a store that hangs costs a request at most ~3 x 10 s plus the waits (under a minute), then a 503 with
            # Retry-After (outage.py): far below gunicorn's 120 s, and no request thread is held for minutes
            connect_timeout=S3_CONNECT_TIMEOUT,
            read_timeout=S3_READ_TIMEOUT,
        ),
        file_overwrite=True,  # same name = same bytes; never renamed to "<name>_xyz"
        default_acl="private",
        querystring_auth=True,
    )


def _remote() -> Storage | None:
    """The S3-compatible store when configured, else None."""
    storage = getattr(settings, "EVIDENCE_STORAGE", None)  # tests and custom set-ups: any Django Storage
    if storage is not None:
        return storage  # type: ignore[no-any-return]  # a Storage instance set in settings
    if not settings.EVIDENCE_S3_BUCKET:
        return None
    return s3_storage(settings.EVIDENCE_S3_BUCKET, settings.EVIDENCE_S3_ENDPOINT)


_clients: dict[tuple[int, int], tuple[Storage, Any]] = {}
_clients_lock = threading.Lock()


def s3_client(storage: Storage) -> Any:
    """One botocore client per S3 storage and process, shared by all its threads (botocore clients are thread-safe).

    django-storages keeps a boto3 session and resource per *thread*, and the vault reads an upload from a new thread
    for every ingest (evidence/pipeline.py), so each ingest built a session, loaded S3's service model and opened new
    connections (docs/scaling.md). Keyed by process too: a forked work horse must not share its parent's sockets."""
    key = (id(storage), os.getpid())
    with _clients_lock:
        found = _clients.get(key)
        if found is None:
            found = _clients[key] = (storage, storage.connection.meta.client)  # type: ignore[attr-defined]
    return found[1]


def read_object(storage: Storage, name: str, *, first: int | None = None) -> IO[bytes]:
    """A stream of the object ``name`` in ``storage`` (its ``first`` bytes only, when given), read as it arrives.

    Django's S3 file (``storage.open``) asks for the object's metadata twice and downloads all of it into a
    temporary file before the first byte is read; for an S3 store this is one GET, ranged for ``first``, whose
    body is read from the connection. Any other storage is opened as usual."""
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # no S3 support installed: any storage here is another kind
        S3Storage = None

    if S3Storage is None or not isinstance(storage, S3Storage):
        handle = storage.open(name, "rb")
        if first is None:
            return handle  # type: ignore[return-value]  # a Django File is a binary file object
        with handle:
            return io.BytesIO(handle.read(first))
    key = storage._normalize_name(name)  # the bucket key of a storage name (with its location prefix)
    extra = {"Range": f"bytes=0-{first - 1}"} if first else {}
    try:
        answer = s3_client(storage).get_object(Bucket=storage.bucket_name, Key=key, **extra)
    except Exception as exc:
        if getattr(exc, "response", {}).get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            raise FileNotFoundError(name) from exc
        raise
    return answer["Body"]  # type: ignore[no-any-return]  # botocore's StreamingBody: read, readinto, close


def shared_storage() -> Storage | None:
    """Where derived copies are shared by every server: the originals' remote store, or None (a local cache)."""
    return _remote()


def is_local() -> bool:
    return _remote() is None


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _safe_dir(base: Path, *parts: str) -> Path:
    """``base/parts...`` created as real folders (fsyncing each new one's parent); refuses symlinks."""
    path = base
    for part in parts:
        if part in ("", ".", "..") or "/" in part or "\\" in part:
            raise StoreError("unsafe path component")
        path = path / part
        try:
            os.mkdir(path, 0o700)
            _fsync_dir(path.parent)
        except FileExistsError:
            pass
        mode = os.lstat(path).st_mode
        if not stat.S_ISDIR(mode):
            raise StoreError("store folder is not a real folder (symlink or file in its place)")
    return path


def _open_temp(path: Path) -> tuple[int, bool]:
    """Create the temporary file, with O_DIRECT when the file system allows it."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    direct = getattr(os, "O_DIRECT", 0)
    if direct:
        try:
            return os.open(path, flags | direct, 0o600), True
        except OSError:  # tmpfs and some others refuse O_DIRECT
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
    return os.open(path, flags, 0o600), False


@contextlib.contextmanager
def receive(src: IO[bytes] | Any, *, max_size: int | None = None) -> Iterator[Received]:
    """Stream ``src`` into a hashed, fsynced temporary file; removed when the ``with`` block ends.

    Raises ``amparo.media.TooLarge`` past ``max_size`` bytes (nothing is kept).
    """
    tmp_dir = _safe_dir(root(), TMP_DIR)
    path = tmp_dir / f"{secrets.token_hex(16)}.part"
    fd, direct = _open_temp(path)
    lock = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    fcntl.flock(lock, fcntl.LOCK_EX)  # held while this ingest lives: the sweep leaves the file alone
    try:
        try:
            sha256, size = copy_direct(src, fd, direct=direct, max_size=max_size)
            os.fsync(fd)
        finally:
            os.close(fd)
        yield Received(path, sha256, size)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        os.close(lock)


def commit(received: Received) -> bool:
    """Make a received file visible under its content address. Returns False when it was stored already."""
    name = relative_name(received.sha256)
    remote = _remote()
    if remote is not None:
        if remote.exists(name):
            return False
        with open(received.path, "rb") as fh:
            remote.save(name, File(fh, name=received.sha256))
        return True
    folder = _safe_dir(root(), name[:2], name[3:5])
    target = folder / received.sha256
    os.chmod(received.path, 0o440)
    try:
        os.link(received.path, target)  # atomic; never replaces an existing original
    except FileExistsError:
        if not stat.S_ISREG(os.lstat(target).st_mode):
            raise StoreError("the content address holds something other than a file") from None
        return False
    _fsync_dir(folder)
    return True


def exists(sha256: str) -> bool:
    name = relative_name(sha256)
    remote = _remote()
    if remote is not None:
        return bool(remote.exists(name))
    try:
        return stat.S_ISREG(os.lstat(root() / name).st_mode)
    except FileNotFoundError:
        return False


def open_original(sha256: str) -> IO[bytes]:
    """A binary file object of the original; refuses names that are not a hash and symlinks anywhere."""
    name = relative_name(sha256)
    remote = _remote()
    if remote is not None:
        if not remote.exists(name):
            raise StoreError("original is missing from the store")
        return remote.open(name, "rb")  # type: ignore[return-value]  # a Django File is a binary file object
    base = root()
    for part in (name[:2], name[3:5]):
        base = base / part
        try:
            if not stat.S_ISDIR(os.lstat(base).st_mode):
                raise StoreError("store folder is not a real folder (symlink or file in its place)")
        except FileNotFoundError:
            raise StoreError("original is missing from the store") from None
    try:
        fd = os.open(base / sha256, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        raise StoreError("original is missing from the store") from None
    except OSError as exc:  # ELOOP: a symlink where an original should be
        raise StoreError("original is not a regular file") from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise StoreError("original is not a regular file")
    return os.fdopen(fd, "rb")


def local_path(sha256: str) -> Path | None:
    """The path of a local original (for sandboxed decoders), or None when the store is remote."""
    if _remote() is not None:
        return None
    with open_original(sha256):  # the same checks as opening it
        pass
    return root() / relative_name(sha256)


@contextlib.contextmanager
def as_local_file(sha256: str) -> Iterator[Path]:
    """A local path holding the original: the stored file itself, or a temporary copy of a remote one."""
    path = local_path(sha256)
    if path is not None:
        yield path
        return
    with open_original(sha256) as src, receive(src) as copy:
        if copy.sha256 != sha256:
            raise StoreError("the stored original does not match its address")
        yield copy.path


def rehash(sha256: str) -> tuple[str, int]:
    """Read the stored original again and return ``(sha256, size)`` of what is there now."""
    import hashlib

    hasher = hashlib.sha256()
    size = 0
    with open_original(sha256) as fh:
        while chunk := fh.read(CHUNK):
            hasher.update(chunk)
            size += len(chunk)
    return hasher.hexdigest(), size


# A file younger than this may have been created an instant ago by an ingest that has not locked it yet.
_TEMP_GRACE_S = 2.0


def _abandoned(entry: os.DirEntry[str], now: float) -> bool:
    """True when no live ingest holds ``entry`` (its writer was killed or the machine stopped)."""
    if (
        not entry.is_file(follow_symlinks=False)
        or entry.stat(follow_symlinks=False).st_mtime > now - _TEMP_GRACE_S
    ):
        return False
    try:
        fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing releases the lock we may have taken
    return True


def abandoned_temporary() -> tuple[int, int]:
    """How many temporary files interrupted ingests left behind, and their bytes (nothing is removed)."""
    tmp = root() / TMP_DIR
    if not tmp.is_dir():
        return 0, 0
    now = time.time()
    count = size = 0
    for entry in os.scandir(tmp):
        if _abandoned(entry, now):
            count += 1
            size += entry.stat(follow_symlinks=False).st_size
    return count, size


def sweep_temporary() -> int:
    """Delete the temporary files of interrupted ingests (never one a live ingest holds). Returns how many."""
    tmp = root() / TMP_DIR
    if not tmp.is_dir():
        return 0
    removed = 0
    now = time.time()
    for entry in os.scandir(tmp):
        if _abandoned(entry, now):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
                removed += 1
    return removed


def stored_hashes() -> Iterator[str]:
    """Every original present in a local store (for ``amparo verify --all``)."""
    base = root()
    for first in sorted(os.listdir(base)):
        if len(first) != 2 or not (base / first).is_dir():
            continue
        for second in sorted(os.listdir(base / first)):
            for name in sorted(os.listdir(base / first / second)):
                if SHA256_RE.fullmatch(name):
                    yield name
