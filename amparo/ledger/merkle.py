"""RFC 6962 / RFC 9162 Merkle tree hashing, proof generation and proof verification.

Hashing: a leaf is ``SHA-256(0x00 || data)``, an interior node ``SHA-256(0x01 || left || right)``, the empty
tree's root is ``SHA-256(b"")``. Proofs are built from a *node reader*: a callable ``node(level, index)`` that
returns the hash of the perfect subtree of ``2**level`` leaves starting at leaf ``index * 2**level``. The same
proof code therefore serves an in-memory list of leaves (:class:`MemoryTree`) and a tiled log on disk
(:class:`amparo.ledger.tiles.TileHashReader`).

Verification follows RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency) and raises
:class:`~amparo.ledger.errors.VerificationError` naming what failed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

from amparo.ledger.errors import VerificationError

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

NodeReader = Callable[[int, int], bytes]

_sha256 = hashlib.sha256


def leaf_hash(data: bytes) -> bytes:
    """Return the RFC 6962 hash of one leaf: SHA-256(0x00 || data)."""
    return _sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return the RFC 6962 hash of an interior node: SHA-256(0x01 || left || right)."""
    return _sha256(b"\x01" + left + right).digest()


def _pairs(level: Sequence[bytes]) -> list[bytes]:
    """Hash neighbours pairwise; an odd last hash is dropped (it is not a perfect subtree)."""
    return [_sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)]


def perfect_levels(hashes: Sequence[bytes]) -> list[list[bytes]]:
    """Return every level of perfect subtrees above ``hashes``: ``levels[0]`` is ``hashes`` itself."""
    levels = [list(hashes)]
    while len(levels[-1]) > 1:
        levels.append(_pairs(levels[-1]))
    return levels


def packed_levels(packed: bytes) -> list[bytes]:
    """Like :func:`perfect_levels` for hashes packed in one bytes object (a tile): returns each level packed."""
    levels = [packed]
    while len(packed) >= 2 * HASH_SIZE:
        end = len(packed) - len(packed) % (2 * HASH_SIZE)
        packed = b"".join([_sha256(b"\x01" + packed[i : i + 64]).digest() for i in range(0, end, 64)])
        levels.append(packed)
    return levels


def _check_hash(value: bytes, what: str) -> None:
    if len(value) != HASH_SIZE:
        raise VerificationError(f"{what} is {len(value)} bytes long, expected {HASH_SIZE}")


# --- computing roots and proofs from a node reader -------------------------------------------------------


def range_root(lo: int, hi: int, node: NodeReader) -> bytes:
    """Return MTH(D[lo:hi]) for a range that is a subtree of an RFC 6962 tree (``lo`` aligned, ``hi`` the
    range end); the range is split into perfect subtrees from the left and folded from the right."""
    if hi <= lo:
        raise ValueError("empty range has no subtree root")
    parts: list[bytes] = []
    while lo < hi:
        size = 1 << ((hi - lo).bit_length() - 1)
        while lo & (size - 1):
            size >>= 1
        level = size.bit_length() - 1
        parts.append(node(level, lo >> level))
        lo += size
    acc = parts[-1]
    for part in reversed(parts[:-1]):
        acc = _sha256(b"\x01" + part + acc).digest()
    return acc


def tree_root(size: int, node: NodeReader) -> bytes:
    """Return the root hash of the tree of the first ``size`` leaves."""
    if size < 0:
        raise ValueError("tree size must not be negative")
    return EMPTY_ROOT if size == 0 else range_root(0, size, node)


def inclusion_proof(index: int, size: int, node: NodeReader) -> list[bytes]:
    """Return the RFC 6962 audit path for leaf ``index`` in the tree of ``size`` leaves, leaf side first."""
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is outside a tree of size {size}")
    proof: list[bytes] = []
    level = 0
    while (size - 1) >> level:
        sibling = (index >> level) ^ 1
        start = sibling << level
        if start < size:
            end = start + (1 << level)
            proof.append(node(level, sibling) if end <= size else range_root(start, size, node))
        level += 1
    return proof


