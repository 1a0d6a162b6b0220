"""Propose what to hide in a picture or video, and make the redacted copy, each in the media sandbox.

:func:`propose` and :func:`render` run their decoding in a limited child process (``amparo.media.sandbox``): a
hostile file (a decompression bomb, a truncated or malformed stream) costs that process, not the server, and
fails with a :class:`MediaError` whose ``code`` is stable (``corrupt``, ``decompression_bomb``, ``too_long``,
``no_video``, ``timeout``, ``out_of_memory``, ``crashed``). The original is only ever read.

The redacted copy is made from decoded pixels and encoded afresh (H.264 in MP4 for video, JPEG or PNG for a
still), so no EXIF, GPS, XMP, ICC profile, maker note or container tag of the original reaches it. Its sound is
dropped: voices identify people, and the copy's purpose is the picture. The child may not create files, so it
hands the encoded copy back on its pipe and this process writes ``out_path`` (atomically, never over the
original).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import tempfile
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from amparo.media import sandbox
from amparo.media.redact import detect, paint
from amparo.media.redact.detect import within
from amparo.media.redact.model import KINDS, STYLES, Box, Proposal, RenderResult, Track
from amparo.media.redact.track import MAX_MISSES, Linker, continuation, grow_small, match, seen_again
from amparo.media.sandbox import MediaError, TaskFailed

VIDEO_WORK_SIDE = 640  # video frames are searched whole at this size on their longer side (720p at a half)
VIDEO_MAX_ENLARGE = 2.0  # a small video is enlarged up to twice for detection: its faces are small too
DETECTIONS_PER_SECOND = 2.0  # the tracker interpolates between; see docs/redaction.md for the trade-off
VIDEO_THREADS = 1  # one onnxruntime thread per detection: the same work for 15-30 % less CPU than two
# Small faces (under SMALL_FACE px at the work size: 80 px on a 720p frame) are found far less often at the work
# size, so they get a closer look at CLOSE_ZOOM times it (720p at 1600 px): around where a track expects one that
# the work-size pass did not find again this round (CLOSE_REACH of its size around), back through the last
# LOOK_BACK rounds' frames for one first seen now (BACK_REACH around), and, every WIDE_EVERY-th round, over the
# whole frame instead of the work-size pass.
SMALL_FACE = 40
CLOSE_ZOOM = 2.5
CLOSE_REACH = 3.0
BACK_REACH = 3.0
LOOK_BACK = 3
WIDE_EVERY = 8
# Key boxes under GROW_BELOW px at the work size are grown by up to GROW_UP_TO times their size (see grow_small).
GROW_BELOW = 60
GROW_UP_TO = 1.5
# Writing in video: the text detector on the whole upright frame, scaled down to VIDEO_TEXT_SIDE on its longer side
# (never enlarged: 720p at a half), every VIDEO_TEXT_SECONDS; in every detection round between, each known piece of
# writing is followed by finding its picture again (track.match, in grey at the same scale, TEXT_FOLLOW_REACH
# around where the tracker expects it), and writing first seen is followed back the same way through the last
# LOOK_BACK rounds' frames. The boxes are linked into "text" tracks like faces. 0 turns it off (see
# docs/redaction.md for its cost and recall).
VIDEO_TEXT_SECONDS = 4.0
VIDEO_TEXT_SIDE = 640
TEXT_FOLLOW_REACH = 0.06  # of the frame's longer side, per detection round: how far writing is searched for
TEXT_IN_FACE = 0.9  # writing with this share of its box in a face's painted region is left to the face
TEXT_MATCH = 0.7  # the least ZNCC of a followed piece of writing with its picture in the round before
CRF = 18  # the copy is for publication: keep it close to the original's quality
PRESET = "veryfast"
JPEG_QUALITY = 92
# libswscale's filter for the frames detection sees: "AREA" averages the pixels each output pixel covers, a third
# of the cost of its default bilinear filter at half size, and as good for the detector (docs/redaction.md)
SCALING = "AREA"
TEXT_SCALING = None  # and for the look for writing: its default, bilinear (see _VideoSearch._writing)


@dataclass(frozen=True)
class Limits:
    """What one file may cost. A video longer than ``max_seconds`` is refused, never cut short: a proposal or copy
    of only its start would leave the rest unredacted."""

    max_pixels: int = 8192 * 4320  # per frame or picture; above is a decompression bomb
    max_seconds: float = 1800.0
    timeout_s: float = 1800.0
    max_memory: int = 3 << 30
    stride: int | None = None  # detect on every n-th frame; None: about DETECTIONS_PER_SECOND a second
    work_side: int | None = (
        None  # longer side video frames are detected at; None: VIDEO_WORK_SIDE (1280: slower,
    )
    # finds more faces of 24-48 px, see docs/redaction.md)
    text_seconds: float = VIDEO_TEXT_SECONDS  # seconds between looks for writing in a video; 0: none

    def __post_init__(self) -> None:
        if self.stride is not None and not 1 <= self.stride <= 300:
            raise ValueError("stride must lie between 1 and 300 frames")
        if self.work_side is not None and not 160 <= self.work_side <= 4096:
            raise ValueError("work_side must lie between 160 and 4096 pixels")
        if self.text_seconds and not 0.2 <= self.text_seconds <= 60:
            raise ValueError("text_seconds must be 0 (no text in video) or lie between 0.2 and 60 seconds")


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")


def propose(path: str | os.PathLike[str], *, kind: str, limits: Limits = Limits()) -> Proposal:
    """Regions to hide in the picture or video at ``path``, as tracks for a person to review."""
    _check_kind(kind)
    args = {
        "path": os.fspath(path),
        "kind": kind,
        "max_pixels": limits.max_pixels,
        "max_seconds": limits.max_seconds,
        "stride": limits.stride,
        "work_side": limits.work_side,
        "text_seconds": limits.text_seconds,
    }
    value = sandbox.run_or_raise(
        "redact_propose", args, timeout_s=limits.timeout_s, max_memory=limits.max_memory
    )
    return Proposal.from_dict(value)


def render(
    path: str | os.PathLike[str],
    tracks: list[Track],
    out_path: str | os.PathLike[str],
    *,
    style: str,
    kind: str,
    margin: float = paint.MARGIN,
    limits: Limits = Limits(),
) -> RenderResult:
    """Write the redacted copy of ``path`` to ``out_path`` (``.mp4`` for video; ``.jpg``/``.jpeg`` or ``.png``)."""
    _check_kind(kind)
    if style not in STYLES:
        raise ValueError(f"style must be one of {', '.join(STYLES)}")
    if not 0.0 <= margin <= 2.0:
        raise ValueError("margin must lie between 0 and 2")
    out = Path(out_path)
    fmt = _out_format(out, kind)
    if out.exists() and out.resolve() == Path(path).resolve():
        raise ValueError("the redacted copy must not replace the original")
    args = {
        "path": os.fspath(path),
        "kind": kind,
        "style": style,
        "margin": margin,
        "format": fmt,
        "tracks": [t.to_dict() for t in tracks],
        "max_pixels": limits.max_pixels,
        "max_seconds": limits.max_seconds,
    }
    value = sandbox.run_or_raise(
        "redact_render", args, timeout_s=limits.timeout_s, max_memory=limits.max_memory
    )
    data = base64.b64decode(value.pop("data"))
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".redact-", suffix=out.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return RenderResult(path=str(out), sha256=hashlib.sha256(data).hexdigest(), size=len(data), **value)


def _out_format(out: Path, kind: str) -> str:
    suffix = out.suffix.lower()
    allowed = {"video": {".mp4": "mp4"}, "image": {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png"}}[kind]
    if suffix not in allowed:
        raise ValueError(f"a redacted {kind} is written as {' or '.join(sorted(allowed))}")
    return allowed[suffix]


# --- in the sandboxed child (also callable in-process by tests and benchmarks) ---------------------------------


def open_image(path: str, max_pixels: int) -> np.ndarray:
    """The picture upright (EXIF orientation applied) as RGB; alpha is dropped."""
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with Image.open(path) as img:
            if img.width * img.height > max_pixels:
                raise TaskFailed("decompression_bomb", f"{img.width}x{img.height} pixels")
            upright = ImageOps.exif_transpose(img)
            return np.array(upright.convert("RGB"))
    except Image.DecompressionBombError as exc:
        raise TaskFailed("decompression_bomb", str(exc)[:200]) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise TaskFailed("corrupt", str(exc)[:200]) from exc


def _turns(frame: Any) -> int:
    return round(frame.rotation / 90) % 4 if getattr(frame, "rotation", 0) else 0


def _open_video(path: str, max_pixels: int) -> tuple[Any, Any]:
    import av

    container = av.open(path)
    if not container.streams.video:
        container.close()
        raise TaskFailed("no_video", "the file has no picture")
    stream = container.streams.video[0]
    width, height = stream.codec_context.width, stream.codec_context.height
    if width * height > max_pixels:
        container.close()
        raise TaskFailed("decompression_bomb", f"{width}x{height} frames")
    stream.thread_type = "AUTO"
    return container, stream


def _rate(stream: Any) -> float:
    return float(stream.average_rate or stream.guessed_rate or 30)


class _Unplaced(Exception):
    """A decoded frame's timestamp was not where the packets put it (see :func:`_frames`)."""


