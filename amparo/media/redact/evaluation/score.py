"""How proposals are scored against labelled faces.

A face counts as *hidden* when some proposed box, grown by the render margin as the redacted copy grows it,
covers at least :data:`HIDDEN_COVER` of the face's labelled box: that is what recall means for redaction (a box
that touches a face but leaves an eye showing does not count). A proposed box is *true* when it overlaps a
labelled face (it covers at least a quarter of one, or lies at least half inside one's grown box); precision is
the share of true boxes. Plain detection recall at IoU 0.3 is reported beside it for comparison with the
literature.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

HIDDEN_COVER = 0.9
MARGIN = 0.25  # amparo.media.redact.paint.MARGIN; repeated so scoring does not depend on rendering


def _inter(a: Sequence[float], b: Sequence[float]) -> float:
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    return ix * iy


def grow(box: Sequence[float], margin: float = MARGIN) -> tuple[float, float, float, float]:
    g = margin * max(box[2], box[3])
    return (box[0] - g, box[1] - g, box[2] + 2 * g, box[3] + 2 * g)


@dataclass
class Tally:
    faces: int = 0
    hidden: int = 0
    found_iou: int = 0
    boxes: int = 0
    true_boxes: int = 0

    def add(self, other: Tally) -> None:
        for name in ("faces", "hidden", "found_iou", "boxes", "true_boxes"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def recall(self) -> float:
        return self.hidden / self.faces if self.faces else 1.0

    @property
    def recall_iou(self) -> float:
        return self.found_iou / self.faces if self.faces else 1.0

    @property
    def precision(self) -> float:
        return self.true_boxes / self.boxes if self.boxes else 1.0


def score(
    proposed: Sequence[Sequence[float]], faces: Sequence[Sequence[float]], margin: float = MARGIN
) -> Tally:
    """Tally ``proposed`` boxes (``x, y, w, h, ...``) against labelled ``faces`` (``x, y, w, h``) in one picture."""
    tally = Tally(faces=len(faces), boxes=len(proposed))
    for face in faces:
        area = face[2] * face[3]
        if any(_inter(grow(p, margin), face) >= HIDDEN_COVER * area for p in proposed):
            tally.hidden += 1
        for p in proposed:
            inter = _inter(p, face)
            if inter / (area + p[2] * p[3] - inter) >= 0.3:
                tally.found_iou += 1
                break
    for p in proposed:
        own = p[2] * p[3]
        if any(_inter(p, f) >= 0.25 * f[2] * f[3] or _inter(p, grow(f, margin)) >= 0.5 * own for f in faces):
            tally.true_boxes += 1
    return tally
