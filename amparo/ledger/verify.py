"""Offline verification: everything here works from files and a published verifier key, no database.

- :func:`verify_checkpoint`             a signed checkpoint against a key
- :func:`verify_leaf`                   an entry's inclusion under a signed checkpoint
- :func:`verify_receipt`                a c2sp.org/tlog-proof receipt
- :func:`verify_checkpoint_consistency` that a newer checkpoint extends an older one
- :func:`verify_tiles`                  a whole tiles folder: every tile recomputed from the entries

Every failure raises :class:`VerificationError` with a message that names what failed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from amparo.ledger.checkpoint import Checkpoint, verify_checkpoint
from amparo.ledger.errors import LedgerError, VerificationError
from amparo.ledger.merkle import HASH_SIZE, leaf_hash, packed_levels, verify_consistency, verify_inclusion
from amparo.ledger.note import NoteVerifier
from amparo.ledger.receipt import Verified, verify_receipt
from amparo.ledger.tiles import (
    CHECKPOINT_PATH,
    TILE_HEIGHT,
    TILE_WIDTH,
    DirectoryTileStore,
    TileStore,
    decode_bundle,
    entries_path,
    split_hashes,
    tile_path,
)
from amparo.ledger.tlog import root_from_edges

Keys = str | NoteVerifier | Iterable[str | NoteVerifier]

__all__ = [
    "TilesReport",
    "Verified",
    "verify_checkpoint",
    "verify_checkpoint_consistency",
    "verify_leaf",
    "verify_receipt",
    "verify_tiles",
]


def verify_leaf(
    checkpoint: bytes,
    keys: Keys,
    index: int,
    leaf: bytes,
    proof: Sequence[bytes],
    *,
    leaf_is_hash: bool = False,
) -> Checkpoint:
    """Check the checkpoint's signature, then that ``leaf`` (data, or hash if ``leaf_is_hash``) is entry
    ``index`` of the tree it signs."""
    cp = verify_checkpoint(checkpoint, keys)
    lh = leaf if leaf_is_hash else leaf_hash(leaf)
    verify_inclusion(index, cp.size, lh, proof, cp.root)
    return cp


def verify_checkpoint_consistency(
    old: bytes, new: bytes, proof: Sequence[bytes], keys: Keys
) -> tuple[Checkpoint, Checkpoint]:
    """Check both checkpoints' signatures, that they are of the same log, and the consistency proof."""
    old_cp = verify_checkpoint(old, keys)
    new_cp = verify_checkpoint(new, keys)
    if old_cp.origin != new_cp.origin:
        raise VerificationError(f"checkpoints are of different logs: {old_cp.origin!r} and {new_cp.origin!r}")
    verify_consistency(old_cp.size, new_cp.size, old_cp.root, new_cp.root, proof)
    return old_cp, new_cp


@dataclass(frozen=True)
class TilesReport:
    checkpoint: Checkpoint
    entries: int
    tiles: int
    bundles: int


def _read(store: TileStore, path: str, what: str) -> bytes:
    data = store.read(path)
    if data is None:
        raise VerificationError(f"{what} {path} is missing")
    return data


def _check_tile(store: TileStore, level: int, index: int, expected: Sequence[bytes]) -> None:
    path = tile_path(level, index, len(expected))
    data = _read(store, path, "tile")
    if len(data) != len(expected) * HASH_SIZE:
        raise VerificationError(
            f"tile {path} is {len(data)} bytes, expected {len(expected) * HASH_SIZE} ({len(expected)} hashes)"
        )
    for i, (got, want) in enumerate(zip(split_hashes(data), expected, strict=True)):
        if got != want:
            below = index * TILE_WIDTH + i
            source = f"entry {below}" if level == 0 else f"the root of tile {tile_path(level - 1, below)}"
            raise VerificationError(f"tile {path} hash {i} does not match {source}")


def verify_tiles(
    location: str | os.PathLike[str] | TileStore, keys: Keys, *, origin: str | None = None
) -> TilesReport:
    """Verify a whole log: the checkpoint signature, every entry bundle, every tile at every level (each
    recomputed from the entries) and the checkpoint's root hash."""
    store: TileStore = location if isinstance(location, TileStore) else DirectoryTileStore(location)
    data = store.read(CHECKPOINT_PATH)
    if data is None:
        raise VerificationError("the checkpoint file is missing: is this a log folder?")
    cp = verify_checkpoint(data, keys, origin=origin)
    size = cp.size
    tiles = bundles = 0
    edges: list[list[bytes]] = []
    # level 0: entries -> leaf hashes, compared with the level-0 tiles; full tiles feed level 1.
    up: list[bytes] = []
    for n in range((size + TILE_WIDTH - 1) // TILE_WIDTH):
        width = min(TILE_WIDTH, size - n * TILE_WIDTH)
        path = entries_path(n, width)
        try:
            entries = decode_bundle(_read(store, path, "entry bundle"))
        except LedgerError as exc:
            raise VerificationError(f"entry bundle {path} is corrupt: {exc}") from exc
        if len(entries) != width:
            raise VerificationError(f"entry bundle {path} holds {len(entries)} entries, expected {width}")
        hashes = [leaf_hash(e) for e in entries]
        _check_tile(store, 0, n, hashes)
        bundles += 1
        tiles += 1
        if width == TILE_WIDTH:
            up.append(packed_levels(b"".join(hashes))[-1])
        else:
            edges.append(hashes)
    if size and size % TILE_WIDTH == 0:
        edges.append([])
    # level 1 and above: each hash is the root of a full tile of the level below.
    level = 1
    while size >> (TILE_HEIGHT * level):
        count = size >> (TILE_HEIGHT * level)
        if len(up) != count:
            raise VerificationError(f"level {level} should have {count} hashes, computed {len(up)}")
        below, up = up, []
        for n in range((count + TILE_WIDTH - 1) // TILE_WIDTH):
            expected = below[n * TILE_WIDTH : (n + 1) * TILE_WIDTH]
            _check_tile(store, level, n, expected)
            tiles += 1
            if len(expected) == TILE_WIDTH:
                up.append(packed_levels(b"".join(expected))[-1])
        edges.append(below[(count // TILE_WIDTH) * TILE_WIDTH :])
        level += 1
    if root_from_edges(size, edges) != cp.root:
        raise VerificationError(f"tiles and entries do not lead to the checkpoint root hash at size {size}")
    return TilesReport(cp, size, tiles, bundles)
