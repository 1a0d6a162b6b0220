"""Text in stills and video frames (name tags, house numbers, street signs, licence plates' characters) with PP-OCRv6's detector.

The detector is the small PP-OCRv6 text detection network (PaddlePaddle, Apache-2.0) as the ``rapidocr`` 3.10.0
wheel ships it (``models/README.md``); onnxruntime runs it. It is a DB (differentiable binarisation) network: it
gives every pixel a probability of being text. Pixels above :data:`PIXEL_THRESHOLD` are grouped into connected
regions; a region whose mean probability reaches :data:`BOX_THRESHOLD` becomes a box, grown as DB grows its shrunk
text kernels (by area x 1.6 / perimeter) and then as every redaction grows. It finds words, not meaning: a plate is
found through its characters, and it is labelled "text" like any other writing.
"""

from __future__ import annotations

from collections import deque
from functools import lru_cache
from pathlib import Path

import numpy as np

from amparo.media.redact.detect import _resize, in_frame, nms

MODEL_PATH = Path(__file__).with_name("models") / "ppocr_det.onnx"
MODEL_NAME = "PP-OCRv6 small text detector (rapidocr 3.10.0 build)"
PIXEL_THRESHOLD = 0.3
BOX_THRESHOLD = 0.5
UNCLIP = 1.6
MIN_SIDE = 1024  # small pictures are enlarged to this on their shorter side: a name tag is a few pixels high
MAX_SIDE = 2048  # and no larger than this on its longer side (memory)
# Boxes one look may give, the strongest kept: a grainy or hostile picture the network reads as writing in its
# hundreds would otherwise make linking and following them in a video cost minutes (docs/redaction.md).
MAX_BOXES = 48


@lru_cache(maxsize=2)
def _session(threads: int = 2) -> object:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(MODEL_PATH), options, providers=["CPUExecutionProvider"])


def _components(mask: np.ndarray) -> list[np.ndarray]:
    """Pixel indices ``(k, 2)`` of each 8-connected region of a boolean mask."""
    seen = np.zeros_like(mask)
    regions = []
    height, width = mask.shape
    for y0, x0 in zip(*np.nonzero(mask), strict=True):
        if seen[y0, x0]:
            continue
        seen[y0, x0] = True
        queue = deque([(int(y0), int(x0))])
        pixels = []
        while queue:
            y, x = queue.popleft()
            pixels.append((y, x))
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    ny, nx = y + dy, x + dx
                    if 0 <= ny < height and 0 <= nx < width and mask[ny, nx] and not seen[ny, nx]:
                        seen[ny, nx] = True
                        queue.append((ny, nx))
        regions.append(np.asarray(pixels))
    return regions


def detect_text(
    rgb: np.ndarray, *, threshold: float = BOX_THRESHOLD, min_side: int = MIN_SIDE, threads: int = 2
) -> np.ndarray:
    """Text regions in an ``(h, w, 3)`` uint8 RGB picture: ``(n, 5)`` rows ``x, y, w, h, score`` in its pixels.

    The picture is enlarged to ``min_side`` on its shorter side (video frames come already scaled, with 0)."""
    height, width = rgb.shape[:2]
    factor = min(max(1.0, min_side / min(height, width)), MAX_SIDE / max(height, width))
    work = _resize(rgb, factor) if abs(factor - 1.0) > 1e-3 else rgb
    wh, ww = work.shape[:2]
    ph, pw = -(-wh // 32) * 32, -(-ww // 32) * 32
    blob = np.zeros((1, 3, ph, pw), dtype=np.float32)
    blob[0, :, :wh, :ww] = (work[:, :, ::-1].astype(np.float32) / 127.5 - 1.0).transpose(
        2, 0, 1
    )  # BGR, [-1, 1]
    prob = _session(threads).run(None, {"x": blob})[0][0, 0, :wh, :ww]  # type: ignore[attr-defined]
    # Group at half resolution: 4x fewer pixels to walk, and neighbouring letters of a word join.
    half = prob[: wh // 2 * 2, : ww // 2 * 2].reshape(wh // 2, 2, ww // 2, 2).max(axis=(1, 3))
    found = []
    for pixels in _components(half > PIXEL_THRESHOLD):
        if len(pixels) < 3:
            continue
        score = float(half[pixels[:, 0], pixels[:, 1]].mean())
        if score < threshold:
            continue
        y0, x0 = pixels.min(axis=0) * 2
        y1, x1 = (pixels.max(axis=0) + 1) * 2
        w, h = float(x1 - x0), float(y1 - y0)
        grow = w * h * UNCLIP / (2 * (w + h))
        found.append([x0 - grow, y0 - grow, w + 2 * grow, h + 2 * grow, score])
    if not found:
        return np.zeros((0, 5), dtype=np.float32)
    boxes = np.asarray(found, dtype=np.float32)
    boxes[:, :4] /= factor
    boxes[:, 0] = np.clip(boxes[:, 0], 0, width)
    boxes[:, 1] = np.clip(boxes[:, 1], 0, height)
    boxes[:, 2] = np.minimum(boxes[:, 2], width - boxes[:, 0])
    boxes[:, 3] = np.minimum(boxes[:, 3], height - boxes[:, 1])
    return nms(boxes[(boxes[:, 2] >= 2) & (boxes[:, 3] >= 2)], 0.5)


def strongest(boxes: np.ndarray, most: int | None = None) -> tuple[np.ndarray, bool]:
    """The ``most`` (default :data:`MAX_BOXES`) highest-scoring of ``boxes`` (rows ``x, y, w, h, score``) in their
    order, and whether any were left out."""
    most = MAX_BOXES if most is None else most
    if len(boxes) <= most:
        return boxes, False
    keep = np.sort(np.argsort(-boxes[:, 4], kind="stable")[:most])
    return boxes[keep], True


def detect_text_region(
    rgb: np.ndarray,
    region: tuple[float, float, float, float],
    *,
    threshold: float = BOX_THRESHOLD,
    threads: int = 2,
) -> np.ndarray:
    """:func:`detect_text` on the part ``region`` (``x0, y0, x1, y1``) of ``rgb`` as it is (no enlarging): a look
    where known writing is expected. Boxes in ``rgb``'s pixels; a box touching a cut edge (not the picture's) is
    dropped, since only part of its writing is in the crop."""
    height, width = rgb.shape[:2]
    x0, y0 = max(0, int(region[0])), max(0, int(region[1]))
    x1, y1 = min(width, int(np.ceil(region[2]))), min(height, int(np.ceil(region[3])))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return np.zeros((0, 5), dtype=np.float32)
    found = detect_text(rgb[y0:y1, x0:x1], threshold=threshold, min_side=0, threads=threads)
    return in_frame(found, (x0, y0, x1, y1), width, height)
