"""The transparency log's Django side: the key, the tiles folder, sequencing and receipts.

- The database decides the order: :func:`append` gives a leaf the next index in the same transaction as the row
  it records (a single-row counter locked with SELECT ... FOR UPDATE, so indices are gapless on PostgreSQL and
  SQLite alike, and a rolled-back transaction leaves no trace).
- :func:`integrate_pending` (the sequencer) copies committed entries beyond the latest checkpoint into the
  tiles (``amparo.ledger.TileLog``: entry bundles and tiles first, signed checkpoint last), one batch per
  transaction, and records each checkpoint in the ``Checkpoint`` table. One sequencer at a time (a locked
  row). A crash between the tiles and the table is repaired on the next run.
- The key: ``LOG_SIGNING_KEY`` (env or ``_FILE``) or ``KEYS_DIR/log_signing_key``, generated on first use.
  Earlier verifier keys (after a rotation) are read from ``KEYS_DIR/log_previous_keys``, one per line.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import connection, transaction

from amparo.evidence.models import Checkpoint, LogCounter, LogEntry
from amparo.ledger import (
    CHECKPOINT_PATH,
    DirectoryTileStore,
    NoteSigner,
    TileLog,
    TileStore,
    leaf_hash,
    make_receipt,
)
from amparo.ledger.tiles import check_rel_path
from amparo.lib.keys import write_once

logger = logging.getLogger("amparo.evidence")
BATCH = 4096
_cache: dict[tuple[str, str], TileLog] = {}
_cache_lock = threading.Lock()


def tiles_dir() -> Path:
    return Path(getattr(settings, "LOG_DIR", None) or Path(settings.DATA_DIR) / "log")


def _key_path() -> Path:
    return Path(settings.KEYS_DIR) / "log_signing_key"


def signer() -> NoteSigner:
    """The log's signing key: from settings, or the key file (created on first use, mode 0600)."""
    if settings.LOG_SIGNING_KEY:
        return NoteSigner.from_skey(settings.LOG_SIGNING_KEY)
    path = _key_path()
    if not path.exists():
        write_once(path, (NoteSigner.generate(key_name()).skey + "\n").encode("ascii"))
    return NoteSigner.from_skey(path.read_text(encoding="ascii"))


def key_name() -> str:
    """Signed-note key names allow no spaces or '+'; the origin is used, cleaned."""
    return "".join(ch for ch in settings.LOG_ORIGIN if not ch.isspace() and ch != "+") or "amparo-log"


def verifier_key() -> str:
    """The public verifier key, as published at /log/key and put in every bundle."""
    return signer().vkey


def previous_keys() -> list[str]:
    path = Path(settings.KEYS_DIR) / "log_previous_keys"
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text(encoding="ascii").splitlines() if line.strip()]


class StorageTileStore:
    """A :class:`amparo.ledger.TileStore` in any Django storage (an S3-compatible bucket in a pool of servers).

    One object per file: an S3 PUT is atomic (a reader sees the old object or the new one) and durable when it
    returns, which is what the log needs; the checkpoint, written last, is the only object ever replaced."""

    def __init__(self, storage: Storage, prefix: str = "") -> None:
        self.storage, self.prefix = storage, prefix

    def read(self, path: str) -> bytes | None:
        name = self.prefix + path
        try:
            with self.storage.open(name, "rb") as fh:
                return bytes(fh.read())
        except Exception:
            if not self.storage.exists(name):
                return None
            raise

    def write(self, path: str, data: bytes) -> None:
        check_rel_path(path)
        name = self.prefix + path
        if not getattr(self.storage, "file_overwrite", False) and self.storage.exists(name):
            self.storage.delete(name)  # storages that rename on collision (tests); S3 overwrites in one PUT
        saved = self.storage.save(name, ContentFile(data))
        if saved != name:
            raise RuntimeError(f"the log store saved {path} under another name")


def tile_store() -> tuple[str, TileStore]:
    """Where the published tiles live: ``LOG_STORAGE`` (tests), the ``LOG_S3_BUCKET`` bucket, or the folder."""
    storage = getattr(settings, "LOG_STORAGE", None)
    if storage is not None:
        return f"storage:{id(storage)}", StorageTileStore(storage)
    if settings.LOG_S3_BUCKET:
        from amparo.evidence.store import s3_storage

        remote = s3_storage(settings.LOG_S3_BUCKET, settings.EVIDENCE_S3_ENDPOINT)
        return f"s3:{settings.LOG_S3_BUCKET}", StorageTileStore(remote)
    return str(tiles_dir()), DirectoryTileStore(tiles_dir())


