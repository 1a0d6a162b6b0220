"""Exact look-up of 256-bit fingerprints (PDQ hashes) within a Hamming radius.

``BinaryIndex`` stores ``(id, 32-byte code)`` pairs (ids are the caller's 64-bit numbers and need not be unique:
a video's id can label each of its frame hashes) and returns *every* stored code within the radius: 100 %
recall, no approximation.

How it stays fast at 1,000,000 codes. A flat scan (faiss ``IndexBinaryFlat``: XOR + popcount over all 32 MB)
takes about 2 ms on an idle core, but several times that on a busy shared machine, because it reads all the
memory every time. So the bulk of the codes also sits in a multi-index hash (Norouzi et al., "Fast exact
search in Hamming space with multi-index hashing", 2012): the 256 bits are cut into 16 substrings of 16 bits,
and by the pigeonhole principle any code within distance 31 agrees with the query to within one bit in at
least one substring. Looking up each substring's value and its 16 one-bit neighbours in 16 sorted tables
gives about 4,000 candidates at 1,000,000 codes, which are then checked exactly (about 1 ms). For a radius
above 31 (two flips per substring would mean ~33,000 candidates, slower than scanning), or when candidates
would exceed a quarter of the rows (heavily clustered data), the faiss flat scan answers instead. Either way
the answer is exact.

New codes go to a small faiss flat "fresh" segment (cheap to append and to scan); once it passes
``fresh_limit`` codes it is merged into the hashed segment. Removal marks rows dead; they are dropped at
the next merge.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import faiss
import numpy as np

BITS = 256
CODE_BYTES = BITS // 8
PARTS = 16  # substrings of 16 bits
MAX_FLIPS = 1  # flips per substring the tables are searched with: exact up to radius PARTS * 2 - 1 = 31
SMALL_BATCH = 16
# XOR masks per number of flips: flips=0 looks up the value itself, flips=1 also its 16 one-bit neighbours.
_MASKS = [np.array([0], dtype=np.uint16), np.array([0] + [1 << k for k in range(16)], dtype=np.uint16)]
_TABLE_BASE = (np.arange(PARTS, dtype=np.int64) * ((1 << 16) + 1))[:, None]


def _codes(codes: np.ndarray) -> np.ndarray:
    array = np.ascontiguousarray(codes, dtype=np.uint8)
    if array.ndim == 1 and array.size == CODE_BYTES:
        array = array.reshape(1, CODE_BYTES)
    if array.ndim != 2 or array.shape[1] != CODE_BYTES:
        raise ValueError(f"codes must have shape (n, {CODE_BYTES}), not {array.shape}")
    return array


def _ids(ids: np.ndarray | list[int]) -> np.ndarray:
    return np.ascontiguousarray(ids, dtype=np.int64).reshape(-1)


def _range_search(index: faiss.IndexBinary, queries: np.ndarray, radius: int) -> tuple[np.ndarray, ...]:
    """faiss's range search; distances kept are strictly below ``radius``.

    faiss splits one query's scan across OpenMP threads, which costs ~10x on a busy 2-core machine (measured:
    28 ms vs 2.2 ms at 1,000,000 codes), so a few queries are scanned on one thread, big batches on all.
    """
    if len(queries) >= SMALL_BATCH:
        return tuple(index.range_search(queries, radius))
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        return tuple(index.range_search(queries, radius))
    finally:
        faiss.omp_set_num_threads(threads)


class _Hashed:
    """The bulk segment: codes in a faiss flat index (for fallback scans) plus 16 substring tables."""

    def __init__(self, ids: np.ndarray, codes: np.ndarray) -> None:
        self.ids = ids
        self.alive = np.ones(len(ids), dtype=bool)
        self.flat = faiss.IndexBinaryFlat(BITS)
        if len(codes):
            self.flat.add(codes)
        # A numpy view of the codes faiss holds: no second copy of the 32 bytes per code.
        if len(codes):
            xb = self.flat.xb  # type: ignore[attr-defined]  # SWIG attribute missing from faiss's stubs
            codes = np.asarray(faiss.rev_swig_ptr(xb.data(), len(codes) * CODE_BYTES))
        self.codes = codes.reshape(-1, CODE_BYTES)
        self.words = self.codes.view(np.uint64)
        parts = self.codes.view(np.uint16)  # (n, 16)
        n = len(self.codes)
        self.rows = np.empty(PARTS * n, dtype=np.int32)
        self.offsets = np.empty((PARTS, (1 << 16) + 1), dtype=np.int64)
        for part in range(PARTS):
            values = parts[:, part]
            order = np.argsort(values, kind="stable")  # radix sort for 16-bit keys
            self.rows[part * n : (part + 1) * n] = order
            counts = np.bincount(values, minlength=1 << 16)
            self.offsets[part, 0] = part * n
            np.cumsum(counts, out=self.offsets[part, 1:])
            self.offsets[part, 1:] += part * n
        self.flat_offsets = self.offsets.ravel()

    def __len__(self) -> int:
        return len(self.ids)

    def search_one(self, query: np.ndarray, radius: int) -> list[tuple[int, int]]:
        if not len(self.ids):
            return []
        flips = radius // PARTS
        if flips <= MAX_FLIPS:
            rows = self._candidates(query, flips)
            if rows is not None:
                words = query.view(np.uint64)
                dist = np.bitwise_count(self.words[rows] ^ words).sum(axis=1, dtype=np.int32)
                keep = dist <= radius
                # A row can be a candidate through several substrings: deduplicate the (few) hits only.
                hits, first = np.unique(rows[keep], return_index=True)
                dist = dist[keep][first]
                live = self.alive[hits]
                return list(zip(self.ids[hits[live]].tolist(), dist[live].tolist(), strict=True))
        _lims, distances, labels = _range_search(self.flat, query[None, :], radius + 1)
        keep = self.alive[labels]
        return list(zip(self.ids[labels[keep]].tolist(), distances[keep].tolist(), strict=True))

    def _candidates(self, query: np.ndarray, flips: int) -> np.ndarray | None:
        # Row r of the flat offsets table starts at r * 65537: key k of substring p is at p * 65537 + k.
        keys = (query.view(np.uint16)[:, None] ^ _MASKS[flips]).astype(np.int64) + _TABLE_BASE  # (16, k)
        keys = keys.ravel()
        starts = self.flat_offsets[keys]
        lengths = self.flat_offsets[keys + 1] - starts
        total = int(lengths.sum())
        if total > len(self.ids) // 4:
            return None  # clustered data: the flat scan is cheaper
        if total == 0:
            return np.zeros(0, dtype=np.int64)
        # Concatenate the ranges [start, start + length) without a Python loop.
        shifts = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        return self.rows[shifts + np.arange(total)]


class BinaryIndex:
    """Exact Hamming-radius search over ``(id, 32-byte code)`` pairs; not safe for concurrent writes."""

    def __init__(self, *, fresh_limit: int = 65_536) -> None:
        self._fresh_limit = fresh_limit
        self._hashed = _Hashed(np.zeros(0, dtype=np.int64), np.zeros((0, CODE_BYTES), dtype=np.uint8))
        self._fresh = faiss.IndexBinaryIDMap(faiss.IndexBinaryFlat(BITS))

    def __len__(self) -> int:
        return int(self._hashed.alive.sum()) + int(self._fresh.ntotal)

    def add(self, ids: np.ndarray | list[int], codes: np.ndarray) -> None:
        """Store ``codes[i]`` under ``ids[i]``."""
        ids_array, codes_array = _ids(ids), _codes(codes)
        if len(ids_array) != len(codes_array):
            raise ValueError("ids and codes differ in length")
        if len(ids_array):
            self._fresh.add_with_ids(codes_array, ids_array)
        if self._fresh.ntotal > self._fresh_limit:
            self._merge()

    def remove(self, ids: np.ndarray | list[int]) -> int:
        """Remove every code stored under any of ``ids``; returns how many were removed."""
        ids_array = _ids(ids)
        if not len(ids_array):
            return 0
        hit = np.isin(self._hashed.ids, ids_array) & self._hashed.alive
        self._hashed.alive[hit] = False
        removed = int(hit.sum()) + int(self._fresh.remove_ids(faiss.IDSelectorBatch(ids_array)))
        if (~self._hashed.alive).sum() > len(self._hashed) // 4:
            self._merge()
        return removed

    def _all(self) -> tuple[np.ndarray, np.ndarray]:
        """Every live (ids, codes), hashed segment first."""
        alive = self._hashed.alive
        fresh_n = int(self._fresh.ntotal)
        fresh_ids = faiss.vector_to_array(self._fresh.id_map).astype(np.int64)
        inner = faiss.downcast_IndexBinary(self._fresh.index)
        xb = inner.xb  # type: ignore[attr-defined]  # SWIG attribute missing from faiss's stubs
        fresh_codes = faiss.vector_to_array(xb).reshape(fresh_n, CODE_BYTES)
        ids = np.concatenate([self._hashed.ids[alive], fresh_ids])
        codes = np.concatenate([self._hashed.codes[alive], fresh_codes])
        return ids, codes

    def _merge(self) -> None:
        ids, codes = self._all()
        self._hashed = _Hashed(ids, codes)
        self._fresh = faiss.IndexBinaryIDMap(faiss.IndexBinaryFlat(BITS))

    def search(self, codes: np.ndarray, radius: int = 31) -> list[list[tuple[int, int]]]:
        """For each query code, every stored ``(id, distance)`` with distance <= ``radius``, nearest first."""
        queries = _codes(codes)
        if radius < 0:
            raise ValueError("radius must be >= 0")
        fresh: list[list[tuple[int, int]]] = [[] for _ in range(len(queries))]
        if self._fresh.ntotal and len(queries):
            lims, distances, labels = _range_search(self._fresh, queries, radius + 1)
            for q in range(len(queries)):
                start, end = int(lims[q]), int(lims[q + 1])
                fresh[q] = list(zip(labels[start:end].tolist(), distances[start:end].tolist(), strict=True))
        out = []
        for q, query in enumerate(queries):
            hits = self._hashed.search_one(query, radius) + fresh[q]
            hits.sort(key=lambda hit: hit[1])
            out.append(hits)
        return out

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write all live pairs to ``path`` (numpy ``.npz``) atomically: temporary file, fsync, rename."""
        target = Path(path)
        ids, codes = self._all()
        fd, tmp = tempfile.mkstemp(prefix=".index-", suffix=".npz", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, ids=ids, codes=codes)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, fresh_limit: int = 65_536) -> BinaryIndex:
        with np.load(os.fspath(path), allow_pickle=False) as data:
            ids, codes = _ids(data["ids"]), _codes(data["codes"])
        if len(ids) != len(codes):
            raise ValueError("index file is inconsistent")
        index = cls(fresh_limit=fresh_limit)
        index._hashed = _Hashed(ids, codes)
        return index


def brute_force(
    stored_ids: np.ndarray, stored: np.ndarray, queries: np.ndarray, radius: int = 31
) -> list[list[tuple[int, int]]]:
    """The same answer as :meth:`BinaryIndex.search` by a numpy popcount scan: the reference for tests."""
    words = _codes(stored).view(np.uint64)
    out: list[list[tuple[int, int]]] = []
    for query in _codes(queries).view(np.uint64):
        dist = np.bitwise_count(words ^ query).sum(axis=1, dtype=np.int32)
        hits = np.flatnonzero(dist <= radius)
        hits = hits[np.argsort(dist[hits], kind="stable")]
        out.append([(int(stored_ids[i]), int(dist[i])) for i in hits])
    return out
