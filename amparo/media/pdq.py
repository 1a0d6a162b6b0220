"""PDQ perceptual hashes of images, in all 8 rotations and flips at the cost of one.

PDQ (Meta, ThreatExchange ``hashing/hashing.pdf``) turns a picture into 256 bits such that visually similar
pictures differ in few bits; a Hamming distance of 31 or less is the usual "same picture" threshold. A hash is
32 bytes here (most significant bit first, so ``bits.hex()`` is the usual 64-digit PDQ hex), paired with PDQ's
quality score 0-100 (low quality = flat, featureless picture whose hash says little).

``image_hashes`` returns the hashes of the picture as given and of its 7 other dihedral transforms (rotations by
90/180/270 degrees and the four flips), all computed from one DCT by ``pdqhash.compute_dihedral``. To find a
rotated or mirrored copy, store the as-given hash of every picture and query with all 8 of the new one.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import pdqhash
from PIL import Image, ImageOps, UnidentifiedImageError

from amparo.media import sandbox

HASH_BYTES = 32
MATCH_DISTANCE = 31
# Order of pdqhash.compute_dihedral's output. "flip_y" mirrors left-right, "flip_x" upside-down.
ORIENTATIONS = (
    "original",
    "rotate90",
    "rotate180",
    "rotate270",
    "flip_x",
    "flip_y",
    "flip_plus1",
    "flip_minus1",
)
MIRROR = ORIENTATIONS.index("flip_y")
WORK_SIDE = 2048  # image files are hashed at most this large (see image_file_hashes)


def _rgb_array(image: Image.Image) -> np.ndarray:
    if image.mode != "RGB":
        image = image.convert("RGB")
    return np.asarray(image, dtype=np.uint8)


def _pack(vector: np.ndarray) -> bytes:
    return np.packbits(vector.astype(np.uint8)).tobytes()


def rgb_hashes(rgb: np.ndarray) -> list[tuple[bytes, int]]:
    """The 8 dihedral hashes of an ``(h, w, 3)`` uint8 array, with the (shared) quality."""
    vectors, quality = pdqhash.compute_dihedral(np.ascontiguousarray(rgb, dtype=np.uint8))
    return [(_pack(v), int(quality)) for v in vectors]


def gray_hashes(gray: np.ndarray) -> list[tuple[bytes, int]]:
    """The 8 dihedral hashes of an ``(h, w)`` uint8 luminance array (pdqhash wants 3 channels; they're equal)."""
    return rgb_hashes(np.repeat(gray[:, :, None], 3, axis=2))


# ---- PDQ of many luminance pictures at once, in numpy --------------------------------------------------------------
#
# pdqhash blurs a picture with two passes of a box filter along rows and columns (Jarosz), keeps 64x64 of its
# pixels, takes the 16x16 DCT above the constant term and sets a bit for each coefficient above their median. The blur
# and the choice of pixels are linear and separable, and each of the 64 kept rows (or columns) is a weighted sum of a
# few neighbouring ones (three for a side of 256 or less): :func:`_taps` finds them once per side length. Then the
# 64x64 pictures of a whole batch go through one DCT and one median. A video sample's eight pictures cost a sixth of
# what eight calls of ``pdqhash.compute`` do (no copy into three channels, no per-call buffers); the bits and the
# quality are pdqhash's (in the evaluation's tuning frames, all but one hash of 2 bits: its float sums run in
# another order, which decides a coefficient at the median).

_SIDE = 64
DCT = (
    np.sqrt(2 / _SIDE) * np.cos(np.pi / 128 * np.arange(1, 17)[:, None] * (2 * np.arange(_SIDE)[None, :] + 1))
).astype(np.float32)


@lru_cache(maxsize=1024)
def _taps(n: int) -> tuple[np.ndarray, np.ndarray]:
    """``(index, weight)``, each ``(64, k)``: kept cell ``i`` of a side of ``n`` cells after the blur is
    ``sum(weight[i] * cell[index[i]])``. pdqhash's ``box1DFloat`` over a window of ``w`` cells averages cells
    ``q + half - w`` to ``q + half - 1`` (fewer at the ends), twice; ``decimateFloat`` keeps cell
    ``int((i + 0.5) * n / 64)``. Computed here for those 64 cells only (each a few cells wide), not as a matrix."""
    if n == _SIDE:
        return np.arange(_SIDE)[:, None], np.ones((_SIDE, 1), dtype=np.float32)
    window = (n + 2 * _SIDE - 1) // (2 * _SIDE)
    half = (window + 2) // 2

    def box(q: int) -> range:
        return range(max(0, q + half - window), min(n, q + half))

    rows: list[dict[int, float]] = []
    for i in range(_SIDE):
        kept = int((i + 0.5) * n / _SIDE)
        weights: dict[int, float] = {}
        first = box(kept)
        for q in first:
            second = box(q)
            for r in second:
                weights[r] = weights.get(r, 0.0) + 1.0 / (len(first) * len(second))
        rows.append(weights)
    width = max(len(w) for w in rows)
    index = np.zeros((_SIDE, width), dtype=np.intp)
    weight = np.zeros((_SIDE, width), dtype=np.float64)
    for i, weights in enumerate(rows):
        cells = sorted(weights)
        index[i, : len(cells)] = cells
        weight[i, : len(cells)] = [weights[c] for c in cells]
    return index, weight.astype(np.float32)


def _reduced(picture: np.ndarray) -> np.ndarray:
    """The 64x64 picture pdqhash hashes for a 2-D luminance array (blurred, then 64 of its rows and columns)."""
    rows, row_weights = _taps(picture.shape[0])
    cols, col_weights = _taps(picture.shape[1])
    x = picture.astype(np.float32, copy=False)
    tall = (x[rows] * row_weights[:, :, None]).sum(axis=1)  # (64, width)
    return (tall[:, cols] * col_weights[None, :, :]).sum(axis=2)


def dct_bits(batch: np.ndarray) -> list[bytes]:
    """PDQ's bits of ``(n, 64, 64)`` reduced pictures: the 16x16 DCT above the constant term (:data:`DCT` on both
    sides), see :func:`coefficient_bits`."""
    return coefficient_bits((DCT @ batch @ DCT.T).reshape(len(batch), 256))


def coefficient_bits(coeffs: np.ndarray) -> list[bytes]:
    """PDQ hashes of ``(n, 256)`` DCT coefficients (row by row): a bit for each whether it is above their median,
    the last coefficient first."""
    bits = coeffs > np.median(coeffs, axis=1, keepdims=True)
    return [row.tobytes() for row in np.packbits(bits[:, ::-1], axis=1)]


def luma_hashes(pictures: Sequence[np.ndarray]) -> list[tuple[bytes, int]]:
    """``[(bits, quality)]`` of 2-D luminance arrays, as ``pdqhash.compute`` gives them for the same pictures in
    grey RGB (see above); each side at least 1 pixel."""
    if not pictures:
        return []
    batch = np.stack([_reduced(p) for p in pictures])
    # pdqhash's quality: the sum of truncated steps between neighbours, in percent of full scale, over 90
    scale = np.float32(100 / 255)
    steps = np.abs((batch[:, 1:] - batch[:, :-1]) * scale).astype(np.int32).sum(axis=(1, 2))
    steps += np.abs((batch[:, :, 1:] - batch[:, :, :-1]) * scale).astype(np.int32).sum(axis=(1, 2))
    quality = np.minimum(steps // 90, 100)
    return list(zip(dct_bits(batch), quality.tolist(), strict=True))


def image_hashes(image: Image.Image) -> list[tuple[bytes, int]]:
    """``[(bits, quality)]`` for the picture in the 8 :data:`ORIENTATIONS`, index 0 being the picture as given."""
    return rgb_hashes(_rgb_array(image))


def image_hash(image: Image.Image) -> tuple[bytes, int]:
    """The plain PDQ hash of the picture as given: ``(bits, quality)``."""
    vector, quality = pdqhash.compute(_rgb_array(image))
    return _pack(vector), int(quality)


def hamming(a: bytes, b: bytes) -> int:
    """Number of differing bits between two hashes of equal length."""
    if len(a) != len(b):
        raise ValueError("hashes differ in length")
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).bit_count()


def best_distance(query: list[tuple[bytes, int]], stored: bytes) -> tuple[int, str]:
    """The smallest distance from any of a picture's 8 hashes to a stored hash, and which orientation gave it."""
    distances = [hamming(bits, stored) for bits, _quality in query]
    best = min(range(len(distances)), key=distances.__getitem__)
    return distances[best], ORIENTATIONS[best]


def to_array(hashes: list[bytes]) -> np.ndarray:
    """Hashes as an ``(n, 32)`` uint8 array, the layout :class:`amparo.media.index.BinaryIndex` takes."""
    if not hashes:
        return np.zeros((0, HASH_BYTES), dtype=np.uint8)
    return np.frombuffer(b"".join(hashes), dtype=np.uint8).reshape(-1, HASH_BYTES)


def distance_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """All pairwise Hamming distances between the rows of two ``(n, 32)`` uint8 arrays, as ``(len(a), len(b))``."""
    if len(a) == 0 or len(b) == 0:
        return np.zeros((len(a), len(b)), dtype=np.int32)
    wa = np.ascontiguousarray(a).view(np.uint64)
    wb = np.ascontiguousarray(b).view(np.uint64)
    # One 64-bit word at a time into a 2-D sum: summing a (n, m, 4) array over its last axis is ten times slower.
    out = np.bitwise_count(wa[:, 0, None] ^ wb[None, :, 0]).astype(np.uint16)
    for word in range(1, wa.shape[1]):
        out += np.bitwise_count(wa[:, word, None] ^ wb[None, :, word])
    return out


def image_file_hashes(
    path: str | os.PathLike[str],
    *,
    max_pixels: int = 250_000_000,
    timeout_s: float = 60.0,
    max_memory: int = sandbox.DEFAULT_MAX_MEMORY,
) -> list[tuple[bytes, int]]:
    """The 8 hashes of the image file at ``path`` as displayed (EXIF orientation applied), decoded in a limited
    child process; raises :class:`sandbox.MediaError` (codes: decompression_bomb, corrupt, timeout, ...).

    Pictures larger than :data:`WORK_SIDE` pixels are scaled down first (PDQ works on 64x64 anyway; a resized
    copy stays within a few bits), which keeps a 200-megapixel photo fast and inside the memory limit."""
    args = {"path": os.fspath(path), "max_pixels": max_pixels}
    value = sandbox.run_or_raise("image_hashes", args, timeout_s=timeout_s, max_memory=max_memory)
    return [(bytes.fromhex(h), int(q)) for h, q in value["hashes"]]


def _image_task(args: dict[str, Any]) -> dict[str, Any]:
    Image.MAX_IMAGE_PIXELS = int(args["max_pixels"])
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(args["path"]) as img:
                # PDQ reduces every picture to 64x64, so a 200-megapixel photo needs no full decode: JPEG can
                # decode at 1/2-1/8 scale (draft), then anything still larger is shrunk to WORK_SIDE.
                img.draft("RGB", (WORK_SIDE, WORK_SIDE))
                shown = ImageOps.exif_transpose(img)
                if max(shown.size) > WORK_SIDE:
                    shown.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.BOX)
                hashes = image_hashes(shown)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise sandbox.TaskFailed("decompression_bomb") from exc
        except UnidentifiedImageError as exc:
            raise sandbox.TaskFailed("unsupported_type") from exc
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            raise sandbox.TaskFailed("corrupt", "image data cannot be decoded") from exc
    return {"hashes": [[bits.hex(), quality] for bits, quality in hashes]}
