"""A tiled transparency log (c2sp.org/tlog-tiles) written through a :class:`TileStore`.

Writing protocol of :meth:`TileLog.integrate` for a batch of entries appended at the current size ``s``:

1. entry bundles from the one holding entry ``s`` to the last one (full bundles, then a partial ``.p/<W>``);
2. tiles level by level, from level 0 upwards (full tiles, then the partial tile of the new size);
3. the newly signed checkpoint, LAST. It is the commit point.

Full tiles and bundles beyond the checkpoint's size, and partial ones of other widths, are never read, so a
crash at any step leaves the previous checkpoint and everything it covers intact; integrating again from
the same size rewrites the same paths (with identical content if the same entries are given).

One writer at a time: callers must serialise ``integrate`` across processes (e.g. a database lock). Before
writing, ``integrate`` re-reads the stored checkpoint and reloads if another writer advanced the log.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence

from amparo.ledger.checkpoint import Checkpoint, verify_checkpoint
from amparo.ledger.errors import LedgerError
from amparo.ledger.merkle import (
    EMPTY_ROOT,
    HASH_SIZE,
    NodeReader,
    leaf_hash,
    packed_levels,
    perfect_levels,
    tree_root,
)
from amparo.ledger.merkle import consistency_proof as _consistency_proof
from amparo.ledger.merkle import inclusion_proof as _inclusion_proof
from amparo.ledger.note import NoteSigner, NoteVerifier
from amparo.ledger.tiles import (
    CHECKPOINT_PATH,
    MAX_ENTRY_SIZE,
    TILE_HEIGHT,
    TILE_WIDTH,
    MemoryTileStore,
    TileHashReader,
    TileStore,
    decode_bundle,
    encode_bundle,
    entries_path,
    split_hashes,
    tile_path,
)


def _edge_node_reader(edges: Sequence[Sequence[bytes]]) -> NodeReader:
    """Node reader over the rightmost partial tile of every level: enough to compute the root."""
    levels = [perfect_levels(edge) if edge else [] for edge in edges]

    def node(level: int, index: int) -> bytes:
        tile_level, sub = divmod(level, TILE_HEIGHT)
        return levels[tile_level][sub][index & ((TILE_WIDTH >> sub) - 1)]

    return node


def root_from_edges(size: int, edges: Sequence[Sequence[bytes]]) -> bytes:
    """Root of a tree of ``size`` leaves given, per tile level, the hashes of its rightmost partial tile."""
    return EMPTY_ROOT if size == 0 else tree_root(size, _edge_node_reader(edges))


class TileLog:
    """An append-only log of byte entries stored as tiles, with signed checkpoints.

    ``signer`` signs every new checkpoint (``extra_signers`` too, e.g. during a key rotation). The stored
    checkpoint is accepted on start if any of these keys or of ``trusted_keys`` (verifier keys of retired
    signers) signed it.
    """

    def __init__(
        self,
        store: TileStore,
        origin: str,
        signer: NoteSigner,
        *,
        trusted_keys: Iterable[str | NoteVerifier] = (),
        extra_signers: Sequence[NoteSigner] = (),
        cache_tiles: int = 1024,
    ) -> None:
        if not origin or "\n" in origin:
            raise LedgerError("log origin must be one non-empty line")
        self.store = store
        self.origin = origin
        self.signer = signer
        self._signers = [signer, *extra_signers]  # e.g. the old and the new key during a rotation
        self._trusted = [signer.verifier(), *(s.verifier() for s in extra_signers), *trusted_keys]
        self._cache_tiles = cache_tiles
        self._lock = threading.RLock()
        self._load()

    # --- state -------------------------------------------------------------------------------------------

    def _load(self) -> None:
        data = self.store.read(CHECKPOINT_PATH)
        self._checkpoint: Checkpoint | None = None
        self._edges: list[list[bytes]] = []
        self._bundle: list[bytes] = []
        self._size = 0
        self._root = EMPTY_ROOT
        self._reader = TileHashReader(self.store, 0, self._cache_tiles)
        if data is None:
            return
        cp = verify_checkpoint(data, self._trusted, origin=self.origin)
        size = cp.size
        edges: list[list[bytes]] = []
        level = 0
        while size >> (TILE_HEIGHT * level):
            count = size >> (TILE_HEIGHT * level)
            width = count % TILE_WIDTH
            edge: list[bytes] = []
            if width:
                path = tile_path(level, count // TILE_WIDTH, width)
                tile = self.store.read(path)
                if tile is None or len(tile) != width * HASH_SIZE:
                    raise LedgerError(f"missing or truncated tile {path} for checkpoint size {size}")
                edge = split_hashes(tile)
            edges.append(edge)
            level += 1
        bundle: list[bytes] = []
        if size % TILE_WIDTH:
            path = entries_path(size // TILE_WIDTH, size % TILE_WIDTH)
            raw = self.store.read(path)
            if raw is None:
                raise LedgerError(f"missing entry bundle {path} for checkpoint size {size}")
            bundle = decode_bundle(raw)
            if [leaf_hash(e) for e in bundle] != edges[0]:  # it is copied into the next full bundle
                raise LedgerError(f"entry bundle {path} does not match its level-0 tile")
        if root_from_edges(size, edges) != cp.root:
            raise LedgerError(f"stored tiles do not match the checkpoint root at size {size}")
        self._checkpoint, self._edges, self._size, self._root = cp, edges, size, cp.root
        self._bundle = bundle
        self._reader = TileHashReader(self.store, size, self._cache_tiles)

    def refresh(self) -> None:
        """Reload the state from the stored checkpoint (after another writer appended)."""
        with self._lock:
            self._load()

    @property
    def size(self) -> int:
        return self._size

    @property
    def root(self) -> bytes:
        return self._root

    @property
    def checkpoint(self) -> Checkpoint | None:
        """The latest committed checkpoint (``None`` for a log that was never integrated)."""
        return self._checkpoint

    # --- writing -----------------------------------------------------------------------------------------

    def integrate(self, entries: Sequence[bytes]) -> Checkpoint:
        """Append ``entries`` (at indices ``size``, ``size + 1``, ...) and return the new signed checkpoint.

        Nothing is visible until the checkpoint is written last; on any exception the log is unchanged.
        """
        for e in entries:
            if len(e) > MAX_ENTRY_SIZE:
                raise LedgerError(f"log entry of {len(e)} bytes is larger than {MAX_ENTRY_SIZE}")
        with self._lock:
            stored = self.store.read(CHECKPOINT_PATH)
            current = self._checkpoint.note if self._checkpoint else None
            if stored != current:
                self._load()
            start = self._size
            new_size = start + len(entries)
            writes: list[tuple[str, bytes]] = []
            new_bundle = self._bundle
            if entries:
                new_bundle = self._plan_bundles(start, list(entries), writes)
            full_tiles: list[tuple[tuple[int, int, int], list[bytes]]] = []
            new_edges = self._plan_tiles(start, new_size, [leaf_hash(e) for e in entries], writes, full_tiles)
            root = root_from_edges(new_size, new_edges)
            cp = Checkpoint(self.origin, new_size, root).sign(self._signers)
            write_many = getattr(self.store, "write_many", None)
            if write_many is not None:
                write_many(writes)
            else:
                for path, data in writes:
                    self.store.write(path, data)
            self.store.write(CHECKPOINT_PATH, cp.note)
            self._checkpoint, self._size, self._root = cp, new_size, root
            self._edges, self._bundle = new_edges, new_bundle
            self._reader.log_size = new_size
            for key, levels in full_tiles:  # receipts for fresh entries need no tile read
                self._reader.remember(key, levels)
            return cp

    def _plan_bundles(self, start: int, entries: list[bytes], writes: list[tuple[str, bytes]]) -> list[bytes]:
        pending = self._bundle + entries
        first = start // TILE_WIDTH
        last: list[bytes] = []
        for i in range(0, len(pending), TILE_WIDTH):
            chunk = pending[i : i + TILE_WIDTH]
            writes.append((entries_path(first + i // TILE_WIDTH, len(chunk)), encode_bundle(chunk)))
            last = chunk
        return [] if len(last) == TILE_WIDTH else last

    def _plan_tiles(
        self,
        start: int,
        new_size: int,
        hashes: list[bytes],
        writes: list[tuple[str, bytes]],
        full_tiles: list[tuple[tuple[int, int, int], list[bytes]]],
    ) -> list[list[bytes]]:
        new_edges: list[list[bytes]] = []
        level = 0
        while new_size >> (TILE_HEIGHT * level):
            old_count = start >> (TILE_HEIGHT * level)
            new_count = new_size >> (TILE_HEIGHT * level)
            edge = self._edges[level] if level < len(self._edges) else []
            if new_count == old_count:  # nothing changes at this level or above
                new_edges.extend(self._edges[level:])
                break
            pending = edge + hashes
            first = old_count // TILE_WIDTH
            up: list[bytes] = []
            last: list[bytes] = []
            for i in range(0, len(pending), TILE_WIDTH):
                chunk = pending[i : i + TILE_WIDTH]
                packed = b"".join(chunk)
                writes.append((tile_path(level, first + i // TILE_WIDTH, len(chunk)), packed))
                if len(chunk) == TILE_WIDTH:
                    levels = packed_levels(packed)
                    up.append(levels[-1])
                    full_tiles.append(((level, first + i // TILE_WIDTH, TILE_WIDTH), levels))
                last = chunk
            new_edges.append([] if len(last) == TILE_WIDTH else last)
            hashes = up
            level += 1
        return new_edges

    # --- reading -----------------------------------------------------------------------------------------

    def _check_size(self, tree_size: int) -> None:
        if not 0 < tree_size <= self._size:
            raise LedgerError(f"tree size {tree_size} is not between 1 and the log size {self._size}")

    def inclusion_proof(self, index: int, tree_size: int | None = None) -> list[bytes]:
        """Audit path of entry ``index`` in the tree of ``tree_size`` entries (default: current size)."""
        with self._lock:
            tree_size = self._size if tree_size is None else tree_size
            self._check_size(tree_size)
            return _inclusion_proof(index, tree_size, self._reader.node)

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """Consistency proof from the tree of ``old_size`` entries to ``new_size`` (default: current)."""
        with self._lock:
            new_size = self._size if new_size is None else new_size
            self._check_size(new_size)
            return _consistency_proof(old_size, new_size, self._reader.node)

    def root_at(self, tree_size: int) -> bytes:
        """Root hash of the tree of the first ``tree_size`` entries, computed from the tiles."""
        with self._lock:
            if tree_size == 0:
                return EMPTY_ROOT
            self._check_size(tree_size)
            return tree_root(tree_size, self._reader.node)

    def entry(self, index: int) -> bytes:
        """The data of entry ``index``."""
        with self._lock:
            if not 0 <= index < self._size:
                raise LedgerError(f"entry {index} is outside the log of size {self._size}")
            bundle = index // TILE_WIDTH
            if bundle == self._size // TILE_WIDTH:
                return self._bundle[index % TILE_WIDTH]
            path = entries_path(bundle)
            raw = self.store.read(path)
            if raw is None:
                raise LedgerError(f"missing entry bundle {path}")
            entries = decode_bundle(raw)
            if len(entries) != TILE_WIDTH:
                raise LedgerError(f"entry bundle {path} holds {len(entries)} entries, expected {TILE_WIDTH}")
            return entries[index % TILE_WIDTH]

    def leaf_hash(self, index: int) -> bytes:
        """The leaf hash of entry ``index``, read from the level-0 tile."""
        with self._lock:
            if not 0 <= index < self._size:
                raise LedgerError(f"entry {index} is outside the log of size {self._size}")
            return self._reader.node(0, index)

    def receipt(self, index: int, *, extra: bytes | None = None) -> bytes:
        """A c2sp.org/tlog-proof receipt for entry ``index`` against the latest checkpoint."""
        from amparo.ledger.receipt import make_receipt

        with self._lock:
            if self._checkpoint is None:
                raise LedgerError("the log has no checkpoint yet")
            return make_receipt(self._checkpoint.note, index, self.inclusion_proof(index), extra=extra)


def root_from_tiles(tiles: TileStore | Mapping[str, bytes], size: int) -> bytes:
    """Root of the tree of ``size`` entries from stored tiles alone: a :class:`TileStore`, or a plain dict
    of tile paths to bytes (e.g. tiles downloaded from a mirror). The partial tiles of that size must be
    there, as they are for every checkpointed size."""
    if size == 0:
        return EMPTY_ROOT
    store = MemoryTileStore(dict(tiles)) if isinstance(tiles, Mapping) else tiles
    return tree_root(size, TileHashReader(store, size).node)