def tile_log() -> TileLog:
    """This process's TileLog (cached; it re-reads the stored checkpoint before every write)."""
    s = signer()
    where, tiles = tile_store()
    key = (where, s.vkey)
    with _cache_lock:
        log = _cache.get(key)
        if log is None:
            log = TileLog(tiles, settings.LOG_ORIGIN, s, trusted_keys=previous_keys())
            _cache[key] = log
    return log


def fresh_tile_log() -> TileLog:
    """The cached TileLog, reloaded if another process published a newer checkpoint."""
    log = tile_log()
    stored = log.store.read(CHECKPOINT_PATH)
    if stored != (log.checkpoint.note if log.checkpoint else None):
        log.refresh()
    return log


def append(leaf: bytes) -> int:
    """Give ``leaf`` the next log index. Call inside ``transaction.atomic()`` with the row it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("log entries are appended inside the transaction of the row they record")
    counter = LogCounter.objects.select_for_update().get(name="log")
    index = counter.value
    LogCounter.objects.filter(name="log").update(value=index + 1)
    LogEntry.objects.create(index=index, leaf=leaf, leaf_hash=leaf_hash(leaf).hex())
    return index


def _record(log: TileLog) -> None:
    cp = log.checkpoint
    if cp is not None and not Checkpoint.objects.filter(size=cp.size).exists():
        Checkpoint.objects.create(size=cp.size, root=cp.root.hex(), note=cp.note.decode("utf-8"))


def integrate_pending(batch: int = BATCH) -> int:
    """Integrate every committed entry beyond the latest checkpoint. Returns the log size afterwards."""
    size = _integrate(batch, wait=True)
    assert size is not None  # it waited for the sequencer
    return size


def integrate_unless_busy() -> int | None:
    """:func:`integrate_pending`, except that on a database that can skip a locked row (PostgreSQL) it returns None
    at once, integrating nothing, while another process holds the sequencer: a web server must not queue its witness
    behind another server's integration (the pool's one point of serialisation, docs/scaling.md)."""
    return _integrate(BATCH, wait=False)


def _integrate(batch: int, *, wait: bool) -> int | None:
    log = tile_log()
    skip = not wait and connection.features.has_select_for_update_skip_locked
    while True:
        with transaction.atomic():
            if skip:
                if (
                    LogCounter.objects.select_for_update(skip_locked=True).filter(name="sequencer").first()
                    is None
                ):
                    return None  # the holder integrates what waits, or the caller's background task
            else:
                LogCounter.objects.select_for_update().get(name="sequencer")
            log.refresh()
            _record(log)  # a checkpoint published just before a crash, not yet in the table
            rows = list(
                LogEntry.objects.filter(index__gte=log.size)
                .order_by("index")
                .values_list("index", "leaf")[:batch]
            )
            if not rows:
                if (
                    log.checkpoint is None
                ):  # tlog-tiles: a signed checkpoint exists from the start, even empty
                    log.integrate([])
                    _record(log)
                return log.size
            if [i for i, _leaf in rows] != list(range(log.size, log.size + len(rows))):
                raise RuntimeError(f"log entries are not contiguous from index {log.size}")
            log.integrate([bytes(leaf) for _i, leaf in rows])
            _record(log)


def integrate_if_pending() -> int:
    """:func:`integrate_pending` only when committed entries wait (a read, no lock, when there are none):
    public pages call this, so a flood of requests cannot take the sequencer lock."""
    log = fresh_tile_log()
    if log.checkpoint is not None and not LogEntry.objects.filter(index__gte=log.size).exists():
        return log.size
    return integrate_pending()


def integrate_quietly() -> None:
    """For ``transaction.on_commit``: integrate now, unless another server is integrating (then, as when it fails,
    the background task integrates what this one committed; a receipt asked for first integrates it on demand)."""
    from amparo.evidence.tasks import integrate_log

    try:
        if integrate_unless_busy() is None:
            integrate_log.enqueue()
    except Exception:  # the entries are committed; the task or the next ingest integrates them
        logger.exception("log integration failed; it will be retried")
        integrate_log.enqueue()


def receipt(index: int) -> bytes | None:
    """A c2sp.org/tlog-proof receipt for entry ``index`` against the latest checkpoint, or None if the entry
    is not integrated yet. The entry's own bytes travel in the receipt's ``extra`` line, so the receipt
    can be checked on its own."""
    log = fresh_tile_log()
    if log.checkpoint is None or index >= log.size:
        return None
    proof = log.inclusion_proof(index)
    return make_receipt(log.checkpoint.note, index, proof, extra=log.entry(index))
