"""Video fingerprints in the vPDQ style, and how much of two videos is the same footage.

vPDQ (Meta, ThreatExchange ``vpdq/README.md``): sample a frame every second, PDQ-hash each, and compare two
videos as bags of frame hashes. The query-matched percentage is the share of the query's (good-quality, distinct)
frames that have a frame within ``distance`` in the target; the target-matched percentage is the same the other
way round. A clip cut from a longer video scores 100 % on its own side and less on the other.

Three additions for phone footage: frames are turned upright by the stream's display matrix (phones store
portrait video sideways; re-uploads bake the rotation in), black letterbox/pillarbox bars are cut off each
sampled frame before hashing (re-uploads often add them), and each frame is also hashed mirrored (free: one
DCT gives all flips), so a mirrored copy matches too. Frames are decoded once each (they must be, to decode the next), but only the sampled
ones are converted, scaled down to at most :data:`WORK_SIDE` pixels, in luminance only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from amparo.media import pdq, sandbox

WORK_SIDE = 512  # sampled frames are scaled so their longer side is at most this before hashing
BORDER_LUMA = 32  # a row/column is border if its mean luminance is below this ...
BORDER_SPREAD = 12  # ... and its standard deviation below this
MIN_KEEP = 0.4  # never cut away more than 60 % of a side: a dark scene is not a border


class FrameTooLarge(ValueError):
    """The video's frames are larger than the caller's pixel limit."""


@dataclass
class VideoFingerprint:
    """``frames``: ``[(second, bits, quality)]`` one per sampled second; ``mirrored``: the mirrored frame hashes."""

    frames: list[tuple[float, bytes, int]]
    duration: float
    mirrored: list[bytes] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "duration": self.duration,
            "frames": [[t, bits.hex(), q] for t, bits, q in self.frames],
            "mirrored": [bits.hex() for bits in self.mirrored],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VideoFingerprint:
        return cls(
            frames=[(float(t), bytes.fromhex(h), int(q)) for t, h, q in data["frames"]],
            duration=float(data["duration"]),
            mirrored=[bytes.fromhex(h) for h in data.get("mirrored", [])],
        )

    def codes(self, *, quality_min: int = 0) -> np.ndarray:
        """The frame hashes of at least ``quality_min`` as an ``(n, 32)`` array for :class:`BinaryIndex`."""
        return pdq.to_array([bits for _t, bits, q in self.frames if q >= quality_min])


@dataclass
class MatchResult:
    """How two fingerprints overlap; ``pairs`` are ``(query_second, target_second, distance)`` for the UI."""

    query_matched_pct: float
    target_matched_pct: float
    pairs: list[tuple[float, float, int]]
    mirrored: bool = False  # the query matched as a mirror image of the target

    def is_match(self, *, target_pct: float = 80.0, query_pct: float = 0.0) -> bool:
        """vPDQ's decision with thresholds P_c (target) and P_q (query)."""
        return self.target_matched_pct >= target_pct and self.query_matched_pct >= query_pct


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


def _work_size(width: int, height: int) -> tuple[int, int]:
    scale = min(1.0, WORK_SIDE / max(width, height, 1))
    return max(16, round(width * scale)) & ~1, max(16, round(height * scale)) & ~1


def fingerprint_video(
    path: str | os.PathLike[str],
    *,
    interval_s: float = 1.0,
    max_seconds: float | None = None,
    max_pixels: int | None = None,
    threads: bool = True,
) -> VideoFingerprint:
    """Fingerprint the first video stream: one frame per ``interval_s`` seconds, borders cut, PDQ + mirror.

    Raises PyAV's errors for unreadable files: probe first (``probe()`` runs decoders in a sandbox), and run
    this in a worker with its own limits, or use :func:`fingerprint_video_sandboxed`. ``max_seconds`` stops
    after that much video; frames larger than ``max_pixels`` raise :class:`FrameTooLarge` before decoding.
    """
    import av  # heavy; loaded only when video is fingerprinted

    frames: list[tuple[float, bytes, int]] = []
    mirrored: list[bytes] = []
    with av.open(os.fspath(path), mode="r") as container:
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
            gray = frame.reformat(width=size[0], height=size[1], format="gray").to_ndarray()
            turns = round(frame.rotation / 90) % 4 if frame.rotation else 0
            if turns:  # phones store portrait video sideways plus a display matrix: hash what viewers see
                gray = np.rot90(gray, turns)
            hashes = pdq.gray_hashes(strip_borders(gray))
            bits, quality = hashes[0]
            frames.append((round(when, 3), bits, quality))
            mirrored.append(hashes[pdq.MIRROR][0])
        duration = _duration(container, stream, last_time + 1 / rate)
    return VideoFingerprint(frames=frames, duration=duration, mirrored=mirrored)


def _duration(container: Any, stream: Any, fallback: float) -> float:
    if stream.duration and stream.time_base:
        return round(float(stream.duration * stream.time_base), 3)
    if container.duration:
        return round(container.duration / 1_000_000, 3)
    return round(fallback, 3)


def _side(
    codes: np.ndarray, times: list[float], qualities: list[int], quality_min: int
) -> tuple[np.ndarray, list[float]]:
    """Distinct hashes of at least ``quality_min`` (vPDQ compares sets), with the first time each was seen."""
    keep: dict[bytes, float] = {}
    for row, when, quality in zip(codes, times, qualities, strict=True):
        if quality >= quality_min:
            keep.setdefault(row.tobytes(), when)
    return pdq.to_array(list(keep)), list(keep.values())


def _compare(
    query: np.ndarray, q_times: list[float], target: np.ndarray, t_times: list[float], distance: int
) -> MatchResult:
    if len(query) == 0 or len(target) == 0:
        return MatchResult(0.0, 0.0, [])
    dist = pdq.distance_matrix(query, target)
    within = dist <= distance
    q_pct = 100.0 * within.any(axis=1).sum() / len(query)
    t_pct = 100.0 * within.any(axis=0).sum() / len(target)
    best = dist.argmin(axis=1)
    pairs = [
        (q_times[i], t_times[int(best[i])], int(dist[i, best[i]]))
        for i in range(len(query))
        if dist[i, best[i]] <= distance
    ]
    return MatchResult(round(float(q_pct), 2), round(float(t_pct), 2), pairs)


def match_videos(
    a: VideoFingerprint, b: VideoFingerprint, *, distance: int = pdq.MATCH_DISTANCE, quality_min: int = 50
) -> MatchResult:
    """Compare query ``a`` with target ``b`` as vPDQ does, also trying ``a`` mirrored; the better one wins."""
    q_times = [t for t, _bits, _q in a.frames]
    q_quality = [q for _t, _bits, q in a.frames]
    target, t_times = _side(
        pdq.to_array([bits for _t, bits, _q in b.frames]),
        [t for t, _bits, _q in b.frames],
        [q for _t, _bits, q in b.frames],
        quality_min,
    )
    plain_q, plain_times = _side(
        pdq.to_array([bits for _t, bits, _q in a.frames]), q_times, q_quality, quality_min
    )
    result = _compare(plain_q, plain_times, target, t_times, distance)
    if len(a.mirrored) == len(a.frames) and a.mirrored:
        mirror_q, mirror_times = _side(pdq.to_array(a.mirrored), q_times, q_quality, quality_min)
        flipped = _compare(mirror_q, mirror_times, target, t_times, distance)
        score = result.query_matched_pct + result.target_matched_pct
        if flipped.query_matched_pct + flipped.target_matched_pct > score:
            flipped.mirrored = True
            result = flipped
    return result


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
