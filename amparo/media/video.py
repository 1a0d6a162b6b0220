"""Video fingerprints for footage as it circulates, and which seconds of two videos are the same footage.

The base is vPDQ (Meta, ThreatExchange ``vpdq/README.md``): sample frames at a fixed rate, PDQ-hash each, compare two
videos frame by frame. vPDQ then decides by the *share* of frames that match, which cannot find a 10 s re-cut of a
36 s video, nor a clip whose frames all carry a caption bar. Here, instead:

- frames are sampled twice a second (:data:`INTERVAL_S`), so a re-cut starting between two samples still has
  samples within a quarter second of the original's;
- each sample is hashed several ways (:data:`REGIONS`): the whole picture with black bars cut off, its centre,
  its 4:3 (or, for portrait video, square) middle, and its four halves, so a logo or caption bar covering a quarter
  of the frame leaves at least one half untouched, and a zoomed or re-framed crop meets its original's middle;
- the *moving* part of the picture over each 10 s chunk is found (pixels whose brightness changes over time) and,
  when it is a smaller box or a tilted four-sided shape, it is straightened and hashed too: the inset of a
  picture-in-picture, the screen of a phone filmed by another phone, the picture between static caption bars;
- two videos share footage when matched samples line up in time (:func:`aligned_segments`): a chain of samples
  whose seconds advance together at a steady speed (0.8x-1.25x) for at least :data:`MIN_SHARED_S` seconds. That is
  a match however small a share of either clip it is, and it says which seconds match which (that decision lives
  in :mod:`amparo.media.matching`; its names are re-exported here).

Frames are upright by the stream's display matrix (phones store portrait video sideways) and the whole picture is
also hashed mirrored, so a mirrored copy matches too. Frames are decoded once each
(they must be, to decode the next), but only sampled ones are converted: scaled down to at most :data:`WORK_SIDE`
pixels, luminance only (so greyscale, sepia and colour filters change little).

Cost: every frame is decoded; a sample's dozen pictures are hashed in one batch (:func:`pdq.luma_hashes`, pdqhash's
bits without its per-call copies) and its 27 zoomed crops by two matrix products; the hashing runs on a thread of
its own beside the decoder (:func:`_beside`), so it overlaps decoding the frames between samples.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from amparo.media import pdq, sandbox
from amparo.media.matching import (  # the decision rule, re-exported: callers import it from here
    MIN_SAMPLES,
    MIN_SHARED_S,
    STATIC_BITS,
    MatchResult,
    Segment,
    aligned_segments,
    match_videos,
)

__all__ = [
    "MIN_SAMPLES",
    "MIN_SHARED_S",
    "STATIC_BITS",
    "FrameTooLarge",
    "MatchResult",
    "Segment",
    "VideoFingerprint",
    "aligned_segments",
    "content_quad",
    "fingerprint_video",
    "fingerprint_video_sandboxed",
    "match_videos",
    "strip_borders",
]

WORK_SIDE = 256  # sampled frames are scaled so their longer side is at most this (PDQ works on 64x64)
INTERVAL_S = 0.5  # one sample every half second
BORDER_LUMA = 16  # a row/column is border if its mean luminance is below this (near black) ...
BORDER_SPREAD = 12  # ... and its standard deviation below this
MIN_KEEP = 0.25  # never cut away more than 75 % of a side (a portrait clip on a TV keeps 32 %): a dark scene is not a border
REGIONS = ("centre", "middle", "top", "bottom", "left", "right")  # besides the whole picture (see _regions)
CHUNK_SAMPLES = 20  # the moving part of the picture is found over this many samples (10 s)
ACTIVE_MIN_STD = 8.0  # a pixel whose brightness varies less than this over a chunk is still
ZOOM_SHARES = (0.815, 0.85, 0.885)  # each sample is also hashed zoomed in to these shares of its width ...
ZOOM_SHIFTS = (-0.02, 0.0, 0.02)  # ... each moved off centre by these shares, across and down (see _zoomed)
ZOOM_SIDE = 64  # zoomed crops are scaled to this square before PDQ (which works on 64x64 anyway)
# the moving part of a chunk (see content_quad):
MIN_MOVING = 0.04  # smaller than this share of the frame, it is not hashed (a portrait inset is 5-8 %)
SNAP_INWARD = 5  # its edges are moved onto the nearest still line this many pixels inwards ...
SNAP_REACH = 40  # ... to this many outwards (flat sky on a filmed screen does not move) ...
SNAP_TURN = 0.1  # ... and turned by up to this slope to lie along it
MAX_TILT = 0.15  # an edge tilted more than this is taken as straight (its points are ragged)
QUAD_NUDGE = 1.0  # an inset is also hashed moved and grown or shrunk by this many pixels (see _nudged) ...
INSET_MARGIN = 0.001  # ... when it is this share of the frame or more away from each side
STILL_APART_S = 2.5  # a region alike at samples this far apart is still (see _informative)


class FrameTooLarge(ValueError):
    """The video's frames are larger than the caller's pixel limit."""


@dataclass
class VideoFingerprint:
    """``frames``: ``[(second, bits, quality)]`` of the whole picture, one per sample; ``mirrored``: their mirror
    images; ``extra``: ``[(second, bits, quality)]`` of the same samples' regions (halves, centre, moving part);
    ``zoomed``: the samples zoomed in and off centre (compared only with the other side's whole pictures)."""

    frames: list[tuple[float, bytes, int]]
    duration: float
    mirrored: list[bytes] = field(default_factory=list)
    extra: list[tuple[float, bytes, int]] = field(default_factory=list)
    zoomed: list[tuple[float, bytes, int]] = field(
        default_factory=list
    )  # see _zoomed; met only by whole pictures

    def to_dict(self) -> dict[str, Any]:
        return {
            "duration": self.duration,
            "frames": [[t, bits.hex(), q] for t, bits, q in self.frames],
            "mirrored": [bits.hex() for bits in self.mirrored],
            "extra": [[t, bits.hex(), q] for t, bits, q in self.extra],
            "zoomed": [[t, bits.hex(), q] for t, bits, q in self.zoomed],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VideoFingerprint:
        return cls(
            frames=[(float(t), bytes.fromhex(h), int(q)) for t, h, q in data["frames"]],
            duration=float(data["duration"]),
            mirrored=[bytes.fromhex(h) for h in data.get("mirrored", [])],
            extra=[(float(t), bytes.fromhex(h), int(q)) for t, h, q in data.get("extra", [])],
            zoomed=[(float(t), bytes.fromhex(h), int(q)) for t, h, q in data.get("zoomed", [])],
        )

    def codes(self, *, quality_min: int = 0) -> np.ndarray:
        """Every hash (whole pictures and regions) of at least ``quality_min`` as an ``(n, 32)`` array."""
        return pdq.to_array([bits for _t, bits, q in self.frames + self.extra if q >= quality_min])


# ---- the pictures hashed for each sample ------------------------------------------------------------------------


def strip_borders(gray: np.ndarray) -> np.ndarray:
    """The frame without uniform dark bars at its edges (letterbox, pillarbox or both)."""
    height, width = gray.shape
    rows = gray.astype(np.float32)
    dark_rows = (rows.mean(axis=1) < BORDER_LUMA) & (rows.std(axis=1) < BORDER_SPREAD)
    dark_cols = (rows.mean(axis=0) < BORDER_LUMA) & (rows.std(axis=0) < BORDER_SPREAD)
    top, bottom = _span(dark_rows)
    left, right = _span(dark_cols)
    if bottom - top < height * MIN_KEEP:
        top, bottom = 0, height
    if right - left < width * MIN_KEEP:
        left, right = 0, width
    return gray[top:bottom, left:right]


def _span(dark: np.ndarray) -> tuple[int, int]:
    """First and one-past-last index that is not dark; (0, 0) when all are dark."""
    content = np.flatnonzero(~dark)
    if content.size == 0:
        return 0, 0
    return int(content[0]), int(content[-1]) + 1


def _regions(core: np.ndarray) -> list[np.ndarray]:
    """The parts of a (border-free) picture hashed besides the whole, in the order of :data:`REGIONS`."""
    h, w = core.shape
    ch, cw = round(h * 0.1), round(w * 0.1)
    if w > h:  # landscape: its 4:3 middle (a 16:9 clip cut to 4:3); portrait: its square middle
        mw = min(w, round(h * 4 / 3))
        middle = core[:, (w - mw) // 2 : (w - mw) // 2 + mw]
    else:
        mh = min(h, w)
        middle = core[(h - mh) // 2 : (h - mh) // 2 + mh, :]
    return [
        core[ch : h - ch, cw : w - cw],
        middle,
        core[: h // 2],
        core[h - h // 2 :],
        core[:, : w // 2],
        core[:, w - w // 2 :],
    ]


def _zoomed(core: np.ndarray) -> list[bytes]:
    """PDQ of the picture zoomed in to each of :data:`ZOOM_SHARES` and moved by each of :data:`ZOOM_SHIFTS` both
    ways: what a copy cropped 80-90 % and off centre shows. PDQ forgives a crop only about 2 % off in size and 1 %
    in position, so one centre crop cannot meet them.

    Each crop is the picture scaled so that the crop is 128 pixels square (Pillow's bilinear filter), cut out and
    halved to 64x64, then PDQ's DCT: all linear, so one matrix per side and crop (:func:`_zoom_matrices`), and the
    27 hashes are small matrix products away from the picture, for about the price of two whole-picture hashes.
    (Pillow rounds its scaled pixels to whole numbers, these do not: a hash differs from the rounded one's by half a
    bit on average, at most 6 bits in 14,040 crops of the evaluation's frames.)"""
    h, w = core.shape
    if h < 32 or w < 32:
        return []
    down, across = _zoom_matrices(h), _zoom_matrices(w)  # (shares * shifts * 16, side)
    left = _product(down, core.astype(np.float32))  # (shares * shifts * 16, w): the crops' rows, transformed
    n_shifts = len(ZOOM_SHIFTS)
    coeffs = []
    for k in range(len(ZOOM_SHARES) * n_shifts):  # one share and one shift down, with every shift across
        share = k // n_shifts
        rows = left[16 * k : 16 * (k + 1)]
        cols = across[16 * n_shifts * share : 16 * n_shifts * (share + 1)]
        coeffs.append(
            _product(rows, np.ascontiguousarray(cols.T)).reshape(16, n_shifts, 16).transpose(1, 0, 2)
        )
    return pdq.coefficient_bits(np.concatenate(coeffs).reshape(-1, 256))


def _pillow_bilinear(size: int, scaled: int) -> np.ndarray:
    """``(scaled, size)``: Pillow's bilinear resize of one side (``precompute_coeffs`` in ``Resample.c``), in
    floating point: a triangle as wide as the scale when shrinking, one pixel when enlarging."""
    scale = size / scaled
    support = max(scale, 1.0)
    out = np.zeros((scaled, size))
    for i in range(scaled):
        centre = (i + 0.5) * scale
        lo, hi = max(int(centre - support + 0.5), 0), min(int(centre + support + 0.5), size)
        weights = np.maximum(0.0, 1.0 - np.abs((np.arange(lo, hi) - centre + 0.5) / support))
        if weights.sum():
            out[i, lo:hi] = weights / weights.sum()
    return out


@lru_cache(maxsize=64)
def _zoom_matrices(size: int) -> np.ndarray:
    """For a side of ``size`` pixels, the ``(16, size)`` matrix of each zoomed crop, share by share and shift by
    shift, stacked: scaled so that the crop is ``2 * ZOOM_SIDE`` pixels, the crop's pixels, pairs of them averaged,
    PDQ's DCT."""
    side = 2 * ZOOM_SIDE
    dct = pdq.DCT.astype(np.float64)
    out = []
    for share in ZOOM_SHARES:
        n = round(side / share)
        scaled = _pillow_bilinear(size, n)
        for shift in ZOOM_SHIFTS:
            first = round((n - side) / 2 + shift * n)
            crop = scaled[first : first + side]
            out.append(_product(dct, (crop[0::2] + crop[1::2]) * 0.5))
    return np.concatenate(out).astype(np.float32)


BLAS_MACS = 1 << 18  # OpenBLAS runs a product of more multiply-adds on every core (see _product)


def _product(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` in pieces (rows of ``a``) of at most :data:`BLAS_MACS` multiply-adds. Above that OpenBLAS splits a
    product over all cores, and its threads then wait spinning for the next one: on two cores shared with a
    decoder, that doubled fingerprinting's processor time."""
    k, n = b.shape
    step = max(1, BLAS_MACS // max(1, k * n))
    if step >= len(a):
        return a @ b
    out = np.empty((len(a), n), dtype=np.result_type(a, b))
    for i in range(0, len(a), step):
        np.matmul(a[i : i + step], b, out=out[i : i + step])
    return out


def _pdq64(batch: np.ndarray) -> list[bytes]:
    """PDQ hashes of ``(n, 64, 64)`` luminance pictures, bit for bit what ``pdqhash.compute`` gives for a 64x64
    picture (where its blur and decimation do nothing). (PDQ's quality is left out: a crop of a sample takes the
    sample's.)"""
    return pdq.dct_bits(batch.astype(np.float32, copy=False))


def _hash(gray: np.ndarray) -> tuple[bytes, int]:
    return pdq.luma_hashes([gray])[0]


def _box_sum(mask: np.ndarray, r: int) -> np.ndarray:
    """Sum over the (2r+1)^2 neighbourhood of each cell (zero outside)."""
    padded = np.pad(mask.astype(np.int32), r)
    c = padded.cumsum(0).cumsum(1)
    c = np.pad(c, ((1, 0), (1, 0)))
    k = 2 * r + 1
    return c[k:, k:] - c[:-k, k:] - c[k:, :-k] + c[:-k, :-k]


def _fit_edge(pos: np.ndarray, along: np.ndarray) -> tuple[float, float] | None:
    """A straight edge ``pos = a * along + b`` through the boundary points, ignoring the worst fifth."""
    if len(pos) < 6:
        return None
    a, b = np.polyfit(along, pos, 1)
    resid = np.abs(pos - (a * along + b))
    keep = resid <= np.quantile(resid, 0.8)
    if keep.sum() < 4:
        return None
    a, b = np.polyfit(along[keep], pos[keep], 1)
    if (
        abs(a) > MAX_TILT
    ):  # a ragged moving area (still sky at one end): start from a straight edge at its median
        return 0.0, float(np.median(pos))
    return float(a), float(b)


def content_quad(grays: list[np.ndarray]) -> list[tuple[float, float]] | None:
    """The four corners (upper left, lower left, lower right, upper right) of the moving part of same-sized
    frames, when it is clearly smaller than the frame; None when the whole picture moves or too little does.

    Static parts around footage are what circulating copies add: the studio around a picture-in-picture, the
    bezel and desk around a filmed phone screen, caption bars, black bars. What changes over time is the footage.
    """
    if len(grays) < 4:
        return None
    h, w = grays[0].shape
    h2, w2 = h // 2, w // 2
    # Sums of whole numbers, exact in 16 bits: the same means as in floating point, several times faster.
    frames = np.stack([g[: h2 * 2, : w2 * 2] for g in grays]).astype(np.uint16)
    quads = frames[:, 0::2, 0::2] + frames[:, 1::2, 0::2] + frames[:, 0::2, 1::2] + frames[:, 1::2, 1::2]
    stack = quads.astype(np.float32) * np.float32(0.25)
    spread = stack.std(axis=0)
    threshold = max(ACTIVE_MIN_STD, 0.3 * float(np.percentile(spread, 95)))
    active = _box_sum(spread > threshold, 1) >= 5  # majority of the 3x3 neighbourhood
    # Opening (erode, then dilate) removes thin moving lines such as an edge that shakes with the hand.
    r = 2
    active = _box_sum(active, r) == (2 * r + 1) ** 2
    active = _box_sum(active, r) > 0
    # Rows and columns where the moving part is at least 40 % as wide as where it is widest (a portrait inset in
    # a landscape studio is a sixth of the width, so a share of the whole width would miss it).
    per_row = active.sum(axis=1)
    rows = np.flatnonzero(per_row >= max(3.0, 0.4 * float(per_row.max())))
    if len(rows) == 0:
        return None
    r0, r1 = int(rows[0]), int(rows[-1]) + 1
    per_col = active[r0:r1].sum(axis=0)
    cols = np.flatnonzero(per_col >= max(3.0, 0.4 * float(per_col.max())))
    if len(cols) == 0:
        return None
    c0, c1 = int(cols[0]), int(cols[-1]) + 1
    if (r1 - r0) * (c1 - c0) < MIN_MOVING * h2 * w2 or ((r1 - r0) >= 0.94 * h2 and (c1 - c0) >= 0.94 * w2):
        return None
    box = active[r0:r1, c0:c1]
    ys, xs = np.arange(r0, r1, dtype=np.float64), np.arange(c0, c1, dtype=np.float64)
    filled_rows, filled_cols = box.any(axis=1), box.any(axis=0)
    lefts = c0 + box.argmax(axis=1)
    rights = c1 - box[:, ::-1].argmax(axis=1)
    tops = r0 + box.argmax(axis=0)
    bottoms = r1 - box[::-1, :].argmax(axis=0)
    edges = [
        _fit_edge(lefts[filled_rows].astype(np.float64), ys[filled_rows]),
        _fit_edge(rights[filled_rows].astype(np.float64), ys[filled_rows]),
        _fit_edge(tops[filled_cols].astype(np.float64), xs[filled_cols]),
        _fit_edge(bottoms[filled_cols].astype(np.float64), xs[filled_cols]),
    ]
    if any(e is None for e in edges):
        corners = [(c0, r0), (c0, r1), (c1, r1), (c1, r0)]
        return [(2.0 * x, 2.0 * y) for x, y in corners]
    (la, lb), (ra, rb), (ta, tb), (ba, bb) = edges  # type: ignore[misc]
    # The moving area ends a little inside the footage (its still parts at the edge do not move): move each
    # edge, at full working size, to the nearest strong still line just outside it in the mean picture (the
    # frame of an inset, the edge of a screen).
    mean = frames.sum(axis=0, dtype=np.uint32).astype(np.float32) / np.float32(len(grays))
    grad_x = np.abs(np.diff(mean, axis=1))  # between column x and x + 1
    grad_y = np.ascontiguousarray(np.abs(np.diff(mean, axis=0)).T)
    ys_full, xs_full = 2 * ys[filled_rows] + 1, 2 * xs[filled_cols] + 1
    la, lb = _snap(grad_x, la, 2 * lb, ys_full, -1)
    ra, rb = _snap(grad_x, ra, 2 * rb, ys_full, +1)
    ta, tb = _snap(grad_y, ta, 2 * tb, xs_full, -1)
    ba, bb = _snap(grad_y, ba, 2 * bb, xs_full, +1)
    full_w, full_h = 2.0 * w2, 2.0 * h2

    def meet(xa: float, xb: float, ya: float, yb: float) -> tuple[float, float]:
        # x = xa * y + xb and y = ya * x + yb
        y = (ya * xb + yb) / (1 - ya * xa)
        return min(max(xa * y + xb, 0.0), full_w), min(max(y, 0.0), full_h)

    return [meet(la, lb, ta, tb), meet(la, lb, ba, bb), meet(ra, rb, ba, bb), meet(ra, rb, ta, tb)]


def _snap(grad: np.ndarray, a: float, b: float, along: np.ndarray, outward: int) -> tuple[float, float]:
    """The edge ``pos = a * along + b`` moved onto the nearest strong line within :data:`SNAP_INWARD` pixels inwards and
    :data:`SNAP_REACH` outwards, turned by up to :data:`SNAP_TURN` about its middle to lie along it (the moving area's boundary gives
    the slope only roughly); ``grad[along, pos]`` is the gradient between ``pos`` and ``pos + 1``."""
    limit = grad.shape[1] - 1
    rows = np.clip(along.astype(np.int64), 0, grad.shape[0] - 1)
    middle = float(along.mean())
    # turned about its middle from its own slope, or from straight (an inset or a screen filmed square on)
    turns = np.linspace(-SNAP_TURN, SNAP_TURN, 21)
    turns = np.concatenate([turns, turns - a])
    shifts = np.arange(-SNAP_INWARD, SNAP_REACH + 1, dtype=np.float64)
    base = a * along + b - (1 if outward > 0 else 0)
    # strengths[turn, shift]: the mean gradient along the turned and shifted line
    pos = base[None, None, :] + turns[:, None, None] * (along - middle)[None, None, :]
    pos = pos + outward * shifts[None, :, None]
    np.clip(np.rint(pos, out=pos), 0, limit, out=pos)
    flat = pos.astype(np.intp)
    flat += (rows * grad.shape[1])[None, None, :]
    strengths = np.take(grad, flat).mean(axis=2)  # grad[rows, pos] (as one flat index: faster)
    strongest = float(strengths.max())
    if strongest < 8.0:  # no still line there: keep the edge of the moving area
        return a, b
    best = strengths.max(axis=0)
    first = int(np.flatnonzero(best >= 0.6 * strongest)[0])
    # The nearest strong line, at its best-fitting turn and offset within a few pixels (a turned line that only
    # grazes it comes first).
    near = strengths[:, first : first + 2]
    i, k = np.unravel_index(int(near.argmax()), near.shape)
    turn, step = float(turns[i]), float(shifts[first + k])
    return a + turn, b + outward * step - turn * middle


def _inset(quad: list[tuple[float, float]], width: int, height: int) -> bool:
    """Whether the moving part has still picture on all four sides (an inset, a filmed screen), not only above or
    below (still sky, caption bars), where the halves already meet the footage."""
    xs, ys = [x for x, _y in quad], [y for _x, y in quad]
    margin_x, margin_y = INSET_MARGIN * width, INSET_MARGIN * height
    return (
        min(xs) >= margin_x
        and max(xs) <= width - margin_x
        and min(ys) >= margin_y
        and max(ys) <= height - margin_y
    )


def _nudged(quad: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """The quad and eight near copies: moved a pixel each way, grown and shrunk by one and two pixels. PDQ of a picture at
    half size or less changes by more than the match distance when the box is a pixel or two off."""
    n = QUAD_NUDGE
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = quad
    out = [quad]
    for dx, dy in ((n, 0.0), (-n, 0.0), (0.0, n), (0.0, -n)):
        out.append([(x + dx, y + dy) for x, y in quad])
    for g in (n, -n, 2 * n, -2 * n):
        out.append([(x0 - g, y0 - g), (x1 - g, y1 + g), (x2 + g, y2 + g), (x3 + g, y3 - g)])
    return out


def _straighten(gray: np.ndarray, quad: list[tuple[float, float]]) -> np.ndarray:
    from PIL import Image

    size, kind, data = _warp(quad)
    return np.asarray(Image.fromarray(gray).transform(size, kind, data, Image.Resampling.BILINEAR))


def _warp(quad: list[tuple[float, float]]) -> tuple[tuple[int, int], Any, tuple[float, ...]]:
    """Pillow's ``transform`` arguments (size, method, data) that straighten ``quad`` (found once for a chunk's
    samples)."""
    from PIL import Image

    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = quad
    width = max(16, round((np.hypot(x3 - x0, y3 - y0) + np.hypot(x2 - x1, y2 - y1)) / 2))
    height = max(16, round((np.hypot(x1 - x0, y1 - y0) + np.hypot(x2 - x3, y2 - y3)) / 2))
    # A perspective warp, not PIL's QUAD (a bilinear map): a screen filmed at an angle is foreshortened, and the
    # bilinear map puts its middle a pixel or two off, which is already more than PDQ forgives at this size.
    corners = [(0.0, 0.0), (0.0, float(height)), (float(width), float(height)), (float(width), 0.0)]
    rows = []
    for (u, v), (x, y) in zip(corners, quad, strict=True):
        rows.append([u, v, 1.0, 0.0, 0.0, 0.0, -x * u, -x * v])
        rows.append([0.0, 0.0, 0.0, u, v, 1.0, -y * u, -y * v])
    rhs = np.array([c for point in quad for c in point], dtype=np.float64)
    try:
        coeffs = np.linalg.solve(np.array(rows, dtype=np.float64), rhs)
    except np.linalg.LinAlgError:  # a degenerate quad (three corners in a line)
        return (width, height), Image.Transform.QUAD, (x0, y0, x1, y1, x2, y2, x3, y3)
    return (width, height), Image.Transform.PERSPECTIVE, tuple(coeffs.tolist())


def _work_size(width: int, height: int) -> tuple[int, int]:
    scale = min(1.0, WORK_SIDE / max(width, height, 1))
    return max(16, round(width * scale)) & ~1, max(16, round(height * scale)) & ~1


def _informative(rows: list[tuple[float, bytes, int]]) -> list[tuple[float, bytes, int]]:
    """A region's hashes without those that stay the same over time (sky, a wall, a caption bar, a logo).

    A region that looks alike at samples :data:`STILL_APART_S` or more apart says nothing about *when*, and would
    match every sample of another video of the same place: its hash is kept only when at most one sample that far
    away is within the match distance."""
    if len(rows) < 3:
        return rows
    times = np.array([t for t, _b, _q in rows])
    codes = pdq.to_array([b for _t, b, _q in rows])
    alike = pdq.distance_matrix(codes, codes) <= pdq.MATCH_DISTANCE
    apart = np.abs(times[:, None] - times[None, :]) >= STILL_APART_S
    keep = (alike & apart).sum(axis=1) <= 1
    return [row for row, k in zip(rows, keep.tolist(), strict=True) if k]


class _Sampler:
    """Hashes samples as they come, and the moving part of each chunk of samples once the chunk is complete."""

    def __init__(self) -> None:
        self.frames: list[tuple[float, bytes, int]] = []
        self.mirrored: list[bytes] = []
        self.extra: list[tuple[float, bytes, int]] = []
        self.parts: dict[str, list[tuple[float, bytes, int]]] = {}  # region name -> its hashes, in time order
        self.zooms: dict[int, list[tuple[float, bytes, int]]] = {}  # the same for each zoomed crop
        self.zoomed: list[tuple[float, bytes, int]] = []
        self.chunk: list[tuple[float, np.ndarray]] = []
        self.previous: list[tuple[float, np.ndarray]] = []

    def add(self, when: float, gray: np.ndarray) -> None:
        core = strip_borders(gray)
        # The halves are hashed at half size: PDQ reduces every picture to 64x64 anyway, and a quarter of the
        # pixels is a quarter of the work. The centre and the middle, which must meet a zoomed or re-framed copy's
        # whole picture, keep the full working size. The mirror image is hashed as such: pdqhash's flip of the
        # DCT is exact only for some picture sizes.
        even = core[: core.shape[0] // 2 * 2, : core.shape[1] // 2 * 2].astype(np.uint16)
        quads = even[0::2, 0::2] + even[1::2, 0::2] + even[0::2, 1::2] + even[1::2, 1::2]
        half = (quads >> 2).astype(np.uint8)  # the mean of each 2x2 block, rounded down
        named = list(zip(REGIONS, _regions(core)[:2] + _regions(half)[2:], strict=True))
        named = [(name, part) for name, part in named if part.shape[0] >= 16 and part.shape[1] >= 16]
        hashes = pdq.luma_hashes([core, core[:, ::-1]] + [part for _name, part in named])
        bits, quality = hashes[0]
        self.frames.append((when, bits, quality))
        self.mirrored.append(hashes[1][0])
        for (name, _part), hashed in zip(named, hashes[2:], strict=True):
            self.parts.setdefault(name, []).append((when, *hashed))
        for k, zoomed in enumerate(_zoomed(core)):
            self.zooms.setdefault(k, []).append((when, zoomed, quality))
        if self.chunk and self.chunk[0][1].shape != gray.shape:
            self._flush()
        self.chunk.append((when, gray))
        if len(self.chunk) >= CHUNK_SAMPLES:
            self._flush()

    def _flush(self) -> None:
        chunk, self.chunk = self.chunk, []
        if not chunk:
            return
        # A short last chunk borrows the samples before it, so the moving part is seen over enough time.
        context = chunk
        if (
            len(chunk) < CHUNK_SAMPLES // 2
            and self.previous
            and self.previous[0][1].shape == chunk[0][1].shape
        ):
            context = self.previous[len(chunk) - CHUNK_SAMPLES :] + chunk
        quad = content_quad([g for _t, g in context])
        self.previous = chunk
        if quad is None:
            return
        height, width = chunk[0][1].shape
        boxes = _nudged(quad) if _inset(quad, width, height) else [quad]
        from PIL import Image

        warps = [_warp(box) for box in boxes]
        straightened = []
        for _when, gray in chunk:
            picture = Image.fromarray(gray)
            for size, kind, data in warps:
                straightened.append(
                    np.asarray(picture.transform(size, kind, data, Image.Resampling.BILINEAR))
                )
        hashes = iter(pdq.luma_hashes(straightened))
        for when, _gray in chunk:
            for k in range(len(boxes)):
                self.parts.setdefault(f"moving{k}", []).append((when, *next(hashes)))

    def finish(self) -> None:
        self._flush()
        for rows in self.parts.values():
            self.extra.extend(_informative(rows))
        self.extra.sort(key=lambda row: row[0])
        for rows in self.zooms.values():
            self.zoomed.extend(_informative(rows))
        self.zoomed.sort(key=lambda row: row[0])


def fingerprint_video(
    path: str | os.PathLike[str],
    *,
    interval_s: float = INTERVAL_S,
    max_seconds: float | None = None,
    max_pixels: int | None = None,
    threads: bool = True,
) -> VideoFingerprint:
    """Fingerprint the first video stream: one sample per ``interval_s`` seconds, each hashed whole (borders cut,
    with its mirror image) and by regions (``extra``).

    Raises PyAV's errors for unreadable files: probe first (``probe()`` runs decoders in a sandbox), and run
    this in a worker with its own limits, or use :func:`fingerprint_video_sandboxed`. ``max_seconds`` stops
    after that much video; frames larger than ``max_pixels`` raise :class:`FrameTooLarge` before decoding.
    ``threads``: decode with FFmpeg's threads and hash on a thread beside them (:func:`_beside`); the result is
    the same either way.
    """
    import av  # heavy; loaded only when video is fingerprinted

    sampler = _Sampler()
    with av.open(os.fspath(path), mode="r") as container, _beside(sampler, threads) as add:
        stream = container.streams.video[0]
        width, height = stream.codec_context.width, stream.codec_context.height
        if max_pixels is not None and width * height > max_pixels:
            raise FrameTooLarge(f"{width}x{height} frames exceed the pixel limit")
        if threads:
            stream.thread_type = "AUTO"
        rate = float(stream.average_rate or stream.guessed_rate or 30)
        size: tuple[int, int] | None = None
        next_sample = 0.0
        last_time = 0.0
        start: float | None = None
        for index, frame in enumerate(container.decode(stream)):
            stamp = frame.time if frame.time is not None else index / rate
            if start is None:
                start = (
                    stamp  # streams (MPEG-TS especially) need not start at zero: count from the first frame
                )
            when = stamp - start
            last_time = max(last_time, when)
            if max_seconds is not None and when > max_seconds:
                break
            if when + 1e-6 < next_sample:
                continue
            # Catch up if the stream jumps ahead (variable frame rate, gaps): one sample per interval at most.
            next_sample = (int((when + 1e-6) / interval_s) + 1) * interval_s
            if size is None:
                size = _work_size(frame.width, frame.height)
            gray: np.ndarray = frame.reformat(width=size[0], height=size[1], format="gray").to_ndarray()
            turns = round(frame.rotation / 90) % 4 if frame.rotation else 0
            if turns:  # phones store portrait video sideways plus a display matrix: hash what viewers see
                gray = np.ascontiguousarray(np.rot90(gray, turns))
            add(round(when, 3), gray)
        duration = _duration(container, stream, last_time + 1 / rate)
    return VideoFingerprint(
        frames=sampler.frames,
        duration=duration,
        mirrored=sampler.mirrored,
        extra=sampler.extra,
        zoomed=sampler.zoomed,
    )


QUEUED_SAMPLES = 8  # samples decoded ahead of the hashing thread at most (a few hundred kilobytes)


@contextmanager
def _beside(sampler: _Sampler, threads: bool) -> Iterator[Callable[[float, np.ndarray], None]]:
    """``add(when, gray)`` for the decoding loop; the sampler's work (and :meth:`_Sampler.finish`) done on a
    thread of its own beside the decoder when ``threads``, so that hashing one sample overlaps decoding the next
    frames (PyAV and Pillow release the interpreter lock while they work, numpy for its larger steps). The samples
    are hashed in order, as in one thread; an error on the hashing thread is raised here."""
    if not threads:
        yield sampler.add
        sampler.finish()
        return
    work: queue.Queue[tuple[float, np.ndarray] | None] = queue.Queue(maxsize=QUEUED_SAMPLES)
    failed: list[BaseException] = []
    stop = threading.Event()

    def run() -> None:
        item: tuple[float, np.ndarray] | None = None
        try:
            while (item := work.get()) is not None:
                if not stop.is_set():
                    sampler.add(*item)
            if not stop.is_set():
                sampler.finish()
        except BaseException as exc:  # re-raised in the decoding thread
            failed.append(exc)
            stop.set()
            while item is not None:  # take what the decoder still puts, up to its end
                item = work.get()

    def add(when: float, gray: np.ndarray) -> None:
        if failed:
            raise failed[0]
        work.put((when, gray))

    thread = threading.Thread(target=run, name="video-hashing", daemon=True)
    thread.start()
    try:
        yield add
    except BaseException:
        stop.set()
        raise
    finally:
        work.put(None)
        thread.join()
    if failed:
        raise failed[0]


def _duration(container: Any, stream: Any, fallback: float) -> float:
    if stream.duration and stream.time_base:
        return round(float(stream.duration * stream.time_base), 3)
    if container.duration:
        return round(container.duration / 1_000_000, 3)
    return round(fallback, 3)


def fingerprint_video_sandboxed(
    path: str | os.PathLike[str],
    *,
    timeout_s: float = 600.0,
    max_memory: int = sandbox.DEFAULT_MAX_MEMORY,
    max_pixels: int = 8192 * 4320,
    max_seconds: float | None = None,
) -> VideoFingerprint:
    """:func:`fingerprint_video` in a limited child process; raises :class:`sandbox.MediaError` on failure."""
    args = {"path": os.fspath(path), "max_pixels": max_pixels, "max_seconds": max_seconds}
    value = sandbox.run_or_raise("video_fingerprint", args, timeout_s=timeout_s, max_memory=max_memory)
    return VideoFingerprint.from_dict(value)


def _fingerprint_task(args: dict[str, Any]) -> dict[str, Any]:
    import av  # only in the sandbox child

    try:
        fp = fingerprint_video(args["path"], max_pixels=args["max_pixels"], max_seconds=args["max_seconds"])
    except FrameTooLarge as exc:
        raise sandbox.TaskFailed("decompression_bomb", str(exc)) from exc
    except av.error.FFmpegError as exc:  # PyAV's errors are also ValueError/OSError: catch them first
        raise sandbox.TaskFailed("corrupt", str(getattr(exc, "strerror", "") or "")[:200]) from exc
    except IndexError as exc:
        raise sandbox.TaskFailed("unsupported_type", "no video stream") from exc
    return fp.to_dict()
