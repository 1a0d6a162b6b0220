"""tlog-tiles paths, entry bundles and the directory store."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from amparo.ledger import (
    DirectoryTileStore,
    LedgerError,
    MemoryTileStore,
    NoteSigner,
    TileLog,
    TileStore,
    decode_bundle,
    encode_bundle,
    entries_path,
    tile_path,
)
from amparo.ledger.tests.conftest import ORIGIN, entries_for


@pytest.mark.parametrize(
    ("level", "index", "width", "path"),
    [
        (0, 0, 256, "tile/0/000"),
        (0, 1, 256, "tile/0/001"),
        (1, 999, 256, "tile/1/999"),
        (0, 1000, 256, "tile/0/x001/000"),
        (2, 1234067, 256, "tile/2/x001/x234/067"),
        (0, 273, 112, "tile/0/273.p/112"),
        (1, 1, 17, "tile/1/001.p/17"),
        (63, 0, 1, "tile/63/000.p/1"),
    ],
)
def test_tile_paths(level: int, index: int, width: int, path: str) -> None:
    assert tile_path(level, index, width) == path
    assert entries_path(index, width) == path.replace(f"tile/{level}/", "tile/entries/")


@pytest.mark.parametrize(("level", "width"), [(64, 256), (-1, 256), (0, 0), (0, 257)])
def test_bad_tile_coordinates(level: int, width: int) -> None:
    with pytest.raises(ValueError):
        tile_path(level, 0, width)


def test_bundles_round_trip_and_reject_truncation() -> None:
    entries = [b"", b"a", b"\x00" * 300, bytes(range(256)) * 255]
    data = encode_bundle(entries)
    assert data[:2] == b"\x00\x00" and data[2:5] == b"\x00\x01a" and data[5:7] == (300).to_bytes(2, "big")
    assert decode_bundle(data) == entries
    for cut in (1, 4, len(data) - 1):
        with pytest.raises(LedgerError):
            decode_bundle(data[:cut])
    with pytest.raises(LedgerError):
        encode_bundle([b"x" * 65536])


def test_a_70000_entry_log_has_the_spec_layout(signer: NoteSigner) -> None:
    """tlog-tiles: 'a tree of size 70,000 will be represented by 273 full level 0 tiles, one partial level 0
    tile of width 112, one full level 1 tile, one partial level 1 tile of width 17, and one partial level 2
    tile of width 1'."""
    store = MemoryTileStore()
    TileLog(store, ORIGIN, signer).integrate(entries_for(0, 70000))
    tiles = {p for p in store.files if p.startswith("tile/") and not p.startswith("tile/entries/")}
    level0 = {p for p in tiles if p.startswith("tile/0/")}
    assert len(level0) == 274 and "tile/0/273.p/112" in level0 and "tile/0/272" in level0
    assert tiles - level0 == {"tile/1/000", "tile/1/001.p/17", "tile/2/000.p/1"}
    bundles = {p for p in store.files if p.startswith("tile/entries/")}
    assert len(bundles) == 274 and "tile/entries/273.p/112" in bundles
    assert all(len(store.files[p]) == 8192 for p in tiles if ".p/" not in p)
    assert len(store.files["tile/1/001.p/17"]) == 17 * 32


def test_a_256_entry_log_has_a_level_1_partial_tile(signer: NoteSigner) -> None:
    store = MemoryTileStore()
    TileLog(store, ORIGIN, signer).integrate(entries_for(0, 256))
    assert sorted(store.files) == ["checkpoint", "tile/0/000", "tile/1/000.p/1", "tile/entries/000"]


def test_directory_store_writes_atomically(tmp_path: Path) -> None:
    store = DirectoryTileStore(tmp_path / "log")
    assert isinstance(store, TileStore)
    assert store.read("tile/0/x001/000") is None
    store.write("tile/0/x001/000", b"first")
    store.write("tile/0/x001/000", b"second")
    assert store.read("tile/0/x001/000") == b"second"
    assert (tmp_path / "log" / "tile" / "0" / "x001" / "000").read_bytes() == b"second"
    store.write_many([("tile/entries/000", b"a"), ("tile/0/000.p/1", b"b"), ("checkpoint", b"c")])
    assert [store.read(p) for p in ("tile/entries/000", "tile/0/000.p/1", "checkpoint")] == [b"a", b"b", b"c"]
    leftovers = [name for _, _, files in os.walk(tmp_path) for name in files if name.startswith(".tmp")]
    assert leftovers == []


@pytest.mark.parametrize("path", ["../escape", "/etc/passwd", "tile/../../x", "tile//0", "", "tile\\0"])
def test_stores_refuse_unsafe_paths(tmp_path: Path, path: str) -> None:
    for store in (DirectoryTileStore(tmp_path), MemoryTileStore()):
        with pytest.raises(LedgerError):
            store.write(path, b"x")
    assert not (tmp_path.parent / "escape").exists()
