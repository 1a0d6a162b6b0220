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


def build(ids: np.ndarray, codes: np.ndarray, layout: str) -> BinaryIndex:
    """The same contents laid out three ways: all hashed, all fresh, or split between both segments."""
    if layout == "hashed":
        index = BinaryIndex(fresh_limit=0)
        index.add(ids, codes)
    elif layout == "fresh":
        index = BinaryIndex(fresh_limit=len(ids) + 1)
        index.add(ids, codes)
    else:
        index = BinaryIndex(fresh_limit=len(ids) // 2)
        half = len(ids) // 2 + 1
        index.add(ids[:half], codes[:half])  # passes the limit: merged into the hashed segment
        index.add(ids[half:], codes[half:])  # stays fresh
    assert len(index) == len(ids)
    return index


LAYOUTS = ["hashed", "fresh", "split"]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_it_returns_exactly_the_brute_force_answer(
    stored: tuple[np.ndarray, np.ndarray], layout: str
) -> None:
    ids, codes = stored
    index = build(ids, codes, layout)
    rng = np.random.default_rng(9)
    queries = np.array([near(codes[i % 10], i % 35, rng) for i in range(60)], dtype=np.uint8)
    for radius in (0, 10, 31, 40):
        got = index.search(queries, radius=radius)
        want = brute_force(ids, codes, queries, radius=radius)
        assert [sorted(r) for r in got] == [sorted(r) for r in want]
        assert all(d <= radius for row in got for _id, d in row)
        assert all([d for _i, d in row] == sorted(d for _i, d in row) for row in got)  # nearest first
    assert sum(len(r) for r in index.search(queries, radius=31)) > 60  # the planted families are found
    # One query at a time takes the single-thread path and must agree too.
    assert index.search(queries[0], radius=31) == index.search(queries[:1], radius=31)


def test_it_stays_exact_on_heavily_clustered_codes() -> None:
    # Thousands of codes in one tight cluster (like near-black frames) force the flat-scan fallback.
    rng = np.random.default_rng(3)
    centre = rng.integers(0, 256, size=32, dtype=np.uint8)
    codes = np.array([near(centre, int(d), rng) for d in rng.integers(0, 20, size=5000)], dtype=np.uint8)
    ids = np.arange(len(codes), dtype=np.int64)
    index = build(ids, codes, "hashed")
    queries = np.array([near(centre, 5, rng), rng.integers(0, 256, size=32, dtype=np.uint8)])
    assert index.search(queries, radius=31) == brute_force(ids, codes, queries, radius=31)
    assert len(index.search(queries, radius=31)[0]) > 1000


@pytest.mark.parametrize("layout", LAYOUTS)
def test_it_removes_and_keeps_the_rest(stored: tuple[np.ndarray, np.ndarray], layout: str) -> None:
    ids, codes = stored
    index = build(ids, codes, layout)
    gone = np.concatenate([ids[:5], ids[-5:]])  # from both ends, so from both segments when split
    assert index.remove(gone) == 10
    assert index.remove(gone) == 0
    assert len(index) == len(ids) - 10
    hits = index.search(np.concatenate([codes[:6], codes[-6:]]), radius=0)
    found = {i for row in hits for i, _d in row}
    assert not found & set(gone.tolist())
    assert {int(ids[5]), int(ids[-6])} <= found


def test_it_compacts_after_many_removals(stored: tuple[np.ndarray, np.ndarray]) -> None:
    ids, codes = stored
    index = build(ids, codes, "hashed")
    assert index.remove(ids[: len(ids) // 2]) == len(ids) // 2
    rest_ids, rest_codes = ids[len(ids) // 2 :], codes[len(ids) // 2 :]
    assert len(index) == len(rest_ids)
    queries = codes[::500]
    assert index.search(queries, radius=31) == brute_force(rest_ids, rest_codes, queries, radius=31)


def test_it_saves_and_loads(tmp_path: Path, stored: tuple[np.ndarray, np.ndarray]) -> None:
    ids, codes = stored
    index = build(ids, codes, "split")
    index.remove(ids[:3])
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
