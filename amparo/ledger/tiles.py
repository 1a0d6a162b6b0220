"""C2SP tlog-tiles layout (c2sp.org/tlog-tiles) and the tiny storage interface the log writes through.

Paths, relative to the log's prefix:

- ``checkpoint``                      the latest signed checkpoint (the only mutable file)
- ``tile/<L>/<N>[.p/<W>]``            256 hashes (32 bytes each) of tree level ``8*L``, or ``W`` < 256
- ``tile/entries/<N>[.p/<W>]``        the leaf data, each prefixed by its big-endian uint16 length

``<N>`` is written in 3-digit groups, all but the last prefixed with ``x``: 1234067 -> ``x001/x234/067``.
"""

from __future__ import annotations

import os
import secrets
import struct
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from amparo.ledger.errors import LedgerError
from amparo.ledger.merkle import HASH_SIZE, packed_levels

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT  # 256
CHECKPOINT_PATH = "checkpoint"
MAX_ENTRY_SIZE = 0xFFFF


def _index_path(n: int) -> str:
    if n < 0:
        raise ValueError("tile index must not be negative")
    groups = [f"{n % 1000:03d}"]
    n //= 1000
    while n:
        groups.append(f"x{n % 1000:03d}")
        n //= 1000
    return "/".join(reversed(groups))


def tile_path(level: int, index: int, width: int = TILE_WIDTH) -> str:
    """Return ``tile/<L>/<N>[.p/<W>]``."""
    if not 0 <= level <= 63:
        raise ValueError("tile level must be between 0 and 63")
    if not 1 <= width <= TILE_WIDTH:
        raise ValueError("tile width must be between 1 and 256")
    suffix = "" if width == TILE_WIDTH else f".p/{width}"
    return f"tile/{level}/{_index_path(index)}{suffix}"


def entries_path(index: int, width: int = TILE_WIDTH) -> str:
    """Return ``tile/entries/<N>[.p/<W>]``."""
    if not 1 <= width <= TILE_WIDTH:
        raise ValueError("entry bundle width must be between 1 and 256")
    suffix = "" if width == TILE_WIDTH else f".p/{width}"
    return f"tile/entries/{_index_path(index)}{suffix}"


def encode_bundle(entries: Sequence[bytes]) -> bytes:
    """Concatenate entries, each prefixed by its length as a big-endian uint16."""
    out = bytearray()
    for e in entries:
        if len(e) > MAX_ENTRY_SIZE:
            raise LedgerError(f"log entry of {len(e)} bytes is larger than {MAX_ENTRY_SIZE}")
        out += struct.pack(">H", len(e))
        out += e
    return bytes(out)


def decode_bundle(data: bytes) -> list[bytes]:
    """Split an entry bundle into its entries; raise :class:`LedgerError` if it is truncated."""
    entries: list[bytes] = []
    pos = 0
    while pos < len(data):
        if pos + 2 > len(data):
            raise LedgerError("entry bundle ends inside a length prefix")
        (length,) = struct.unpack_from(">H", data, pos)
        pos += 2
        if pos + length > len(data):
            raise LedgerError("entry bundle ends inside an entry")
        entries.append(data[pos : pos + length])
        pos += length
    return entries


def split_hashes(tile: bytes) -> list[bytes]:
    if len(tile) % HASH_SIZE:
        raise LedgerError("tile length is not a multiple of 32 bytes")
    return [tile[i : i + HASH_SIZE] for i in range(0, len(tile), HASH_SIZE)]


# --- storage ---------------------------------------------------------------------------------------------


@runtime_checkable
class TileStore(Protocol):
    """Where a log keeps its files. ``write`` must be atomic and durable when it returns: a reader sees the
    old content or the new, never a mix, and a crash after ``write`` returns keeps the new content."""

    def read(self, path: str) -> bytes | None: ...

    def write(self, path: str, data: bytes) -> None: ...


def check_rel_path(path: str) -> None:
    parts = path.split("/")
    if not path or path.startswith("/") or any(p in ("", ".", "..") for p in parts) or "\\" in path:
        raise LedgerError(f"refusing unsafe log path {path!r}")


class MemoryTileStore:
    """A :class:`TileStore` in a dict, for tests and for verifying downloaded tiles in memory."""

    def __init__(self, files: dict[str, bytes] | None = None) -> None:
        self.files: dict[str, bytes] = dict(files or {})

    def read(self, path: str) -> bytes | None:
        return self.files.get(path)

    def write(self, path: str, data: bytes) -> None:
        check_rel_path(path)
        self.files[path] = bytes(data)