def _places(path: str, max_seconds: float) -> dict[int, int] | None:
    """Each frame's place in showing order, by its timestamp, from the first video stream's packets alone (nothing
    is decoded); None when a packet has no timestamp, two share one or there are more than a frame rate of 240
    would give: places could not be told apart, so every frame is decoded instead."""
    import av

    most = int(max_seconds * 240) + 1
    stamps: list[int] = []
    with av.open(path) as container:
        for packet in container.demux(container.streams.video[0]):
            if not packet.size or packet.is_discard:  # the end, or a packet the decoder is told to drop
                continue
            if packet.pts is None or len(stamps) >= most:
                return None
            stamps.append(packet.pts)
    if len(set(stamps)) != len(stamps):
        return None
    return {pts: place for place, pts in enumerate(sorted(stamps))}


def _frames(
    container: Any, stream: Any, every: int, places: dict[int, int] | None
) -> Iterator[tuple[int, Any]]:
    """``(index, frame)`` in showing order: with ``places`` (:func:`_places`), every ``every``-th frame and those
    other frames need (the codec's reference frames, as the decoder tells them: non-reference frames that are not
    searched are never decoded, about half of a phone's H.264), each at its place; without, every frame.

    Raises :class:`_Unplaced` when a decoded frame's timestamp is not a packet's, comes out of order, or a frame to
    search never came out: the places would not be the indices the copy is painted by, so the caller decodes
    every frame instead."""
    if places is None:
        yield from enumerate(container.decode(stream))
        return
    wanted = {pts for pts, place in places.items() if place % every == 0}
    context = stream.codec_context
    last = -1
    seen = 0
    for packet in container.demux(stream):
        # Read by the decoder with each packet it is sent (also by its frame threads): skip a frame no one needs.
        context.skip_frame = "DEFAULT" if packet.pts is None or packet.pts in wanted else "NONREF"
        for frame in packet.decode():
            place = places.get(frame.pts) if frame.pts is not None else None
            if place is None or place <= last:
                raise _Unplaced()
            last = place
            seen += place % every == 0
            yield place, frame
    if seen != len(wanted):
        raise _Unplaced()


