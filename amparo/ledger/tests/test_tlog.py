"""TileLog: appends in batches, proofs read from tiles, reloading, and crash safety."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amparo.ledger import (
    EMPTY_ROOT,
    LedgerError,
    MemoryTileStore,
    MemoryTree,
    NoteSigner,
    TileLog,
    leaf_hash,
    root_from_tiles,
    verify_checkpoint,
    verify_consistency,
    verify_inclusion,
    verify_tiles,
)
from amparo.ledger.tests.conftest import ORIGIN, CrashingStore, entries_for

BATCHES = [1, 0, 3, 252, 1, 256, 257, 600, 3000, 70000 - 4370]


def test_it_matches_an_in_memory_tree_batch_after_batch(signer: NoteSigner, store: MemoryTileStore) -> None:
    log = TileLog(store, ORIGIN, signer)
    assert log.size == 0 and log.checkpoint is None
    tree = MemoryTree()
    for batch in BATCHES:
        entries = entries_for(tree.size, batch)
        cp = log.integrate(entries)
        for e in entries:
            tree.append_hash(leaf_hash(e))
        assert (cp.size, cp.root) == (tree.size, tree.root()) == (log.size, log.root)
        assert verify_checkpoint(store.files["checkpoint"], signer.vkey) == cp
        for index in {0, tree.size // 2, tree.size - 1}:
            assert log.inclusion_proof(index) == tree.inclusion_proof(index)
            assert log.entry(index) == entries_for(index, 1)[0]
            assert log.leaf_hash(index) == leaf_hash(log.entry(index))
        assert (
            root_from_tiles(store, tree.size) == root_from_tiles(dict(store.files), tree.size) == tree.root()
        )


@pytest.fixture(scope="module")
def big_log() -> tuple[TileLog, MemoryTree]:
    signer = NoteSigner.generate(ORIGIN)
    log = TileLog(MemoryTileStore(), ORIGIN, signer)
    tree = MemoryTree()
    sizes = []
    for batch in BATCHES:
        entries = entries_for(tree.size, batch)
        log.integrate(entries)
        for e in entries:
            tree.append_hash(leaf_hash(e))
        sizes.append(tree.size)
    return log, tree


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_tile_proofs_equal_memory_proofs_for_random_sizes(big_log: tuple[TileLog, MemoryTree], data) -> None:  # type: ignore[no-untyped-def]  # hypothesis data
    log, tree = big_log
    size = data.draw(st.integers(1, log.size))
    index = data.draw(st.integers(0, size - 1))
    old = data.draw(st.integers(1, size))
    proof = log.inclusion_proof(index, size)
    assert proof == tree.inclusion_proof(index, size)
    verify_inclusion(index, size, leaf_hash(entries_for(index, 1)[0]), proof, log.root_at(size))
    cproof = log.consistency_proof(old, size)
    assert cproof == tree.consistency_proof(old, size)
    verify_consistency(old, size, log.root_at(old), log.root_at(size), cproof)


def test_it_reloads_from_the_store(signer: NoteSigner, store: MemoryTileStore) -> None:
    log = TileLog(store, ORIGIN, signer)
    log.integrate(entries_for(0, 1000))
    again = TileLog(store, ORIGIN, signer)
    assert (again.size, again.root, again.checkpoint) == (log.size, log.root, log.checkpoint)
    again.integrate(entries_for(1000, 10))
    log.integrate(entries_for(1010, 5))  # notices the other writer and reloads first
    fresh = MemoryTree.from_entries(entries_for(0, 1015))
    assert log.root == fresh.root() and log.size == 1015


def test_it_refuses_a_checkpoint_of_another_log_or_key(signer: NoteSigner, store: MemoryTileStore) -> None:
    TileLog(store, ORIGIN, signer).integrate([b"x"])
    with pytest.raises(LedgerError, match="expected"):
        TileLog(store, "other.example/log", signer)
    with pytest.raises(LedgerError, match="not signed by any trusted key"):
        TileLog(store, ORIGIN, NoteSigner.generate(ORIGIN))
    rotated = NoteSigner.generate(ORIGIN)
    transition = TileLog(store, ORIGIN, rotated, extra_signers=[signer])
    both = transition.integrate([b"y"])
    assert verify_checkpoint(both.note, signer.vkey) == verify_checkpoint(both.note, rotated.vkey)
    log = TileLog(store, ORIGIN, rotated, trusted_keys=[signer.vkey])
    cp = log.integrate([b"z"])
    verify_checkpoint(cp.note, rotated.vkey)
    with pytest.raises(LedgerError, match="not signed by any trusted key"):
        verify_checkpoint(cp.note, signer.vkey)


def test_it_detects_a_tampered_partial_tile_on_load(signer: NoteSigner, store: MemoryTileStore) -> None:
    TileLog(store, ORIGIN, signer).integrate(entries_for(0, 300))
    tile = bytearray(store.files["tile/0/001.p/44"])
    tile[5] ^= 1
    store.files["tile/0/001.p/44"] = bytes(tile)
    with pytest.raises(LedgerError, match="does not match its level-0 tile"):
        TileLog(store, ORIGIN, signer)


@pytest.mark.parametrize("path", ["tile/entries/001.p/44", "tile/0/001.p/44", "tile/1/000.p/1"])
def test_it_refuses_to_start_on_a_damaged_right_edge(
    signer: NoteSigner, store: MemoryTileStore, path: str
) -> None:
    TileLog(store, ORIGIN, signer).integrate(entries_for(0, 300))
    data = store.files[path]
    for damaged in (data[:-1], data[:-1] + bytes([data[-1] ^ 1])):
        copy = MemoryTileStore({**store.files, path: damaged})
        with pytest.raises(LedgerError):
            TileLog(copy, ORIGIN, signer)


def test_it_rejects_oversized_entries_and_bad_ranges(signer: NoteSigner, store: MemoryTileStore) -> None:
    log = TileLog(store, ORIGIN, signer)
    with pytest.raises(LedgerError):
        log.integrate([b"x" * 65536])
    assert store.files == {}
    log.integrate([b"a", b"b"])
    for call in (lambda: log.inclusion_proof(2), lambda: log.inclusion_proof(0, 3), lambda: log.entry(2)):
        with pytest.raises((LedgerError, ValueError)):
            call()


def _run(batches: list[int], signer: NoteSigner) -> dict[str, bytes]:
    store = MemoryTileStore()
    log = TileLog(store, ORIGIN, signer)
    done = 0
    for batch in batches:
        log.integrate(entries_for(done, batch))
        done += batch
    return store.files


@pytest.mark.parametrize("reopen", [False, True])
def test_a_crash_at_any_write_then_retry_equals_the_uninterrupted_run(
    signer: NoteSigner, reopen: bool
) -> None:
    first, second = 300, 700  # the second batch completes tiles at levels 0 and writes level 1
    expected = _run([first, second], signer)
    total_writes = len({p for p in expected if p.startswith("tile/")} - set(_run([first], signer))) + 10
    crashes = 0
    for allowed in range(total_writes):
        inner = MemoryTileStore(_run([first], signer))
        before = dict(inner.files)
        crashing = CrashingStore(inner, allowed)
        log = TileLog(crashing, ORIGIN, signer)
        try:
            log.integrate(entries_for(first, second))
        except OSError:
            crashes += 1
            # the old checkpoint is still the one stored and still verifies against its tiles
            assert inner.files["checkpoint"] == before["checkpoint"]
            assert log.size == first and TileLog(inner, ORIGIN, signer).size == first
            verify_tiles(inner, signer.vkey)
            crashing.allowed = 10**9
            if reopen:
                log = TileLog(crashing, ORIGIN, signer)
            log.integrate(entries_for(first, second))
        assert inner.files == expected, f"crash after {allowed} writes"
        assert log.size == first + second
    assert crashes == 8  # 3 bundles, 3 level-0 tiles, 1 level-1 tile and the checkpoint: every write


def test_a_crashed_batch_can_be_replaced_by_other_entries(signer: NoteSigner) -> None:
    inner = MemoryTileStore()
    TileLog(inner, ORIGIN, signer).integrate(entries_for(0, 100))
    crashing = CrashingStore(inner, 3)
    with pytest.raises(OSError):
        TileLog(crashing, ORIGIN, signer).integrate([b"lost"] * 500)
    log = TileLog(inner, ORIGIN, signer)
    cp = log.integrate(entries_for(100, 500))
    assert cp.root == MemoryTree.from_entries(entries_for(0, 600)).root()
    verify_tiles(inner, signer.vkey)


def test_an_empty_log_can_be_checkpointed_and_reopened(signer: NoteSigner, store: MemoryTileStore) -> None:
    log = TileLog(store, ORIGIN, signer)
    with pytest.raises(LedgerError):
        log.receipt(0)
    cp = log.integrate([])
    assert (cp.size, cp.root) == (0, EMPTY_ROOT)
    assert sorted(store.files) == ["checkpoint"]
    again = TileLog(store, ORIGIN, signer)
    assert again.checkpoint == cp and again.size == 0
    assert again.integrate([b"first"]).root == leaf_hash(b"first")
    assert again.integrate([]).note == again.checkpoint.note  # re-signing the same tree gives the same bytes


def test_fresh_full_tiles_are_cached_after_integrate(signer: NoteSigner) -> None:
    reads: list[str] = []

    class CountingStore(MemoryTileStore):
        def read(self, path: str) -> bytes | None:
            reads.append(path)
            return super().read(path)

    log = TileLog(CountingStore(), ORIGIN, signer)
    log.integrate(entries_for(0, 600))
    reads.clear()
    proof = log.inclusion_proof(300)
    assert "tile/0/001" not in reads  # completed by this batch: its levels were kept
    assert proof == MemoryTree.from_entries(entries_for(0, 600)).inclusion_proof(300)