class DirectoryTileStore:
    """A :class:`TileStore` in a local folder: each file is written to a temporary file that is fsynced and
    renamed over the target, then the folder is fsynced (and the parent of any folder it had to create)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _full(self, path: str) -> Path:
        check_rel_path(path)
        return self.root / path

    def read(self, path: str) -> bytes | None:
        try:
            return self._full(path).read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None

    def write(self, path: str, data: bytes) -> None:
        self.write_many([(path, data)])

    def write_many(self, items: Sequence[tuple[str, bytes]]) -> None:
        """Write several files, each atomically, fsyncing every folder once at the end: same guarantee as
        calling :meth:`write` for each (all durable when this returns), with fewer fsyncs. Optional for
        other stores: :class:`~amparo.ledger.tlog.TileLog` uses it when a store has it."""
        dirty: dict[Path, None] = {}
        for path, data in items:
            target = self._full(path)
            parent = target.parent
            if not parent.is_dir():
                missing = [p for p in [parent, *parent.parents] if not p.exists()]
                parent.mkdir(parents=True, exist_ok=True)
                for created in reversed(missing):
                    dirty[created.parent] = None
            _write_file(parent / f".tmp-{target.name}-{secrets.token_hex(8)}", data, target)
            dirty[parent] = None
        for folder in sorted(dirty, key=lambda p: len(p.parts), reverse=True):  # deepest first
            _fsync_dir(folder)


def _write_file(tmp: Path, data: bytes, target: Path) -> None:
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    os.close(fd)
    os.replace(tmp, target)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- reading tree hashes back out of tiles -----------------------------------------------------------------


class TileHashReader:
    """Read perfect-subtree hashes of a log of ``log_size`` leaves out of its tiles.

    ``node(level, index)`` finds the tile holding that subtree, computes the tile's inner levels once and
    keeps them in an LRU cache of ``cache_tiles`` tiles. Works for any tree size up to ``log_size``.
    """

    def __init__(self, store: TileStore, log_size: int, cache_tiles: int = 1024) -> None:
        self.store = store
        self.log_size = log_size
        self.cache_tiles = cache_tiles
        # (level, index, width) -> the tile's inner levels, each packed in one bytes object (~16 KiB a tile).
        # Never stale: a tile of a given width is immutable once a checkpoint covers it, and only tiles
        # within log_size (raised after the checkpoint is written) are read.
        self._cache: OrderedDict[tuple[int, int, int], list[bytes]] = OrderedDict()

    def tile_width(self, level: int, index: int) -> int:
        """Width of tile ``index`` at tile level ``level`` in a tree of ``log_size`` leaves (0: none)."""
        count = self.log_size >> (TILE_HEIGHT * level)
        return max(0, min(TILE_WIDTH, count - index * TILE_WIDTH))

    def tile_levels(self, level: int, index: int) -> list[bytes]:
        width = self.tile_width(level, index)
        key = (level, index, width)
        levels = self._cache.get(key)
        if levels is not None:
            self._cache.move_to_end(key)
            return levels
        if width == 0:
            raise LedgerError(f"tile {level}/{index} is beyond tree size {self.log_size}")
        path = tile_path(level, index, width)
        data = self.store.read(path)
        if data is None:
            raise LedgerError(f"missing tile {path}")
        if len(data) != width * HASH_SIZE:
            raise LedgerError(f"tile {path} is {len(data)} bytes, expected {width * HASH_SIZE}")
        levels = packed_levels(data)
        self.remember(key, levels)
        return levels

    def remember(self, key: tuple[int, int, int], levels: list[bytes]) -> None:
        """Put a tile's packed levels (as computed by ``packed_levels``) in the cache."""
        self._cache[key] = levels
        self._cache.move_to_end(key)
        if len(self._cache) > self.cache_tiles:
            self._cache.popitem(last=False)

    def node(self, level: int, index: int) -> bytes:
        tile_level, sub = divmod(level, TILE_HEIGHT)
        first = index << sub  # index of the subtree's first hash at tree level 8 * tile_level
        levels = self.tile_levels(tile_level, first >> TILE_HEIGHT)
        pos = (index & ((TILE_WIDTH >> sub) - 1)) * HASH_SIZE
        if sub >= len(levels) or pos + HASH_SIZE > len(levels[sub]):
            raise LedgerError(f"node {level}/{index} is not a complete subtree of the stored tiles")
        return levels[sub][pos : pos + HASH_SIZE]
