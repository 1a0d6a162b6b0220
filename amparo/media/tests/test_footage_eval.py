"""A smoke run of the footage evaluation: a few clips of the frozen set, rendered small, scored as the bench does."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from amparo.media.evaluation import footage
from amparo.media.video import fingerprint_video, match_videos

SMOKE = ["source", "recut", "caption", "greyscale", "letterbox", "sameplace-0"]


# The held-out splits, each frozen before it was scored (once): their rows as the manifest holds them.
FROZEN_SHA256 = {
    "heldout2": "ac680d6ffc7ece6340f8fda2003ccf4490a4def856c149b86eb5d6f92442dac3",
    "heldout3": "436d3825fcba4a5e15cb636d3309b3c1cd19698c2afac6e91944ef4a3e64c218",
    "heldout4": "9362e82f0b0e7a16933e758592d05dff50663f2547bb65e621b097bd93be28f5",
}


def test_the_frozen_manifest_is_what_the_seeds_make() -> None:
    assert footage.load_manifest() == json.loads(json.dumps(footage.build_manifest()))
    for split in ("heldout", "heldout2", "heldout3", "heldout4"):
        kinds = {p["kind"] for p in footage.pairs(split)}
        assert kinds == {*footage.EDIT_KINDS, "sameplace"}  # each held-out set covers every kind of edit
    for split, digest in FROZEN_SHA256.items():
        rows = [r for r in footage.load_manifest() if r["split"] == split]
        text = "".join(json.dumps(r, sort_keys=True) + "\n" for r in rows)
        assert hashlib.sha256(text.encode()).hexdigest() == digest, split
    # heldout3 and heldout4 have portrait scenes and the same place at another time, like the others
    for split in ("heldout3", "heldout4"):
        assert {(r["width"] < r["height"]) for r in footage.clips(split)} == {True, False}
    ids = [r["id"] for r in footage.clips()]
    assert len(ids) == len(set(ids))


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    only = {f"tuning-s0-{name}" for name in SMOKE}
    return footage.generate(tmp_path_factory.mktemp("footage"), only=only, scale=0.5)


@pytest.mark.slow
def test_a_re_cut_and_edited_copies_match_and_the_same_place_at_another_time_does_not(
    smoke: dict[str, Path],
) -> None:
    fps = {cid: fingerprint_video(path) for cid, path in smoke.items()}
    results = {}

    def same(a: str, b: str) -> bool:
        results[(a, b)] = match_videos(fps[a], fps[b])
        return results[(a, b)].same_footage

    score = footage.score("tuning", same, only=set(smoke))
    assert score.listed == {"recut": 1, "caption": 1, "greyscale": 1, "letterbox": 1}
    assert score.recall == 1.0, score.missed
    assert score.negatives == 5 and score.false_pairs == []  # the same place at another time, both ways
    # the re-cut is 11 s of the 36 s source: its seconds line up with where it was cut from
    recut = next(r for r in footage.clips("tuning") if r["id"] == "tuning-s0-recut")
    (segment, *_rest) = results[("tuning-s0-recut", "tuning-s0-source")].segments
    assert segment.target_start - segment.query_start == pytest.approx(recut["start"], abs=0.6)
    assert segment.seconds >= 0.8 * recut["seconds"]
