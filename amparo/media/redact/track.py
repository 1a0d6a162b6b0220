"""Link per-frame detections into tracks, so a person reviews a few tracks instead of thousands of boxes.

Detections come every ``stride`` frames. A track predicts where its face is now from its last two boxes
(constant velocity: a face crossing the picture moves more than its own width between two detections), and each
new detection joins the open track whose prediction it overlaps most (IoU), or whose predicted centre is close for
its size; matching is greedy by score of the pair, one detection per track. A track that finds nothing for
:data:`MAX_MISSES` detection rounds is closed: the missed rounds in between are covered by interpolation, which is
what hides a face the detector lost for a moment (motion blur, a hand in front). Finally every track is extended by
one stride before its first and after its last detection along its velocity, because the face was probably there
already (and still is).

:class:`Linker` does this one detection round at a time, so the caller can look again, closer, where an open
track is expected (:meth:`Linker.expected`) and where a new one was first seen (:meth:`Linker.born`,
:meth:`Linker.prepend`); :func:`link` runs it over all rounds at once.
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


def continuation(box: Box, found: np.ndarray) -> Box | None:
    """The detection of ``found`` (at another frame) most likely to be the face of ``box``, or None."""
    best, chosen = 0.0, None
    for row in found:
        score = _affinity(box, row, False)
        if score > best:
            best, chosen = score, row
    return None if chosen is None else _box(box.frame, chosen)


def seen_again(box: Box, found: np.ndarray) -> bool:
    """Whether a detection of ``found`` could continue the track expected at ``box`` (as :meth:`Linker.add` would
    link it: overlapping, or near its centre for its size)."""
    return any(_affinity(box, row, True) > 0 for row in found)


def grow_small(tracks: list[Track], limit: float, extra: float) -> list[Track]:
    """``tracks`` with each key box smaller than ``limit`` px grown about its centre, up to ``extra`` times its size
    for the smallest (linearly less up to ``limit``): between two detections a small, quick face runs out of the
    interpolated box sooner, relative to its size, than a large one."""
    grown = []
    for t in tracks:
        keys = []
        for b in t.boxes:
            g = extra * max(0.0, limit - max(b.w, b.h)) / limit
            keys.append(
                b._replace(x=b.x - g * b.w / 2, y=b.y - g * b.h / 2, w=b.w * (1 + g), h=b.h * (1 + g))
            )
        grown.append(Track(id=t.id, label=t.label, boxes=keys, source=t.source))
    return grown


def _box(frame: int, row: np.ndarray) -> Box:
    x, y, w, h, s = (float(v) for v in row[:5])
    return Box(frame, x, y, w, h, s)


class Linker:
    """Tracks built one detection round at a time (see the module doc)."""

    def __init__(self) -> None:
        self._open: list[tuple[list[Box], int]] = []  # (boxes, misses)
        self._closed: list[list[Box]] = []
        self._born: list[list[Box]] = []

    def expected(self, frame: int) -> list[Box]:
        """Where each open track's face should be at ``frame`` (before :meth:`add` for that frame)."""
        return [_predict(boxes, frame)[0] for boxes, _misses in self._open]

    def last(self) -> list[Box]:
        """The last box of each open track, in the order of :meth:`expected`."""
        return [boxes[-1] for boxes, _misses in self._open]

    def add(self, frame: int, found: np.ndarray) -> None:
        """The detections ``(n, 5)`` of one round, at a frame after every earlier round's."""
        pairs = []
        for ti, (boxes, _misses) in enumerate(self._open):
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
            self._open[ti][0].append(_box(frame, found[di]))
        still_open: list[tuple[list[Box], int]] = []
        for ti, (boxes, misses) in enumerate(self._open):
            if ti in used_t:
                still_open.append((boxes, 0))
            elif misses + 1 > MAX_MISSES:
                self._closed.append(boxes)
            else:
                still_open.append((boxes, misses + 1))
        self._born = []
        for di in range(len(found)):
            if di not in used_d:
                boxes = [_box(frame, found[di])]
                self._born.append(boxes)
                still_open.append((boxes, 0))
        self._open = still_open

    def born(self) -> list[Box]:
        """The first box of each track the last :meth:`add` started."""
        return [boxes[0] for boxes in self._born]

    def prepend(self, index: int, box: Box) -> None:
        """Give the ``index``-th track of :meth:`born` an earlier box (found by looking back at an earlier frame)."""
        boxes = self._born[index]
        if box.frame >= boxes[0].frame:
            raise ValueError("a prepended box must come before the track's first")
        boxes.insert(0, box)

    def tracks(
        self, *, stride: int, frames: int, width: int, height: int, label: str = "face", prefix: str = "f"
    ) -> list[Track]:
        """Every track so far, each extended by one stride before and after along its velocity."""
        every = self._closed + [boxes for boxes, _misses in self._open]
        every.sort(key=lambda boxes: (boxes[0].frame, boxes[0].x))
        tracks = []
        for number, boxes in enumerate(every, start=1):
            lead = max(0, boxes[0].frame - (stride - 1))
            tail = min(frames - 1, boxes[-1].frame + (stride - 1))
            keys = list(boxes)
            if lead < keys[0].frame:
                keys.insert(0, _inside(_predict(keys[::-1][:2], lead)[0], width, height))
            if tail > keys[-1].frame:
                keys.append(_inside(_predict(keys[-2:], tail)[0], width, height))
            tracks.append(Track(id=f"{prefix}{number}", label=label, boxes=keys))
        return tracks


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
    linker = Linker()
    for frame in sorted(detections):
        linker.add(frame, detections[frame])
    return linker.tracks(stride=stride, frames=frames, width=width, height=height, label=label, prefix=prefix)


