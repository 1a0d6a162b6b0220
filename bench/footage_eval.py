"""Benchmark: same-footage recall and false pairs on the frozen evaluation set of circulating edits.

Renders the clips of ``amparo/media/evaluation/footage.jsonl`` once into ``--cache`` (deterministic; nothing is
committed or downloaded), fingerprints each with ``amparo.media.video.fingerprint_video`` and asks
``match_videos(...).same_footage`` for every listed pair (edited copy as the query, its source as the target) and,
both ways, for every pair of clips of different footage (the same place at another time, and other scenes).

- baseline: the rule the app used before, on the same fingerprints' whole-picture hashes at one frame a second:
  listed when at least 50 % of either side's frames match (a share rule, which needs most of a clip to match);
- baseline: the second round's decision (any run of matched samples lined up in time for 3 s, ``rule="lined"``);
- measured: Amparo's decision (lined-up shared seconds over whole-picture and region hashes, and zoomed crops
  against whole pictures both ways, where the run's samples match far better at its time than 1.5 s off it); also as the app asks it (``quality_min=0``, the stored item as the target):
  now, with stored videos' zoomed crops kept (``ZoomedCrops``), and before, when stored rows had none.

Prints recall per kind of edit and false pairs for ``--split`` (tuning by default; ``heldout``, ``heldout2`` and
``heldout3`` were each scored once and have been seen since; ``heldout4`` was scored once at the end of the third
round), and the ratio of recalls. Exits 1 unless recall >= 0.8 with no false pair. ``--fingerprints DIR`` keeps each clip's fingerprint
there while the fingerprint code is unchanged (scoring again then costs only the matching).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from amparo.media import pdq, video
from amparo.media.evaluation import footage
from amparo.media.video import VideoFingerprint, fingerprint_video, match_videos

TARGET = 0.8


def whole_at_one_per_second(fp: VideoFingerprint) -> VideoFingerprint:
    """The fingerprint the app stored before: whole pictures only, one a second."""
    frames = [row for row in fp.frames if abs(row[0] - round(row[0])) < 1e-6]
    mirrored = [
        m for row, m in zip(fp.frames, fp.mirrored, strict=True) if abs(row[0] - round(row[0])) < 1e-6
    ]
    return VideoFingerprint(frames=frames, duration=fp.duration, mirrored=mirrored)


def fingerprints(paths: dict[str, Path], cache: Path | None) -> dict[str, VideoFingerprint]:
    """Each clip's fingerprint, kept in ``cache`` under the clip's file name and a digest of the fingerprint
    code, ``video.py`` and the PDQ it hashes with (so a change to them, or to the clip, fingerprints again)."""
    digest = hashlib.sha256()
    for module in (video, pdq):
        digest.update(Path(str(module.__file__)).read_bytes())
    code = digest.hexdigest()[:10]
    out = {}
    for cid, path in paths.items():
        kept = cache / f"{path.stem}-{code}.json" if cache else None
        if kept and kept.exists():
            out[cid] = VideoFingerprint.from_dict(json.loads(kept.read_text(encoding="utf-8")))
            continue
        out[cid] = fingerprint_video(path)
        if kept:
            kept.parent.mkdir(parents=True, exist_ok=True)
            kept.write_text(json.dumps(out[cid].to_dict()), encoding="utf-8")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--split", choices=sorted(footage.SPLITS), default="tuning")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "amparo-footage-eval")
    parser.add_argument(
        "--fingerprints",
        type=Path,
        help="keep fingerprints in this folder (reused while the code is the same)",
    )
    parser.add_argument("--verbose", action="store_true", help="list missed pairs and false pairs")
    args = parser.parse_args()
    started = time.perf_counter()
    paths = footage.generate(args.cache, split=args.split, log=print)
    print(f"{len(paths)} clips ready in {time.perf_counter() - started:.1f} s ({args.cache})")
    started = time.perf_counter()
    fps = fingerprints(paths, args.fingerprints)
    print(f"fingerprinted in {time.perf_counter() - started:.1f} s")
    old = {cid: whole_at_one_per_second(fp) for cid, fp in fps.items()}
    cache: dict[tuple[str, str, str], bool] = {}

    def amparo(a: str, b: str) -> bool:
        key = ("amparo", a, b)
        if key not in cache:
            cache[key] = match_videos(fps[a], fps[b]).same_footage
        return cache[key]

    def lined(a: str, b: str) -> bool:  # the second round's rule: any lined-up run, timed or not
        key = ("lined", a, b)
        if key not in cache:
            cache[key] = match_videos(fps[a], fps[b], rule="lined").same_footage
        return cache[key]

    def vpdq_rule(a: str, b: str) -> bool:
        key = ("old", a, b)
        if key not in cache:
            result = match_videos(old[a], old[b])
            cache[key] = max(result.query_matched_pct, result.target_matched_pct) >= 50.0
        return cache[key]

    # The app asks with quality_min=0, the stored item as the target. Before ZoomedCrops its stored rows had no
    # zoomed crops (the query's still did), so a copy arriving after its original was found only from one side.
    bare = {cid: dataclasses.replace(fp, zoomed=[]) for cid, fp in fps.items()}

    def app(a: str, b: str) -> bool:
        key = ("app", a, b)
        if key not in cache:
            cache[key] = match_videos(fps[a], fps[b], quality_min=0).same_footage
        return cache[key]

    def app_before(a: str, b: str) -> bool:  # the app before this round: no stored crops, the lined rule
        key = ("app-before", a, b)
        if key not in cache:
            cache[key] = match_videos(fps[a], bare[b], quality_min=0, rule="lined").same_footage
        return cache[key]

    started = time.perf_counter()
    base = footage.score(args.split, vpdq_rule)
    previous = footage.score(args.split, lined)
    measured = footage.score(args.split, amparo)
    in_app = footage.score(args.split, app)
    in_app_before = footage.score(args.split, app_before)
    print(f"scored in {time.perf_counter() - started:.1f} s")
    print(
        f"baseline  previous rule (50 % of either side's frames), whole pictures at 1/s, split {args.split}:"
    )
    print("\n".join(base.lines()))
    print(f"baseline  second round's rule (any lined-up run of 3 s), split {args.split}:")
    print("\n".join(previous.lines()))
    print(f"measured  Amparo lined-up runs that match at their time and not off it, split {args.split}:")
    print("\n".join(measured.lines()))
    print(f"in the app before (stored rows without zoomed crops, quality_min=0), split {args.split}:")
    print("\n".join(in_app_before.lines()))
    print(f"in the app now (stored videos' zoomed crops kept, quality_min=0), split {args.split}:")
    print("\n".join(in_app.lines()))
    if args.verbose:
        print("missed in the app:", ", ".join(in_app.missed) or "none")
        print("missed:", ", ".join(measured.missed) or "none")
        print("false pairs:", ", ".join(f"{a}~{b}" for a, b in measured.false_pairs) or "none")
        print("missed by the previous rule:", ", ".join(previous.missed) or "none")
        print("its false pairs:", ", ".join(f"{a}~{b}" for a, b in previous.false_pairs) or "none")
    ok = measured.recall >= TARGET and not measured.false_pairs
    ratio = measured.recall / base.recall if base.recall else float("inf")
    print(
        f"ratio {ratio:.2f}x the baseline's recall; target recall >= {TARGET} with no false pair "
        f"-> {'OK' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
