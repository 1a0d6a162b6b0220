"""Which seconds of two videos are the same footage: every hash of a sample (whole picture and regions) against
every hash of the other's samples, then the matched samples chained into runs that advance together in time.

Split from :mod:`amparo.media.video` (which makes the fingerprints and re-exports these names), so the decision rule
can change without touching the fingerprints (the footage bench keeps fingerprints by a digest of ``video.py``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from amparo.media import pdq

if TYPE_CHECKING:
    from amparo.media.video import VideoFingerprint

MIN_SHARED_S = 3.0  # this many seconds lined up in time make two videos the same footage
MIN_SAMPLES = 4  # ... with at least this many matched samples
STATIC_BITS = 32  # a lined-up run whose frames all stay within this many bits of each other is a still shot:
# its timing proves nothing (the same place at another time looks the same), so it does not count
# A lined-up run is the same footage only when it is *timed* (third round; see _timed):
OFF_LINE_S = 1.5  # its samples are compared with the other side's this far or more off its line, and match
STRONG_SPECIFICITY = 28.0  # better on it by this many bits (median; see _specificity), or by
MIN_SPECIFICITY = 2.0  # this many when the run is also this long ...
LONG_RUN_S = 4.0
FITTED_SPEED = (0.85, 1.18)  # ... and its matched samples advance at a speed (least squares) within this


@dataclass(frozen=True)
class Segment:
    """A run of query seconds that show the same footage as target seconds, along one steady line in time."""

    query_start: float
    query_end: float
    target_start: float
    target_end: float
    samples: int = 0  # matched samples along the run
    specificity: float = 0.0  # how much better it matches on its line than off it (see _specificity)
    fitted_speed: float = 1.0  # the speed its matched samples advance at (see _fitted_speed)

    @property
    def seconds(self) -> float:
        return self.query_end - self.query_start

    def to_dict(self) -> dict[str, Any]:
        return {
            "query_start": self.query_start,
            "query_end": self.query_end,
            "target_start": self.target_start,
            "target_end": self.target_end,
            "samples": self.samples,
            "specificity": self.specificity,
            "fitted_speed": self.fitted_speed,
        }


@dataclass
class MatchResult:
    """How two fingerprints overlap. ``pairs`` are ``(query_second, target_second, distance)`` (along the segments
    when there are any), ``segments`` the lined-up runs, longest first."""

    query_matched_pct: float
    target_matched_pct: float
    pairs: list[tuple[float, float, int]]
    mirrored: bool = False  # the query matched as a mirror image of the target
    segments: list[Segment] = field(default_factory=list)

    def is_match(self, *, target_pct: float = 80.0, query_pct: float = 0.0) -> bool:
        """vPDQ's decision by shares of frames, with thresholds P_c (target) and P_q (query)."""
        return self.target_matched_pct >= target_pct and self.query_matched_pct >= query_pct

    @property
    def shared_seconds(self) -> float:
        return sum(s.seconds for s in self.segments)

    @property
    def same_footage(self) -> bool:
        """Amparo's decision: a lined-up shared run of :data:`MIN_SHARED_S` seconds, or (clips too short for that)
        nearly every sample of both matching."""
        if self.segments:
            return True
        return len(self.pairs) >= 2 and min(self.query_matched_pct, self.target_matched_pct) >= 80.0


# ---- matching ---------------------------------------------------------------------------------------------------


