"""Check that a redacted copy keeps no structure of what it hides, region by region and frame by frame.

For every frame of the copy and every track box there (grown by the render margin, as painted), the copy's
region is compared with the same region of the original, in luminance:

- ``kept``: how much of the original's *detail* (the region minus a Gaussian blur of itself with a radius of an
  eighth of the region) is still in the copy: the projection of the copy's detail on the original's, as a share
  of the original's. An eye, an outline, a letter that survives shows up here; the smooth average colours a
  "blur" keeps on purpose hardly do. ``ncc`` (the same detail, normalised cross-correlation) is reported too,
  but it is blind to amplitude: a faint trace of the average colours correlates as well as a sharp copy.
- ``edges``: the copy's gradient energy as a share of the original's: a light blur keeps edges, weaker.
- ``pdq``: the Hamming distance between the PDQ hashes of the two regions and the copy's PDQ quality (a flat,
  featureless region has a low quality and its hash means nothing).

A region leaks when ``kept`` exceeds :data:`KEPT_MAX`, or ``edges`` exceeds :data:`EDGES_MAX`, or the copy region
still has PDQ quality of at least :data:`PDQ_QUALITY_MIN` and lies within :data:`PDQ_MATCH` bits of the
original. Regions smaller than :data:`MIN_SIDE` pixels are skipped (no structure to measure) and counted.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import zip_longest

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from amparo.media.redact.model import Track
from amparo.media.redact.paint import MARGIN

KEPT_MAX = 0.3
EDGES_MAX = 0.3
PDQ_QUALITY_MIN = 50
PDQ_MATCH = 64
MIN_SIDE = 16
INSET = 2  # pixels left out at each edge of a region: the encoder's deblocking blends a region's border


@dataclass
class RegionCheck:
    frame: int
    track: str
    rect: tuple[int, int, int, int]
    kept: float
    ncc: float
    edges: float
    pdq_distance: int
    pdq_quality: int

    @property
    def leaks(self) -> bool:
        return (
            self.kept > KEPT_MAX
            or self.edges > EDGES_MAX
            or (self.pdq_quality >= PDQ_QUALITY_MIN and self.pdq_distance <= PDQ_MATCH)
        )


def _gray_frames(path: str, kind: str) -> Iterator[np.ndarray]:
    if kind == "image":
        with Image.open(path) as img:
            yield np.asarray(ImageOps.exif_transpose(img).convert("L"))
        return
    import av

    with av.open(path) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for frame in container.decode(stream):
            gray = frame.to_ndarray(format="gray")
            turns = round(frame.rotation / 90) % 4 if frame.rotation else 0
            yield np.rot90(gray, turns) if turns else gray


def _detail(region: np.ndarray) -> np.ndarray:
    radius = max(1.0, min(region.shape) / 8)
    smooth = np.asarray(Image.fromarray(region).filter(ImageFilter.GaussianBlur(radius)), dtype=np.float32)
    return region.astype(np.float32) - smooth


def _edges(region: np.ndarray) -> float:
    f = region.astype(np.float32)
    return float((np.diff(f, axis=0) ** 2).sum() + (np.diff(f, axis=1) ** 2).sum())


def compare(original: np.ndarray, copy: np.ndarray) -> tuple[float, float, float, int, int]:
    """``(kept, ncc, edges, pdq_distance, pdq_quality)`` of one region of the original and the copy (uint8 grey)."""
    from amparo.media import pdq

    a, b = _detail(original), _detail(copy)
    a -= a.mean()
    b -= b.mean()
    energy = float((a * a).sum())
    kept = float((a * b).sum() / energy) if energy > 1e-6 else 0.0
    denom = float(np.sqrt(energy * (b * b).sum()))
    ncc = float((a * b).sum() / denom) if denom > 1e-6 else 0.0
    base = _edges(original)
    edges = _edges(copy) / base if base > 1e-6 else 0.0
    ha = pdq.gray_hashes(np.ascontiguousarray(original))[0]
    hb = pdq.gray_hashes(np.ascontiguousarray(copy))[0]
    return kept, ncc, edges, pdq.hamming(ha[0], hb[0]), hb[1]


def check(
    original: str | os.PathLike[str],
    copy: str | os.PathLike[str],
    tracks: list[Track],
    *,
    kind: str,
    margin: float = MARGIN,
) -> tuple[list[RegionCheck], int]:
    """Every redacted region of every frame, compared; and how many regions were too small to measure.

    Raises ``ValueError`` if the copy has a different number of frames than the original, or is larger.
    """
    checks: list[RegionCheck] = []
    skipped = 0
    pairs = zip_longest(_gray_frames(os.fspath(original), kind), _gray_frames(os.fspath(copy), kind))
    for index, (src, dst) in enumerate(pairs):
        if src is None or dst is None:
            raise ValueError(f"the copy and the original differ in length from frame {index}")
        height, width = dst.shape
        if src.shape[0] < height or src.shape[1] < width:
            raise ValueError("the copy is larger than the original")
        for track in tracks:
            box = track.at(index)
            if box is None:
                continue
            x0, y0, x1, y1 = box.padded(margin, width, height)
            x0, y0, x1, y1 = x0 + INSET, y0 + INSET, x1 - INSET, y1 - INSET
            if x1 - x0 < MIN_SIDE or y1 - y0 < MIN_SIDE:
                skipped += 1
                continue
            kept, ncc, edges, distance, quality = compare(src[y0:y1, x0:x1], dst[y0:y1, x0:x1])
            checks.append(RegionCheck(index, track.id, (x0, y0, x1, y1), kept, ncc, edges, distance, quality))
    return checks, skipped