def propose_local(
    path: str,
    *,
    kind: str,
    max_pixels: int = Limits.max_pixels,
    max_seconds: float = Limits.max_seconds,
    stride: int | None = None,
    threshold: float | None = None,
    work_side: int | None = None,
    text_seconds: float = VIDEO_TEXT_SECONDS,
    close_look: bool = True,
    text_follow: bool = True,
    skip_unsearched: bool = True,
) -> Proposal:
    """:func:`propose` in this process (no sandbox): only for the child, tests and benchmarks.

    ``close_look=False`` searches each detection frame once at the work size, nothing more; ``text_follow=False``
    looks for writing only every ``text_seconds``, whole; ``skip_unsearched=False`` decodes every frame, also those
    no other frame needs (all three for comparison)."""
    if threshold is None:
        threshold = detect.FACE_THRESHOLD if kind == "image" else detect.VIDEO_FACE_THRESHOLD
    detectors: dict[str, dict[str, Any]] = {"face": {"model": detect.MODEL_NAME, "threshold": threshold}}
    if kind == "image":
        rgb = open_image(path, max_pixels)
        faces = detect.detect_image(rgb, threshold=threshold)
        height, width = rgb.shape[:2]
        tracks = [
            Track(id=f"f{i}", label="face", boxes=[Box(0, *(float(v) for v in row))])
            for i, row in enumerate(faces, start=1)
        ]
        from amparo.media.redact import text

        writing, capped = text.strongest(text.detect_text(rgb))
        tracks += [
            Track(id=f"t{i}", label="text", boxes=[Box(0, *(float(v) for v in row))])
            for i, row in enumerate(writing, start=1)
        ]
        detectors["face"]["passes"] = list(detect.IMAGE_PASSES)
        detectors["text"] = {
            "model": text.MODEL_NAME,
            "threshold": text.PIXEL_THRESHOLD,
            "stills_only": True,
            "max_boxes": text.MAX_BOXES,
        }
        return Proposal("image", width, height, 0.0, 1, tracks, 1, detectors, text_capped=int(capped))
    import av

    try:
        container, stream = _open_video(path, max_pixels)
    except av.FFmpegError as exc:
        raise TaskFailed("corrupt", str(exc)[:200]) from exc
    try:
        fps = _rate(stream)
        every = stride or max(1, round(fps / DETECTIONS_PER_SECOND))
        has_audio = bool(container.streams.audio)
        places = _places(path, max_seconds) if skip_unsearched else None

        def search_all(places: dict[int, int] | None) -> tuple[_VideoSearch, int, tuple[int, int]]:
            search: _VideoSearch | None = None
            index = -1
            size: tuple[int, int] | None = None
            start: float | None = None
            for index, frame in _frames(container, stream, every, places):
                if size is None:
                    size = (frame.width, frame.height)
                    text_every = round(text_seconds * fps / every) if text_seconds else 0
                    search = _VideoSearch(
                        size,
                        _turns(frame),
                        work_side or VIDEO_WORK_SIDE,
                        threshold,
                        max(1, text_every) if text_seconds else 0,
                        close_look,
                        text_follow,
                        every=every,
                    )
                elif (frame.width, frame.height) != size:
                    raise TaskFailed("corrupt", "the frame size changes inside the video")
                stamp = frame.time or 0.0
                start = stamp if start is None else start
                if stamp - start > max_seconds:
                    raise TaskFailed("too_long", f"longer than {max_seconds:.0f} seconds")
                if index % every == 0:
                    assert search is not None
                    search.round(index, frame)
            if size is None or search is None:
                raise TaskFailed("no_video", "no frame could be decoded")
            return search, (len(places) if places is not None else index + 1), size

        try:
            search, frames, size = search_all(places)
        except _Unplaced:  # the decoder's frames did not match the packets' timestamps: decode every frame
            container.close()
            container, stream = _open_video(path, max_pixels)
            search, frames, size = search_all(None)
    except av.FFmpegError as exc:
        raise TaskFailed("corrupt", str(exc)[:200]) from exc
    finally:
        container.close()
    width, height = (size[1], size[0]) if search.turns % 2 else size
    tracks = search.linker.tracks(stride=every, frames=frames, width=width, height=height)
    if close_look:
        tracks = grow_small(tracks, GROW_BELOW / search.base, GROW_UP_TO)
    if search.text_every:
        from amparo.media.redact import text

        tracks += search.writing.tracks(
            stride=every if text_follow else every * search.text_every,
            frames=frames,
            width=width,
            height=height,
            label="text",
            prefix="t",
        )
        detectors["text"] = {
            "model": text.MODEL_NAME,
            "threshold": text.PIXEL_THRESHOLD,
            "every_s": round(every * search.text_every / fps, 3),
            "max_side": round(max(size) * search.text_factor),
            "follow_every_s": round(every / fps, 3) if text_follow else None,
            "max_boxes": text.MAX_BOXES,
        }
    detectors["face"]["video_work_side"] = work_side or VIDEO_WORK_SIDE
    if close_look:
        detectors["face"]["close_look"] = {
            "zoom": CLOSE_ZOOM,
            "threshold": detect.VIDEO_CLOSE_THRESHOLD,
            "whole_frame_every": WIDE_EVERY,
        }
    return Proposal(
        "video",
        width,
        height,
        round(fps, 3),
        frames,
        tracks,
        every,
        detectors,
        has_audio,
        text_capped=search.text_capped,
    )


