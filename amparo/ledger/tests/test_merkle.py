"""Proofs and roots against a naive transcription of RFC 6962 §2.1, for every tree size 1..300."""

from __future__ import annotations

import hashlib
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amparo.ledger import (
    EMPTY_ROOT,
    MemoryTree,
    VerificationError,
    leaf_hash,
    node_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)

N = 300
DATA = [i.to_bytes(2, "big") * (i % 3) for i in range(N)]


def _k(n: int) -> int:
    """Largest power of two smaller than n (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


@cache
def mth(lo: int, hi: int) -> bytes:
    """MTH(D[lo:hi]) exactly as RFC 6962 defines it, computed independently of the library."""
    if hi == lo:
        return hashlib.sha256(b"").digest()
    if hi - lo == 1:
        return hashlib.sha256(b"\x00" + DATA[lo]).digest()
    k = _k(hi - lo)
    return hashlib.sha256(b"\x01" + mth(lo, lo + k) + mth(lo + k, hi)).digest()


def path(m: int, lo: int, hi: int) -> list[bytes]:
    if hi - lo == 1:
        return []
    k = _k(hi - lo)
    if m < k:
        return [*path(m, lo, lo + k), mth(lo + k, hi)]
    return [*path(m - k, lo + k, hi), mth(lo, lo + k)]


def subproof(m: int, lo: int, hi: int, complete: bool) -> list[bytes]:
    if m == hi - lo:
        return [] if complete else [mth(lo, hi)]
    k = _k(hi - lo)
    if m <= k:
        return [*subproof(m, lo, lo + k, complete), mth(lo + k, hi)]
    return [*subproof(m - k, lo + k, hi, False), mth(lo, lo + k)]


TREE = MemoryTree.from_entries(DATA)


def test_hashing_primitives() -> None:
    assert leaf_hash(b"abc") == hashlib.sha256(b"\x00abc").digest()
    assert node_hash(b"l" * 32, b"r" * 32) == hashlib.sha256(b"\x01" + b"l" * 32 + b"r" * 32).digest()
    assert root_of([]) == EMPTY_ROOT == hashlib.sha256(b"").digest()


@pytest.mark.parametrize("size", range(1, N + 1))
def test_it_matches_naive_roots_and_proofs(size: int) -> None:
    root = TREE.root(size)
    assert root == mth(0, size) == root_of(DATA[:size])
    for index in range(size):
        proof = TREE.inclusion_proof(index, size)
        assert proof == path(index, 0, size)
        verify_inclusion(index, size, leaf_hash(DATA[index]), proof, root)
    for old in range(1, size + 1):
        proof = TREE.consistency_proof(old, size)
        assert proof == subproof(old, 0, size, True)
        verify_consistency(old, size, mth(0, old), root, proof)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_it_rejects_any_single_bit_flip(data: st.DataObject) -> None:
    size = data.draw(st.integers(2, N))
    index = data.draw(st.integers(0, size - 1))
    proof = TREE.inclusion_proof(index, size)
    which = data.draw(st.integers(0, len(proof) - 1))
    bit = data.draw(st.integers(0, 255))
    bad = list(proof)
    bad[which] = bytes(b ^ (1 << (bit % 8)) if i == bit // 8 else b for i, b in enumerate(bad[which]))
    with pytest.raises(VerificationError):
        verify_inclusion(index, size, leaf_hash(DATA[index]), bad, TREE.root(size))
    old = data.draw(st.integers(1, size - 1))
    cproof = TREE.consistency_proof(old, size)
    which = data.draw(st.integers(0, len(cproof) - 1))
    cbad = list(cproof)
    cbad[which] = bytes([cbad[which][0] ^ 1]) + cbad[which][1:]
    with pytest.raises(VerificationError):
        verify_consistency(old, size, TREE.root(old), TREE.root(size), cbad)


def test_it_rejects_wrong_index_size_and_leaf() -> None:
    proof = TREE.inclusion_proof(5, 77)
    root = TREE.root(77)
    verify_inclusion(5, 77, leaf_hash(DATA[5]), proof, root)
    for index, size, leaf in [(4, 77, DATA[5]), (5, 64, DATA[5]), (5, 77, DATA[4]), (77, 77, DATA[5])]:
        with pytest.raises(VerificationError):
            verify_inclusion(index, size, leaf_hash(leaf), proof, root)
    with pytest.raises(VerificationError, match="32"):
        verify_inclusion(5, 77, leaf_hash(DATA[5]), [*proof[:-1], proof[-1][:31]], root)


def test_it_refuses_to_build_impossible_proofs() -> None:
    with pytest.raises(ValueError):
        TREE.inclusion_proof(10, 10)
    with pytest.raises(ValueError):
        TREE.consistency_proof(0, 10)
    with pytest.raises(ValueError):
        TREE.consistency_proof(11, 10)


@pytest.mark.parametrize("width", [1, 2, 3, 7, 128, 255, 256])
def test_packed_levels_equal_list_levels(width: int) -> None:
    from amparo.ledger.merkle import packed_levels, perfect_levels

    hashes = [leaf_hash(d) for d in DATA[:width]]
    assert packed_levels(b"".join(hashes)) == [b"".join(row) for row in perfect_levels(hashes)]
    if width == 256:
        assert packed_levels(b"".join(hashes))[-1] == mth(0, 256)
