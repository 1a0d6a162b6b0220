from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from amparo.media.index import BinaryIndex, brute_force


def near(code: np.ndarray, flips: int, rng: np.random.Generator) -> np.ndarray:
    out = code.copy()
    for bit in rng.choice(256, size=flips, replace=False):
        out[bit // 8] ^= 1 << (bit % 8)
    return out


@pytest.fixture
def stored() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(5)
    codes = rng.integers(0, 256, size=(20_000, 32), dtype=np.uint8)
    # Plant families of near-duplicates at every distance from 0 to 40 around a few centres.
    centres = codes[:10]
    extra = np.array([near(c, d, rng) for c in centres for d in range(0, 41)], dtype=np.uint8)
    all_codes = np.concatenate([codes, extra])
    ids = np.arange(len(all_codes), dtype=np.int64) * 3 + 1_000_000_000_000
    return ids, all_codes


def test_it_returns_exactly_the_brute_force_answer(stored: tuple[np.ndarray, np.ndarray]) -> None:
    ids, codes = stored
    index = BinaryIndex()
    index.add(ids, codes)
    rng = np.random.default_rng(9)
    queries = np.array([near(codes[i % 10], i % 35, rng) for i in range(60)], dtype=np.uint8)
    for radius in (0, 10, 31):
        got = index.search(queries, radius=radius)
        want = brute_force(ids, codes, queries, radius=radius)
        assert [sorted(r) for r in got] == [sorted(r) for r in want]
        assert all(d <= radius for row in got for _id, d in row)
    assert sum(len(r) for r in index.search(queries, radius=31)) > 60  # the planted families are found
    # One query at a time takes the single-thread path and must agree too.
    assert index.search(queries[0], radius=31) == index.search(queries[:1], radius=31)


def test_it_removes_and_keeps_the_rest(stored: tuple[np.ndarray, np.ndarray]) -> None:
    ids, codes = stored
    index = BinaryIndex()
    index.add(ids, codes)
    assert index.remove(ids[:5]) == 5
    assert len(index) == len(ids) - 5
    hits = index.search(codes[:6], radius=0)
    assert all(ids[i] not in [h for h, _ in hits[i]] for i in range(5))
    assert (int(ids[5]), 0) in hits[5]


def test_it_saves_and_loads(tmp_path: Path, stored: tuple[np.ndarray, np.ndarray]) -> None:
    ids, codes = stored
    index = BinaryIndex()
    index.add(ids, codes)
    folder = tmp_path / "indexes"
    folder.mkdir()
    index.save(folder / "frames.index")
    again = BinaryIndex.load(folder / "frames.index")
    assert len(again) == len(index)
    assert again.search(codes[:20]) == index.search(codes[:20])
    assert [p.name for p in folder.iterdir()] == ["frames.index"]  # no temporary file left behind


def test_it_rejects_bad_shapes_and_handles_empty() -> None:
    index = BinaryIndex()
    assert index.search(np.zeros((2, 32), dtype=np.uint8)) == [[], []]
    with pytest.raises(ValueError):
        index.add([1], np.zeros((1, 16), dtype=np.uint8))
    with pytest.raises(ValueError):
        index.add([1, 2], np.zeros((1, 32), dtype=np.uint8))
