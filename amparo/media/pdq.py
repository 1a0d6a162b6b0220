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