class _VideoSearch:
    """One detection round at a time: the whole frame at the work size (every :data:`WIDE_EVERY`-th round at the
    close zoom instead), a closer look around every small face a track expects, and, for a small face first seen
    now, a look back at the last rounds' frames for where it already was. Boxes in the upright frame's pixels."""

    def __init__(
        self,
        size: tuple[int, int],
        turns: int,
        work_side: int,
        threshold: float,
        text_every: int = 0,
        close_look: bool = True,
        text_follow: bool = True,
        *,
        every: int = 1,
    ) -> None:
        self.turns = turns
        self.every = every  # frames between detection rounds
        self.close_look = close_look  # False: one pass a round at the work size, as before (for comparison)
        self.text_every = text_every  # rounds between whole looks for writing; 0: none
        self.text_follow = text_follow  # False: writing only at the whole looks (for comparison)
        self.writing = Linker()
        self.text_capped = 0  # rounds whose writing was cut to the text.MAX_BOXES strongest
        self.threshold = threshold
        self.base = min(VIDEO_MAX_ENLARGE, work_side / max(size))  # work pixels per frame pixel
        self.zoom = self.base * CLOSE_ZOOM
        self.text_factor = min(1.0, VIDEO_TEXT_SIDE / max(size))
        self.sizes = {
            factor: (max(2, round(size[0] * factor)), max(2, round(size[1] * factor)))
            for factor in (self.base, self.zoom, self.text_factor)
        }
        self.sizes[1.0] = size
        self.greys: dict[int, np.ndarray] = {}  # frame index: the frame in grey at the text scale
        self.linker = Linker()
        self.rounds = 0
        self.faces = np.zeros((0, 5), dtype=np.float32)  # the faces found in this round
        self.recent: deque[tuple[int, Any]] = deque(maxlen=LOOK_BACK)
        self.small = SMALL_FACE / self.base  # frame pixels
        # id of this round's and the recent rounds' frames: the frame (held, so the id stays its own), by scale
        self.scaled: dict[int, tuple[Any, dict[tuple[float | None, str | None], np.ndarray]]] = {}

    def _rgb(self, frame: Any, factor: float | None = None, scaling: str | None = SCALING) -> np.ndarray:
        """The frame upright in RGB at ``factor`` of its size (None: its own) through libswscale's ``scaling``
        filter, made once per scale while the frame is this round's or a recent one (a look back or a closer look
        may want a scale made before)."""
        made = self.scaled.setdefault(id(frame), (frame, {}))[1]
        if (factor, scaling) not in made:
            if factor is None:
                rgb = frame.to_ndarray(format="rgb24")
            else:
                w, h = self.sizes[factor]
                rgb = frame.reformat(width=w, height=h, format="rgb24", interpolation=scaling).to_ndarray()
            made[factor, scaling] = np.ascontiguousarray(np.rot90(rgb, self.turns)) if self.turns else rgb
        return made[factor, scaling]

    def _near(self, box: Box, reach: float) -> tuple[float, float, float, float]:
        grow = reach * max(box.w, box.h)
        return (box.x - grow, box.y - grow, box.x + box.w + grow, box.y + box.h + grow)

    def _close(self, zoomed: np.ndarray, box: Box, reach: float) -> np.ndarray:
        """Faces near ``box`` (frame pixels) in the frame scaled to the close zoom, in frame pixels."""
        near = [v * self.zoom for v in self._near(box, reach)]
        found = detect.detect_region(
            zoomed,
            (near[0], near[1], near[2], near[3]),
            1.0,
            threshold=detect.VIDEO_CLOSE_THRESHOLD,
            threads=VIDEO_THREADS,
        )
        found[:, :4] /= self.zoom
        return found

    def round(self, index: int, frame: Any) -> None:
        wide = self.close_look and self.rounds % WIDE_EVERY == 0
        factor = self.zoom if wide else self.base
        small = [b for b in self.linker.expected(index) if max(b.w, b.h) < self.small and self.close_look]
        low = min(self.threshold, detect.VIDEO_CLOSE_THRESHOLD) if small and wide else self.threshold
        found = detect.detect(self._rgb(frame, factor), threshold=low, threads=VIDEO_THREADS)
        found[:, :4] /= factor
        if small and wide:  # the wide pass already looked closely: keep its weaker answers near small faces
            keep = found[:, 4] > self.threshold
            cx, cy = found[:, 0] + found[:, 2] / 2, found[:, 1] + found[:, 3] / 2
            for b in small:
                x0, y0, x1, y1 = self._near(b, CLOSE_REACH)
                keep |= (cx >= x0) & (cx <= x1) & (cy >= y0) & (cy <= y1)
            found = found[keep]
        elif small:
            small = [b for b in small if not seen_again(b, found)]  # found again: no closer look needed
            if small:
                rgb = self._rgb(frame, self.zoom)
                found = detect.nms(
                    np.concatenate([found, *(self._close(rgb, b, CLOSE_REACH) for b in small)])
                )
        self.linker.add(index, found)
        self.faces = found
        if self.rounds and self.close_look:
            self._look_back()
        if self.text_every:
            self._writing(index, frame)
        self.recent.append((index, frame))
        kept = {id(f) for _i, f in self.recent}
        self.scaled = {key: value for key, value in self.scaled.items() if key in kept}
        self.rounds += 1

    def _grey(self, frame: Any) -> np.ndarray:
        w, h = self.sizes[self.text_factor]
        grey = frame.reformat(width=w, height=h, format="gray").to_ndarray()
        return np.ascontiguousarray(np.rot90(grey, self.turns)).astype(np.float32)

    def _writing(self, index: int, frame: Any) -> None:
        """A whole look for writing every ``text_every`` rounds; between, each known piece of writing followed by
        matching its picture (:func:`track.match`); writing first seen, followed back the same way."""
        from amparo.media.redact import text

        whole = self.rounds % self.text_every == 0
        if not whole and not self.text_follow:
            return
        grey = self._grey(frame) if self.text_follow else None
        if whole:
            # Through libswscale's default (bilinear) filter: the area filter keeps more of a phone's grain,
            # which the text network reads as writing in its hundreds on a busy background.
            rgb = self._rgb(frame, self.text_factor, TEXT_SCALING)
            signs = text.detect_text(rgb, min_side=0, threads=VIDEO_THREADS)
            signs[:, :4] /= self.text_factor
        else:
            assert grey is not None
            rows = []
            pieces = list(zip(self.writing.last(), self.writing.expected(index), strict=True))
            if len(pieces) > text.MAX_BOXES:  # follow the strongest only: each match costs a few milliseconds
                self.text_capped += 1
                pieces = sorted(pieces, key=lambda piece: -piece[0].score)[: text.MAX_BOXES]
            for last, guess in pieces:
                if last.frame in self.greys:
                    score, moved = self._match(last, grey, guess)
                    if score >= TEXT_MATCH:
                        rows.append([moved.x, moved.y, moved.w, moved.h, last.score])
            signs = np.asarray(rows, dtype=np.float32).reshape(-1, 5)
        if len(signs) and len(self.faces):  # writing on a face (or read into one) is hidden with the face
            grown = self.faces.copy()
            pad = paint.MARGIN * np.maximum(grown[:, 2], grown[:, 3])
            grown[:, 0] -= pad
            grown[:, 1] -= pad
            grown[:, 2] += 2 * pad
            grown[:, 3] += 2 * pad
            signs = signs[~within(signs, grown, TEXT_IN_FACE)]
        signs, capped = text.strongest(signs)
        self.text_capped += capped
        self.writing.add(index, signs)
        if grey is None:
            return
        if whole:
            self._text_back(index, grey)
        self.greys[index] = grey
        for old in [k for k in self.greys if k < index - (MAX_MISSES + 1) * self.every]:
            del self.greys[old]

    def _match(self, last: Box, grey: np.ndarray, guess: Box) -> tuple[float, Box]:
        rounds = min(2.0, max(1.0, (guess.frame - last.frame) / self.every))
        reach = TEXT_FOLLOW_REACH * rounds * max(self.sizes[1.0])
        return match(self.greys[last.frame], last, grey, guess, reach, self.text_factor)

    def _text_back(self, index: int, grey: np.ndarray) -> None:
        """Follow each piece of writing first seen now back through the last rounds' frames."""
        for number, first in enumerate(self.writing.born()):
            box, picture = first, grey
            for earlier_index in sorted((k for k in self.greys if k < index), reverse=True)[:LOOK_BACK]:
                score, earlier = match(
                    picture,
                    box,
                    self.greys[earlier_index],
                    box._replace(frame=earlier_index),
                    TEXT_FOLLOW_REACH * max(self.sizes[1.0]),
                    self.text_factor,
                )
                if score < TEXT_MATCH:
                    break
                self.writing.prepend(number, earlier)
                box, picture = earlier, self.greys[earlier_index]

    def _look_back(self) -> None:
        """Follow each small face first seen now back through the last rounds' frames, closely."""
        pictures: dict[int, np.ndarray] = {}
        for number, first in enumerate(self.linker.born()):
            if max(first.w, first.h) >= self.small:
                continue
            box = first
            for index, frame in reversed(self.recent):
                if index not in pictures:
                    pictures[index] = self._rgb(frame, self.zoom)
                earlier = continuation(
                    box._replace(frame=index), self._close(pictures[index], box, BACK_REACH)
                )
                if earlier is None:
                    break
                self.linker.prepend(number, earlier)
                box = earlier