def consistency_proof(old_size: int, new_size: int, node: NodeReader) -> list[bytes]:
    """Return the RFC 9162 consistency proof between trees of ``old_size`` and ``new_size`` leaves."""
    if not 0 < old_size <= new_size:
        raise ValueError(f"no consistency proof from size {old_size} to size {new_size}")
    proof: list[bytes] = []
    lo, hi, complete = 0, new_size, True  # SUBPROOF(m, D[lo:hi], complete) with m = old_size - lo
    while True:
        m = old_size - lo
        n = hi - lo
        if m == n:
            if not complete:
                proof.append(range_root(lo, hi, node))
            break
        k = 1 << ((n - 1).bit_length() - 1)
        if m <= k:
            proof.append(range_root(lo + k, hi, node))
            hi = lo + k
        else:
            proof.append(range_root(lo, lo + k, node))
            lo += k
            complete = False
    proof.reverse()
    return proof


class MemoryTree:
    """An append-only Merkle tree held in memory (every perfect subtree hash is kept)."""

    def __init__(self, leaf_hashes: Sequence[bytes] = ()) -> None:
        self._levels: list[list[bytes]] = [[]]
        for h in leaf_hashes:
            self.append_hash(h)

    @classmethod
    def from_entries(cls, entries: Sequence[bytes]) -> MemoryTree:
        return cls([leaf_hash(e) for e in entries])

    @property
    def size(self) -> int:
        return len(self._levels[0])

    def append_hash(self, h: bytes) -> None:
        level = 0
        self._levels[0].append(h)
        while len(self._levels[level]) % 2 == 0:
            row = self._levels[level]
            parent = node_hash(row[-2], row[-1])
            level += 1
            if level == len(self._levels):
                self._levels.append([])
            self._levels[level].append(parent)

    def node(self, level: int, index: int) -> bytes:
        return self._levels[level][index]

    def root(self, size: int | None = None) -> bytes:
        return tree_root(self.size if size is None else size, self.node)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        return inclusion_proof(index, self.size if size is None else size, self.node)

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        return consistency_proof(old_size, self.size if new_size is None else new_size, self.node)


def root_of(entries: Sequence[bytes]) -> bytes:
    """Return the Merkle tree hash of a list of leaf *data* (not leaf hashes)."""
    return MemoryTree.from_entries(entries).root()


# --- verification (RFC 9162 §2.1.3.2 and §2.1.4.2) ---------------------------------------------------------


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> None:
    """Check that ``leaf`` (a leaf *hash*) is at ``index`` in the tree of ``size`` leaves with ``root``."""
    if not 0 <= index < size:
        raise VerificationError(f"leaf index {index} is outside a tree of size {size}")
    _check_hash(leaf, "leaf hash")
    _check_hash(root, "root hash")
    for i, p in enumerate(proof):
        _check_hash(p, f"inclusion proof hash {i}")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise VerificationError(f"inclusion proof has {len(proof)} hashes, more than the tree needs")
        if fn & 1 or fn == sn:
            r = _sha256(b"\x01" + p + r).digest()
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = _sha256(b"\x01" + r + p).digest()
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise VerificationError(f"inclusion proof has {len(proof)} hashes, fewer than the tree needs")
    if r != root:
        raise VerificationError(
            f"inclusion proof for leaf {index} does not lead to the root hash of tree size {size}"
        )


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Check that the tree of ``old_size`` with ``old_root`` is a prefix of the tree of ``new_size``."""
    if new_size < old_size:
        raise VerificationError(f"tree size went backwards from {old_size} to {new_size}")
    if old_size == 0:
        raise VerificationError("a consistency proof from the empty tree proves nothing")
    if old_size == new_size:
        if proof:
            raise VerificationError("trees of equal size need an empty consistency proof")
        if old_root != new_root:
            raise VerificationError(f"two different root hashes for the same tree size {old_size}")
        return
    _check_hash(old_root, "old root hash")
    _check_hash(new_root, "new root hash")
    if not proof:
        raise VerificationError("consistency proof is empty")
    for i, p in enumerate(proof):
        _check_hash(p, f"consistency proof hash {i}")
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise VerificationError(f"consistency proof has {len(proof)} hashes, more than needed")
        if fn & 1 or fn == sn:
            fr = _sha256(b"\x01" + c + fr).digest()
            sr = _sha256(b"\x01" + c + sr).digest()
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = _sha256(b"\x01" + sr + c).digest()
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise VerificationError(f"consistency proof has {len(proof)} hashes, fewer than needed")
    if fr != old_root:
        raise VerificationError(f"consistency proof does not lead to the root hash of tree size {old_size}")
    if sr != new_root:
        raise VerificationError(f"consistency proof does not lead to the root hash of tree size {new_size}")