def _bag(
    rows: list[tuple[float, bytes, int]], quality_min: int, slot: dict[float, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of at least ``quality_min`` and the sample (``slot`` of its second) each belongs to."""
    kept = [(t, bits) for t, bits, q in rows if q >= quality_min]
    codes = pdq.to_array([bits for _t, bits in kept])
    return codes, np.array([slot[t] for t, _bits in kept], dtype=np.int64)


def _slots(
    groups: list[list[tuple[float, bytes, int]]], quality_min: int
) -> tuple[list[float], dict[float, int]]:
    times = sorted({t for rows in groups for t, _bits, q in rows if q >= quality_min})
    return times, {t: i for i, t in enumerate(times)}


def _close_pairs(
    query: np.ndarray,
    q_slot: np.ndarray,
    target: np.ndarray,
    t_slot: np.ndarray,
    n_target: int,
    distance: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Keys ``query sample * n_target + target sample`` of hash pairs within ``distance``, and their distances."""
    keys: list[np.ndarray] = []
    dists: list[np.ndarray] = []
    if len(query) and len(target):
        step = max(1, 2_000_000 // len(target))  # bounds the (step, n) distances distance_matrix makes
        for lo in range(0, len(query), step):
            dist = pdq.distance_matrix(query[lo : lo + step], target)
            i, j = np.nonzero(dist <= distance)
            keys.append(q_slot[lo + i] * n_target + t_slot[j])
            dists.append(dist[i, j])
    if not keys:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(keys), np.concatenate(dists).astype(np.int64)


def _closest(
    keys: list[np.ndarray], dists: list[np.ndarray], n_target: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(query sample, target sample, smallest distance)`` of each sample pair among the keys."""
    if not keys:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    key, d = np.concatenate(keys), np.concatenate(dists)
    order = np.lexsort((d, key))
    key, d = key[order], d[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    key, d = key[first], d[first]
    return key // n_target, key % n_target, d.astype(np.int64)


Rows = list[tuple[float, bytes, int]]


def _compare(
    groups: list[tuple[Rows, Rows]],
    t_whole: dict[float, bytes],
    distance: int,
    quality_min: int,
    rule: str = "timed",
) -> MatchResult:
    """Each group's query rows against its target rows, lined up in time together."""
    q_times, q_slot_of = _slots([q for q, _t in groups], quality_min)
    t_times, t_slot_of = _slots([t for _q, t in groups], quality_min)
    if not q_times or not t_times:
        return MatchResult(0.0, 0.0, [])
    keys: list[np.ndarray] = []
    dists: list[np.ndarray] = []
    for q_rows, t_rows in groups:
        q_codes, q_slot = _bag(q_rows, quality_min, q_slot_of)
        t_codes, t_slot = _bag(t_rows, quality_min, t_slot_of)
        key, dist = _close_pairs(q_codes, q_slot, t_codes, t_slot, len(t_times), distance)
        keys.append(key)
        dists.append(dist)
    qs, ts, ds = _closest(keys, dists, len(t_times))
    q_pct = 100.0 * len(np.unique(qs)) / len(q_times)
    t_pct = 100.0 * len(np.unique(ts)) / len(t_times)
    # Up to six closest target samples per query sample go to the alignment (a still moment has several).
    candidates: list[tuple[float, float, int]] = []
    best: dict[int, tuple[int, int]] = {}
    order = np.lexsort((ds, qs))
    taken: dict[int, int] = {}
    for k in order.tolist():
        qi, ti, d = int(qs[k]), int(ts[k]), int(ds[k])
        if taken.get(qi, 0) >= 6:
            continue
        taken[qi] = taken.get(qi, 0) + 1
        best.setdefault(qi, (ti, d))
        candidates.append((q_times[qi], t_times[ti], d))
    segments = [s for s in aligned_segments(candidates) if _moving(s, candidates, t_whole)]
    if segments:
        segments = [
            dataclasses.replace(
                s,
                specificity=_specificity(s, groups, quality_min),
                fitted_speed=_fitted_speed(s, candidates),
            )
            for s in segments
        ]
        if rule == "timed":
            segments = [s for s in segments if _timed(s)]
    if segments:
        pairs = [p for p in candidates if any(_on(s, p) for s in segments)]
        pairs = _one_per_query(pairs)
    else:
        pairs = [(q_times[qi], t_times[ti], d) for qi, (ti, d) in sorted(best.items())]
    return MatchResult(round(q_pct, 2), round(t_pct, 2), pairs, segments=segments)


def _specificity(segment: Segment, groups: list[tuple[Rows, Rows]], quality_min: int) -> float:
    """How much better the run's query samples match the target *at the run's time* than anywhere else: per query
    sample and kind of hash (each group), the smallest distance to target samples :data:`OFF_LINE_S` or more off the
    run's line minus the smallest on it (within 0.75 s); per sample the best kind; the median over the run.

    A copy of the footage shows the same moment: its samples match the source's at one time and far worse a
    second and a half away, where the camera, the people and the cars have moved on. A second camera path over the
    same place lines up for a few seconds because its view looks alike over a stretch of time, with other people
    in it: its samples match it about as well (20-30 bits) off the line as on it."""
    span = segment.query_end - segment.query_start
    speed = (segment.target_end - segment.target_start) / span if span else 1.0
    gains: dict[float, float] = {}
    for q_rows, t_rows in groups:
        q_kept = [(t, b) for t, b, q in q_rows if q >= quality_min and _within(segment, t)]
        t_kept = [(t, b) for t, b, q in t_rows if q >= quality_min]
        if not q_kept or not t_kept:
            continue
        dist = pdq.distance_matrix(
            pdq.to_array([b for _t, b in q_kept]), pdq.to_array([b for _t, b in t_kept])
        )
        q_t = np.array([t for t, _b in q_kept])
        t_t = np.array([t for t, _b in t_kept])
        off = np.abs(t_t[None, :] - (segment.target_start + (q_t[:, None] - segment.query_start) * speed))
        for moment in np.unique(q_t).tolist():
            mine = q_t == moment
            rows = dist[mine]
            on = rows[:, off[mine][0] <= 0.75]
            away = rows[:, off[mine][0] >= OFF_LINE_S]
            if not on.size or not away.size:
                continue
            gain = float(int(away.min()) - int(on.min()))
            gains[moment] = max(gains.get(moment, gain), gain)
    return float(np.median(list(gains.values()))) if gains else 0.0


def _fitted_speed(segment: Segment, candidates: list[tuple[float, float, int]]) -> float:
    """The speed at which the run's matched samples advance (least squares, the closest pair per query sample)."""
    points = _one_per_query([p for p in candidates if _on(segment, p)])
    if len(points) < 2:
        return 1.0
    speed, _offset = np.polyfit([q for q, _t, _d in points], [t for _q, t, _d in points], 1)
    return round(float(speed), 3)


def _timed(segment: Segment) -> bool:
    """Whether a lined-up run is timed like a copy: its samples match far better at its time than off it
    (:func:`_specificity` at least :data:`STRONG_SPECIFICITY`); or at least a little better
    (:data:`MIN_SPECIFICITY`) over a run of :data:`LONG_RUN_S` or more whose samples advance at a speed a copy is
    played at (:data:`FITTED_SPEED`: a second camera path that looks alike for a while drifts, 0.66-0.73x or 1.33x
    on the studied split). The speed is not asked of a strongly timed run (the fit is rough over a short one), and
    a short run must be strongly timed (a same-place run of 3 s at 1.03x had 22 bits)."""
    if segment.specificity >= STRONG_SPECIFICITY:
        return True
    low, high = FITTED_SPEED
    return (
        segment.specificity >= MIN_SPECIFICITY
        and segment.seconds >= LONG_RUN_S
        and low <= segment.fitted_speed <= high
    )


def _within(segment: Segment, t: float) -> bool:
    return segment.query_start - 1e-6 <= t <= segment.query_end + 1e-6


def _on(segment: Segment, pair: tuple[float, float, int]) -> bool:
    """Whether a pair lies on the segment's line (within a sample and a half)."""
    q, t, _d = pair
    if not segment.query_start <= q <= segment.query_end:
        return False
    span = segment.query_end - segment.query_start
    speed = (segment.target_end - segment.target_start) / span if span else 1.0
    return abs(segment.target_start + (q - segment.query_start) * speed - t) <= 0.75


def _one_per_query(pairs: list[tuple[float, float, int]]) -> list[tuple[float, float, int]]:
    chosen: dict[float, tuple[float, float, int]] = {}
    for p in pairs:
        if p[0] not in chosen or p[2] < chosen[p[0]][2]:
            chosen[p[0]] = p
    return [chosen[q] for q in sorted(chosen)]


def _moving(segment: Segment, pairs: list[tuple[float, float, int]], t_whole: dict[float, bytes]) -> bool:
    """Whether the target's pictures change along the segment (see :data:`STATIC_BITS`)."""
    seconds = sorted({t for q, t, d in pairs if _on(segment, (q, t, d)) and t in t_whole})
    codes = pdq.to_array([t_whole[t] for t in seconds])
    if len(codes) < 2:
        return not t_whole  # without the whole-picture hashes nothing can be said: keep it
    return int(pdq.distance_matrix(codes, codes).max()) > STATIC_BITS


def match_videos(
    a: VideoFingerprint,
    b: VideoFingerprint,
    *,
    distance: int = pdq.MATCH_DISTANCE,
    quality_min: int = 50,
    rule: str = "timed",
) -> MatchResult:
    """Compare query ``a`` with target ``b``: every hash of a sample (whole picture and regions) against every
    hash of the other's samples, then the lined-up segments; also ``a`` mirrored. The longer shared run wins.

    ``rule``: ``"timed"`` (Amparo's) keeps a lined-up run only when it is timed like a copy (:func:`_timed`);
    ``"lined"`` (the second round's) keeps every lined-up run, and is kept for comparison."""
    if rule not in ("timed", "lined"):
        raise ValueError(f"unknown rule {rule!r}")
    t_whole = {t: bits for t, bits, q in b.frames if q >= quality_min}
    # Zoomed crops meet only whole pictures: a copy cropped from the other, or the other cropped from it. Against
    # each other or the regions they would mostly add chances for the same place at another time to line up.
    groups = [
        (a.frames, b.frames),
        (a.extra, b.extra),
        (a.frames, b.extra),
        (a.extra, b.frames),
        (a.zoomed, b.frames),
        (a.frames, b.zoomed),
    ]
    result = _compare(groups, t_whole, distance, quality_min, rule)
    if len(a.mirrored) == len(a.frames) and a.mirrored:
        mirror_rows = [(t, m, q) for (t, _bits, q), m in zip(a.frames, a.mirrored, strict=True)]
        flipped = _compare(
            [(mirror_rows, b.frames), (mirror_rows, b.extra), (mirror_rows, b.zoomed)],
            t_whole,
            distance,
            quality_min,
            rule,
        )
        plain = (result.shared_seconds, result.query_matched_pct + result.target_matched_pct)
        if (flipped.shared_seconds, flipped.query_matched_pct + flipped.target_matched_pct) > plain:
            flipped.mirrored = True
            result = flipped
    return result


def aligned_segments(
    pairs: list[tuple[float, float, int]],
    *,
    min_seconds: float = MIN_SHARED_S,
    min_samples: int = MIN_SAMPLES,
    max_gap_s: float = 2.0,
    speed_range: tuple[float, float] = (0.8, 1.25),
    slack_s: float = 0.6,
) -> list[Segment]:
    """Chain matched samples ``(query_s, target_s, distance)`` into runs that advance together in time.

    The longest chain is found by dynamic programming over the pairs in query order: a pair follows another when
    the query moves on by at most ``max_gap_s`` and the target by that times a speed in ``speed_range``, give or
    take ``slack_s`` (samples of two videos do not fall on the same instants). A run counts when it covers at
    least ``min_seconds`` of the query (its span plus one sample step) with ``min_samples`` matched samples, and its
    overall speed is within ``speed_range``; then the next longest among the remaining pairs, and so on. A shared
    few seconds is a match however small a share of either clip it is.
    """
    low, high = speed_range
    remaining = sorted({(q, t) for q, t, _d in pairs})
    segments: list[Segment] = []
    while len(remaining) >= min_samples:
        chain = _longest_chain(remaining, low, high, max_gap_s, slack_s)
        if len(chain) < min_samples:
            break
        q0, t0 = chain[0]
        q1, t1 = chain[-1]
        steps = np.diff([q for q, _t in chain])
        covered = (q1 - q0) + float(np.median(steps))
        speed = (t1 - t0) / (q1 - q0) if q1 > q0 else 0.0
        if covered < min_seconds or not low - 0.05 <= speed <= high + 0.05:
            break
        segments.append(Segment(q0, q1, t0, t1, len(chain)))
        # The query seconds of this run are taken; so are the target seconds (one footage, one place).
        remaining = [(q, t) for q, t in remaining if not (q0 <= q <= q1 or t0 <= t <= t1)]
        if len(segments) >= 8:
            break
    return sorted(segments, key=lambda s: -s.seconds)


def _longest_chain(
    points: list[tuple[float, float]], low: float, high: float, max_gap: float, slack: float
) -> list[tuple[float, float]]:
    n = len(points)
    length = [1] * n
    back = [-1] * n
    start = 0
    for i, (q, t) in enumerate(points):
        while points[start][0] < q - max_gap:
            start += 1
        for j in range(start, i):
            qj, tj = points[j]
            dq = q - qj
            if dq <= 0:
                break
            dt = t - tj
            if low * dq - slack <= dt <= high * dq + slack and dt > 0 and length[j] + 1 > length[i]:
                length[i] = length[j] + 1
                back[i] = j
    end = max(range(n), key=length.__getitem__)
    chain = []
    while end != -1:
        chain.append(points[end])
        end = back[end]
    return chain[::-1]