def _encode_image(rgb: np.ndarray, fmt: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    picture = Image.fromarray(rgb, "RGB")  # a new image: nothing of the original's info dict comes along
    if fmt == "jpeg":
        picture.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        picture.save(out, format="PNG")
    return out.getvalue()


def render_local(
    path: str,
    tracks: list[Track],
    *,
    kind: str,
    style: str,
    fmt: str,
    margin: float = paint.MARGIN,
    max_pixels: int = Limits.max_pixels,
    max_seconds: float = Limits.max_seconds,
) -> tuple[bytes, dict[str, Any]]:
    """The redacted copy's bytes and facts (no sandbox): only for the child, tests and benchmarks."""
    if kind == "image":
        rgb = open_image(path, max_pixels)
        painted = paint.redact_rgb(rgb, [b for t in tracks if (b := t.at(0)) is not None], style, margin)
        height, width = rgb.shape[:2]
        info = {
            "format": fmt,
            "width": width,
            "height": height,
            "frames": 1,
            "fps": 0.0,
            "style": style,
            "regions": painted,
            "audio_dropped": False,
        }
        return _encode_image(rgb, fmt), info
    return _render_video(
        path, tracks, style=style, margin=margin, max_pixels=max_pixels, max_seconds=max_seconds
    )


def _pack(planes: list[np.ndarray]) -> np.ndarray:
    height, width = planes[0].shape
    return np.concatenate([p.reshape(-1) for p in planes]).reshape(height * 3 // 2, width)


def _render_video(
    path: str, tracks: list[Track], *, style: str, margin: float, max_pixels: int, max_seconds: float
) -> tuple[bytes, dict[str, Any]]:
    import av

    out = io.BytesIO()
    painted = 0
    try:
        container, stream = _open_video(path, max_pixels)
    except av.FFmpegError as exc:
        raise TaskFailed("corrupt", str(exc)[:200]) from exc
    try:
        fps = _rate(stream)
        has_audio = bool(container.streams.audio)
        with av.open(out, mode="w", format="mp4") as dst:
            video: Any = None
            size: tuple[int, int] | None = None
            even: tuple[int, int] = (0, 0)
            shown: tuple[int, int] = (0, 0)
            turns = 0
            first_pts: int | None = None
            last_pts = -1
            index = -1
            for index, frame in enumerate(container.decode(stream)):
                if size is None:
                    size = (frame.width, frame.height)
                    even = (size[0] // 2 * 2, size[1] // 2 * 2)
                    turns = _turns(frame)
                    shown = (even[1], even[0]) if turns % 2 else even
                    video = dst.add_stream("libx264", rate=Fraction(stream.average_rate or 30))
                    video.width, video.height = shown
                    video.pix_fmt = "yuv420p"
                    video.codec_context.time_base = stream.time_base
                    video.options = {"preset": PRESET, "crf": str(CRF)}
                elif (frame.width, frame.height) != size:
                    raise TaskFailed("corrupt", "the frame size changes inside the video")
                pts = frame.pts if frame.pts is not None else index
                first_pts = pts if first_pts is None else first_pts
                if (pts - first_pts) * float(stream.time_base or 0) > max_seconds:
                    raise TaskFailed("too_long", f"longer than {max_seconds:.0f} seconds")
                if frame.format.name != "yuv420p" or (frame.width, frame.height) != even:
                    frame = frame.reformat(width=even[0], height=even[1], format="yuv420p")
                boxes = [b for t in tracks if (b := t.at(index)) is not None]
                fresh = frame  # nothing to hide and nothing to turn: the decoded pixels go to the encoder as they are
                if boxes or turns:
                    array = frame.to_ndarray()  # a copy of the planes, safe to paint on
                    if turns:
                        array = _pack(
                            [np.rot90(p, turns) for p in paint.split_yuv420(array, even[0], even[1])]
                        )
                    planes = paint.split_yuv420(array, shown[0], shown[1])
                    painted += paint.redact_yuv420(planes, boxes, style, margin)
                    fresh = av.VideoFrame.from_ndarray(array, format="yuv420p")
                new_pts = pts - first_pts
                if new_pts <= last_pts:  # the muxer needs rising timestamps
                    new_pts = last_pts + 1
                last_pts = new_pts
                fresh.pts = new_pts
                fresh.time_base = stream.time_base
                dst.mux(video.encode(fresh))
            if video is None:
                raise TaskFailed("no_video", "no frame could be decoded")
            dst.mux(video.encode(None))
            width, height = video.width, video.height
    except av.FFmpegError as exc:
        raise TaskFailed("corrupt", str(exc)[:200]) from exc
    finally:
        container.close()
    info = {
        "format": "mp4",
        "width": width,
        "height": height,
        "frames": index + 1,
        "fps": round(fps, 3),
        "style": style,
        "regions": painted,
        "audio_dropped": has_audio,
    }
    return out.getvalue(), info


def _propose_task(args: dict[str, Any]) -> dict[str, Any]:
    proposal = propose_local(
        args["path"],
        kind=args["kind"],
        max_pixels=int(args["max_pixels"]),
        max_seconds=float(args["max_seconds"]),
        stride=args.get("stride"),
        work_side=args.get("work_side"),
        text_seconds=float(args.get("text_seconds") or 0.0),
    )
    return proposal.to_dict()


def _render_task(args: dict[str, Any]) -> dict[str, Any]:
    try:
        tracks = [Track.from_dict(t) for t in args["tracks"]]
    except ValueError as exc:
        raise TaskFailed("bad_tracks", str(exc)) from exc
    data, info = render_local(
        args["path"],
        tracks,
        kind=args["kind"],
        style=args["style"],
        fmt=args["format"],
        margin=float(args["margin"]),
        max_pixels=int(args["max_pixels"]),
        max_seconds=float(args["max_seconds"]),
    )
    return {**info, "data": base64.b64encode(data).decode("ascii")}


__all__ = ["Limits", "MediaError", "propose", "propose_local", "render", "render_local"]
