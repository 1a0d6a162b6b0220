"""Link per-frame detections into tracks, so a person reviews a few tracks instead of thousands of boxes.

Detections come every ``stride`` frames. A track predicts where its face is now from its last two boxes
(constant velocity: a face crossing the picture moves more than its own width between two detections), and each
new detection joins the open track whose prediction it overlaps most (IoU), or whose predicted centre is close for
its size; matching is greedy by score of the pair, one detection per track. A track that finds nothing for
:data:`MAX_MISSES` detection rounds is closed: the missed rounds in between are covered by interpolation, which is
what hides a face the detector lost for a moment (motion blur, a hand in front). Finally every track is extended by
one stride before its first and after its last detection along its velocity, because the face was probably there
already (and still is).
"""

from __future__ import annotations

import numpy as np

from amparo.media.redact.model import Box, Track

MIN_IOU = 0.2
MAX_CENTRE_SHIFT = 0.75  # of the larger side of the two boxes, from the predicted centre
FIRST_REACH = 3.0  # a track of one box has no velocity yet: look this many sizes around it
MAX_MISSES = 2  # detection rounds a track may miss before it is closed


def _iou(a: Box, b: np.ndarray) -> float:
    ix = max(0.0, min(a.x + a.w, b[0] + b[2]) - max(a.x, b[0]))
    iy = max(0.0, min(a.y + a.h, b[1] + b[3]) - max(a.y, b[1]))
    inter = ix * iy
    union = a.w * a.h + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def _predict(boxes: list[Box], frame: int) -> tuple[Box, bool]:
    """Where a track's face is at ``frame``, moving on as between its last two boxes; and whether it had a velocity."""
    last = boxes[-1]
    if len(boxes) < 2 or frame == last.frame:
        return last._replace(frame=frame), len(boxes) >= 2
    before = boxes[-2]
    steps = (frame - last.frame) / max(1, last.frame - before.frame)
    return last._replace(
        frame=frame, x=last.x + (last.x - before.x) * steps, y=last.y + (last.y - before.y) * steps
    ), True


def _affinity(a: Box, b: np.ndarray, moving: bool = True) -> float:
    """How well detection ``b`` continues a track predicted at ``a``: IoU, or less for a near centre; 0 = no."""
    iou = _iou(a, b)
    if iou >= MIN_IOU:
        return 1.0 + iou
    if not 0.5 <= (b[2] * b[3]) / max(a.w * a.h, 1e-6) <= 2.0:
        return 0.0  # a box twice or half the size is another face, however close
    shift = np.hypot(a.x + a.w / 2 - (b[0] + b[2] / 2), a.y + a.h / 2 - (b[1] + b[3] / 2))
    reach = (MAX_CENTRE_SHIFT if moving else FIRST_REACH) * max(a.w, a.h, b[2], b[3])
    return 1.0 - shift / reach if shift < reach else 0.0


def _inside(box: Box, width: int, height: int) -> Box:
    """``box`` moved (not shrunk) so that at least half of it stays in the picture: extrapolation can overshoot."""
    return box._replace(
        x=min(max(box.x, -box.w / 2), width - box.w / 2), y=min(max(box.y, -box.h / 2), height - box.h / 2)
    )


def link(
    detections: dict[int, np.ndarray],
    *,
    stride: int,
    frames: int,
    width: int,
    height: int,
    label: str = "face",
    prefix: str = "f",
) -> list[Track]:
    """Tracks from ``{frame: (n, 5) array of x, y, w, h, score}``, detections every ``stride`` frames, in a
    ``width`` x ``height`` picture."""
    open_tracks: list[tuple[list[Box], int]] = []  # (boxes, misses)
    closed: list[list[Box]] = []
    for frame in sorted(detections):
        found = detections[frame]
        pairs = []
        for ti, (boxes, _misses) in enumerate(open_tracks):
            guess, moving = _predict(boxes, frame)
            for di in range(len(found)):
                # The prediction, or where the face was last (it may have turned round: a bounce, a stop).
                score = max(_affinity(guess, found[di], moving), _affinity(boxes[-1], found[di], False))
                if score > 0:
                    pairs.append((score, ti, di))
        pairs.sort(reverse=True)
        used_t: set[int] = set()
        used_d: set[int] = set()
        for _score, ti, di in pairs:
            if ti in used_t or di in used_d:
                continue
            used_t.add(ti)
            used_d.add(di)
            x, y, w, h, s = (float(v) for v in found[di])
            open_tracks[ti][0].append(Box(frame, x, y, w, h, s))
        still_open: list[tuple[list[Box], int]] = []
        for ti, (boxes, misses) in enumerate(open_tracks):
            if ti in used_t:
                still_open.append((boxes, 0))
            elif misses + 1 > MAX_MISSES:
                closed.append(boxes)
            else:
                still_open.append((boxes, misses + 1))
        for di in range(len(found)):
            if di not in used_d:
                x, y, w, h, s = (float(v) for v in found[di])
                still_open.append(([Box(frame, x, y, w, h, s)], 0))
        open_tracks = still_open
    closed.extend(boxes for boxes, _misses in open_tracks)
    closed.sort(key=lambda boxes: (boxes[0].frame, boxes[0].x))
    tracks = []
    for number, boxes in enumerate(closed, start=1):
        lead = max(0, boxes[0].frame - (stride - 1))
        tail = min(frames - 1, boxes[-1].frame + (stride - 1))
        keys = list(boxes)
        if lead < keys[0].frame:
            keys.insert(0, _inside(_predict(keys[::-1][:2], lead)[0], width, height))
        if tail > keys[-1].frame:
            keys.append(_inside(_predict(keys[-2:], tail)[0], width, height))
        tracks.append(Track(id=f"{prefix}{number}", label=label, boxes=keys))
    return tracks
