"""Paint redactions into decoded pixels: a blur that keeps nothing but a few average colours, or a solid box.

"blur" is not a Gaussian blur (a light one can be undone, and a face stays recognisable through a moderate one):
each region is reduced to at most :data:`BLOCKS` x :data:`BLOCKS` average colours and stretched back smoothly, so
what survives is 16 averages per colour plane and no edge, eye or outline. "box" paints the region black.
Every region is grown by :data:`MARGIN` of its larger side first: hair, ears and a chin the detector's box
leaves out identify people too, and a track's interpolated box can lag a fast-moving face.

The functions work on single planes (``(h, w)`` uint8), so a video is redacted in its own YUV 4:2:0 planes
(no colour conversion per frame) and a still in its R, G and B planes.
"""

from __future__ import annotations

import numpy as np

from amparo.media.redact.model import Box

BLOCKS = 4
MARGIN = 0.25
BOX_VALUE = {"rgb": (0, 0, 0), "yuv": (16, 128, 128)}  # black in full-range RGB and in video-range YUV


def smear(region: np.ndarray, blocks: int = BLOCKS) -> np.ndarray:
    """``region`` (h, w) reduced to ``blocks`` x ``blocks`` area averages and stretched back bilinearly."""
    height, width = region.shape
    by, bx = min(blocks, height), min(blocks, width)
    rows = np.linspace(0, height, by + 1).astype(np.intp)
    cols = np.linspace(0, width, bx + 1).astype(np.intp)
    sums = np.add.reduceat(np.add.reduceat(region.astype(np.float32), rows[:-1], axis=0), cols[:-1], axis=1)
    means = sums / (np.diff(rows)[:, None] * np.diff(cols)[None, :])
    gy = np.clip((np.arange(height) + 0.5) / height * by - 0.5, 0, by - 1)
    gx = np.clip((np.arange(width) + 0.5) / width * bx - 0.5, 0, bx - 1)
    y0 = np.minimum(gy.astype(np.intp), by - 1)
    x0 = np.minimum(gx.astype(np.intp), bx - 1)
    y1, x1 = np.minimum(y0 + 1, by - 1), np.minimum(x0 + 1, bx - 1)
    ty, tx = (gy - y0)[:, None], (gx - x0)[None, :]
    tall = means[y0] * (1 - ty) + means[y1] * ty  # (height, bx)
    out = tall[:, x0] * (1 - tx) + tall[:, x1] * tx
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)


def paint(
    planes: list[np.ndarray],
    rect: tuple[int, int, int, int],
    style: str,
    fill: tuple[int, ...],
    subsample: list[int],
) -> None:
    """Redact ``rect`` (x0, y0, x1, y1 in full-size pixels) in every plane, in place.

    ``subsample[i]`` is how many full-size pixels one pixel of plane ``i`` spans (2 for 4:2:0 chroma); the
    plane's rectangle is rounded outwards so no half-covered chroma sample keeps the original's colour.
    """
    x0, y0, x1, y1 = rect
    for plane, value, sub in zip(planes, fill, subsample, strict=True):
        px0, py0 = x0 // sub, y0 // sub
        px1 = min(plane.shape[1], -(-x1 // sub))
        py1 = min(plane.shape[0], -(-y1 // sub))
        if px1 <= px0 or py1 <= py0:
            continue
        if style == "box":
            plane[py0:py1, px0:px1] = value
        else:
            plane[py0:py1, px0:px1] = smear(plane[py0:py1, px0:px1])


def regions(
    boxes: list[Box], width: int, height: int, margin: float = MARGIN
) -> list[tuple[int, int, int, int]]:
    """The padded, clamped rectangles of ``boxes`` that still have an area."""
    rects = [b.padded(margin, width, height) for b in boxes]
    return [r for r in rects if r[2] > r[0] and r[3] > r[1]]


def redact_rgb(rgb: np.ndarray, boxes: list[Box], style: str, margin: float = MARGIN) -> int:
    """Redact ``boxes`` in an ``(h, w, 3)`` uint8 array in place; the number of regions painted."""
    height, width = rgb.shape[:2]
    planes = [rgb[:, :, c] for c in range(3)]
    rects = regions(boxes, width, height, margin)
    for rect in rects:
        paint(planes, rect, style, BOX_VALUE["rgb"], [1, 1, 1])
    return len(rects)


def split_yuv420(frame_array: np.ndarray, width: int, height: int) -> list[np.ndarray]:
    """Views of Y, U and V in PyAV's ``yuv420p`` ``to_ndarray`` layout (Y rows, then U, then V packed by rows)."""
    y = frame_array[:height]
    chroma = frame_array[height:].reshape(-1)
    quarter = (width // 2) * (height // 2)
    u = chroma[:quarter].reshape(height // 2, width // 2)
    v = chroma[quarter : 2 * quarter].reshape(height // 2, width // 2)
    return [y, u, v]


def redact_yuv420(planes: list[np.ndarray], boxes: list[Box], style: str, margin: float = MARGIN) -> int:
    """Redact ``boxes`` in full-size Y and half-size U, V planes in place; the number of regions painted."""
    height, width = planes[0].shape
    rects = regions(boxes, width, height, margin)
    for rect in rects:
        paint(planes, rect, style, BOX_VALUE["yuv"], [1, 2, 2])
    return len(rects)
