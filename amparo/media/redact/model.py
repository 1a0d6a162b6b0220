"""What a redaction is made of: boxes, tracks of boxes, and a proposal of tracks, with their JSON form.

Coordinates are pixels of the picture *as viewers see it* (EXIF orientation and a phone video's display
matrix applied), at full resolution: a review page that shows a smaller copy scales by ``width``/``height``.
A video's ``frame`` counts decoded frames of its first video stream from 0; an image has only frame 0.

A :class:`Track` keeps only its key boxes (detections, or boxes a person placed); the box at any frame between
two key boxes is their linear interpolation, and a track covers exactly the frames from its first key box to
its last. So a person reviews a handful of tracks, and moving one key box moves the whole stretch around it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, NamedTuple

LABELS = ("face", "plate", "text")
SOURCES = ("detector", "person")
KINDS = ("image", "video")
STYLES = ("blur", "box")
FORMAT_VERSION = 1


class Box(NamedTuple):
    """One rectangle at one frame: top-left ``x, y``, size ``w, h`` in pixels, detector ``score`` 0..1 (1 for a person)."""

    frame: int
    x: float
    y: float
    w: float
    h: float
    score: float

    def padded(self, margin: float, width: int, height: int) -> tuple[int, int, int, int]:
        """``(x0, y0, x1, y1)``: the box grown by ``margin`` of its larger side on every side, clamped to the picture.

        Rounded outwards, so a padded box always contains the whole box.
        """
        grow = margin * max(self.w, self.h)
        x0 = max(0, math.floor(self.x - grow))
        y0 = max(0, math.floor(self.y - grow))
        x1 = min(width, math.ceil(self.x + self.w + grow))
        y1 = min(height, math.ceil(self.y + self.h + grow))
        return x0, y0, max(x0, x1), max(y0, y1)


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number")
    return float(value)


def box_from_list(data: Any) -> Box:
    """A :class:`Box` from ``[frame, x, y, w, h, score]``; ``ValueError`` for anything else."""
    if not isinstance(data, list | tuple) or len(data) != 6:
        raise ValueError("a box is [frame, x, y, w, h, score]")
    frame = data[0]
    if isinstance(frame, bool) or not isinstance(frame, int) or frame < 0:
        raise ValueError("a box's frame must be a whole number from 0")
    x, y, w, h, score = (
        _number(v, name) for v, name in zip(data[1:], ("x", "y", "w", "h", "score"), strict=True)
    )
    if w <= 0 or h <= 0:
        raise ValueError("a box must have a positive width and height")
    if not 0.0 <= score <= 1.0:
        raise ValueError("a box's score must lie between 0 and 1")
    return Box(frame, x, y, w, h, score)


@dataclass
class Track:
    """One thing to hide over a stretch of frames: its key boxes, sorted by frame, one per frame at most."""

    id: str
    label: str
    boxes: list[Box]
    source: str = "detector"

    def __post_init__(self) -> None:
        if self.label not in LABELS:
            raise ValueError(f"a track's label must be one of {', '.join(LABELS)}")
        if self.source not in SOURCES:
            raise ValueError(f"a track's source must be one of {', '.join(SOURCES)}")
        if not self.id or len(self.id) > 64:
            raise ValueError("a track needs an id of 1 to 64 characters")
        if not self.boxes:
            raise ValueError("a track needs at least one box")
        self.boxes = sorted(self.boxes, key=lambda b: b.frame)
        frames = [b.frame for b in self.boxes]
        if len(set(frames)) != len(frames):
            raise ValueError("a track has at most one key box per frame")

    @property
    def first(self) -> int:
        return self.boxes[0].frame

    @property
    def last(self) -> int:
        return self.boxes[-1].frame

    def at(self, frame: int) -> Box | None:
        """The box at ``frame``: a key box, the interpolation of the two around it, or None outside the track."""
        if frame < self.first or frame > self.last:
            return None
        lo, hi = 0, len(self.boxes) - 1
        while hi - lo > 1:  # the key boxes are sorted: find the pair around ``frame``
            mid = (lo + hi) // 2
            if self.boxes[mid].frame <= frame:
                lo = mid
            else:
                hi = mid
        a, b = self.boxes[lo], self.boxes[hi]
        if a.frame == frame or a.frame == b.frame:
            return a._replace(frame=frame)
        if b.frame == frame:
            return b
        t = (frame - a.frame) / (b.frame - a.frame)
        return Box(
            frame,
            a.x + (b.x - a.x) * t,
            a.y + (b.y - a.y) * t,
            a.w + (b.w - a.w) * t,
            a.h + (b.h - a.h) * t,
            min(a.score, b.score),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "source": self.source,
            "boxes": [
                [b.frame, round(b.x, 2), round(b.y, 2), round(b.w, 2), round(b.h, 2), round(b.score, 4)]
                for b in self.boxes
            ],
        }

    @classmethod
    def from_dict(cls, data: Any) -> Track:
        """A track from :meth:`to_dict`'s form (as edited by a person); ``ValueError`` says what is wrong."""
        if not isinstance(data, dict):
            raise ValueError("a track is an object")
        boxes = data.get("boxes")
        if not isinstance(boxes, list):
            raise ValueError("a track's boxes are a list")
        return cls(
            id=str(data.get("id", "")),
            label=str(data.get("label", "")),
            boxes=[box_from_list(b) for b in boxes],
            source=str(data.get("source", "detector")),
        )