def _window_sums(picture: np.ndarray, th: int, tw: int) -> np.ndarray:
    """The sum of every ``th`` x ``tw`` window of ``picture`` (from an integral image)."""
    total = np.zeros((picture.shape[0] + 1, picture.shape[1] + 1))
    total[1:, 1:] = picture.cumsum(axis=0).cumsum(axis=1)
    return np.asarray(total[th:, tw:] - total[:-th, tw:] - total[th:, :-tw] + total[:-th, :-tw])


def _best(
    picture: np.ndarray, template: np.ndarray, x0: int, y0: int, x1: int, y1: int
) -> tuple[float, int, int]:
    """The best zero-mean normalised cross-correlation (ZNCC) of ``template`` with its top-left corner in
    ``[x0, x1] x [y0, y1]`` of ``picture``, and where."""
    th, tw = template.shape
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(picture.shape[1] - tw, x1), min(picture.shape[0] - th, y1)
    if x1 < x0 or y1 < y0:
        return -1.0, 0, 0
    area = picture[y0 : y1 + th, x0 : x1 + tw].astype(np.float64)
    t = template - template.mean()
    num = np.einsum("ijkl,kl->ij", np.lib.stride_tricks.sliding_window_view(area, (th, tw)), t)
    n = th * tw
    sums = _window_sums(area, th, tw)
    spread = np.maximum(_window_sums(area * area, th, tw) - sums * sums / n, 0.0)
    scores = num / (np.sqrt(spread * float((t * t).sum())) + 1e-6)
    y, x = np.unravel_index(int(np.argmax(scores)), scores.shape)
    return float(scores[y, x]), x0 + int(x), y0 + int(y)


MATCH_INSET = 0.25  # of a text box's smaller side: about what the detector grew it by around its writing
MATCH_PIXELS = 256  # the coarse search scales a template down to about this many pixels


def _shrink(picture: np.ndarray, step: int) -> np.ndarray:
    h, w = picture.shape[0] // step, picture.shape[1] // step
    return np.asarray(picture[: h * step, : w * step].reshape(h, step, w, step).mean(axis=(1, 3)))


def match(
    before: np.ndarray, box: Box, now: np.ndarray, guess: Box, reach: float, factor: float
) -> tuple[float, Box]:
    """Where the picture inside ``box`` of grey frame ``before`` is in grey frame ``now``: searched ``reach`` px
    (frame pixels) around ``guess``, coarse then fine. The frames are scaled by ``factor`` from frame pixels; the
    answer is the match's ZNCC (1 = the same picture) and the box moved there, at ``guess``'s frame."""
    inset = MATCH_INSET * min(box.w, box.h)  # the writing itself, not what is around it (that may move apart)
    x, y = round((box.x + inset) * factor), round((box.y + inset) * factor)
    w = min(before.shape[1], max(4, round((box.w - 2 * inset) * factor)))
    h = min(before.shape[0], max(4, round((box.h - 2 * inset) * factor)))
    x, y = min(max(0, x), before.shape[1] - w), min(max(0, y), before.shape[0] - h)
    template = before[y : y + h, x : x + w].astype(np.float64)
    gx, gy = round(x + (guess.x - box.x) * factor), round(y + (guess.y - box.y) * factor)
    r = max(2, round(reach * factor))
    step = max(1, min(round(np.sqrt(w * h / MATCH_PIXELS)), min(w, h) // 3))
    if step > 1:
        _s, cx, cy = _best(
            _shrink(now, step),
            _shrink(template, step),
            (gx - r) // step,
            (gy - r) // step,
            (gx + r) // step,
            (gy + r) // step,
        )
        gx, gy, r = cx * step, cy * step, step
    score, bx, by = _best(now, template, gx - r, gy - r, gx + r, gy + r)
    return score, box._replace(frame=guess.frame, x=box.x + (bx - x) / factor, y=box.y + (by - y) / factor)