@dataclass
class Proposal:
    """What the detectors propose for one picture or video, and the geometry the boxes refer to."""

    kind: str
    width: int
    height: int
    fps: float
    frames: int
    tracks: list[Track] = field(default_factory=list)
    stride: int = 1  # detectors ran on every ``stride``-th frame
    detectors: dict[str, Any] = field(default_factory=dict)  # name -> model, threshold, ... (for the record)
    has_audio: bool = False
    # Looks for writing (a still's one, a video's rounds) that found more than text.MAX_BOXES boxes and kept only
    # the strongest: more writing may be there than was proposed.
    text_capped: int = 0

    def validate_tracks(self, tracks: list[Track]) -> None:
        """``ValueError`` unless every box lies on a frame of this media and overlaps its picture."""
        ids = [t.id for t in tracks]
        if len(set(ids)) != len(ids):
            raise ValueError("two tracks share an id")
        for track in tracks:
            for b in track.boxes:
                if b.frame >= self.frames:
                    raise ValueError(
                        f"track {track.id}: frame {b.frame} is past the last frame {self.frames - 1}"
                    )
                if b.x >= self.width or b.y >= self.height or b.x + b.w <= 0 or b.y + b.h <= 0:
                    raise ValueError(f"track {track.id}: a box at frame {b.frame} lies outside the picture")

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "kind": self.kind,
            "width": self.width,
            "height": self.height,
            "fps": self.fps,
            "frames": self.frames,
            "stride": self.stride,
            "has_audio": self.has_audio,
            "text_capped": self.text_capped,
            "detectors": self.detectors,
            "tracks": [t.to_dict() for t in self.tracks],
        }

    @classmethod
    def from_dict(cls, data: Any) -> Proposal:
        if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
            raise ValueError(f"a proposal is an object of version {FORMAT_VERSION}")
        kind = data.get("kind")
        if kind not in KINDS:
            raise ValueError("a proposal's kind is image or video")
        width, height, frames = (data.get(k) for k in ("width", "height", "frames"))
        if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in (width, height, frames)):
            raise ValueError("a proposal's width, height and frames are positive whole numbers")
        assert isinstance(width, int) and isinstance(height, int) and isinstance(frames, int)
        tracks = data.get("tracks", [])
        if not isinstance(tracks, list):
            raise ValueError("a proposal's tracks are a list")
        proposal = cls(
            kind=str(kind),
            width=width,
            height=height,
            fps=_number(data.get("fps", 0.0), "fps"),
            frames=frames,
            tracks=[Track.from_dict(t) for t in tracks],
            stride=int(data.get("stride", 1)),
            detectors=dict(data.get("detectors") or {}),
            has_audio=bool(data.get("has_audio", False)),
            text_capped=int(_number(data.get("text_capped", 0), "text_capped")),
        )
        proposal.validate_tracks(proposal.tracks)
        return proposal


@dataclass
class RenderResult:
    """The redacted copy written to ``path``: what it is, and what was left out."""

    path: str
    sha256: str
    size: int
    format: str  # "mp4", "jpeg" or "png"
    width: int
    height: int
    frames: int
    fps: float
    style: str
    regions: int  # boxes painted, summed over frames
    audio_dropped: bool  # the original had sound and the copy has none (voices identify people)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)
