"""The decision rule against a second camera path over the same place: the three false pairs of the second round
(heldout2, scored once, studied since) lined up for 3-6 s with edits of their scene; they do not match at their
time better than off it, which every copy does."""

from __future__ import annotations

import pytest

from amparo.media.evaluation import footage
from amparo.media.matching import STRONG_SPECIFICITY, _timed
from amparo.media.video import VideoFingerprint, fingerprint_video, match_videos

CLIPS = ["heldout2-s1-sameplace-1", "heldout2-s1-recut", "heldout2-s1-fps"]


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, VideoFingerprint]:
    paths = footage.generate(tmp_path_factory.mktemp("rule"), only=set(CLIPS))
    return {cid: fingerprint_video(path) for cid, path in paths.items()}


@pytest.mark.parametrize("edit", ["heldout2-s1-recut", "heldout2-s1-fps"])
def test_it_does_not_take_another_camera_path_over_the_same_place_for_the_same_footage(
    clips: dict[str, VideoFingerprint], edit: str
) -> None:
    same_place = clips["heldout2-s1-sameplace-1"]
    lined = match_videos(same_place, clips[edit], rule="lined")
    assert lined.same_footage  # the second round's rule: a run lined up in time for a few seconds
    assert not any(_timed(s) for s in lined.segments)
    assert not match_videos(same_place, clips[edit]).same_footage
    assert not match_videos(clips[edit], same_place).same_footage


def test_a_copy_matches_at_its_time_far_better_than_off_it(clips: dict[str, VideoFingerprint]) -> None:
    # two edits of one source share about 9 s (seconds 15.7-24.7 of it): the re-cut and the 15 fps copy
    result = match_videos(clips["heldout2-s1-recut"], clips["heldout2-s1-fps"])
    assert result.same_footage
    (segment, *_rest) = result.segments
    assert segment.specificity >= STRONG_SPECIFICITY and segment.seconds >= 7.0
    offsets = sorted(t - q for q, t, _d in result.pairs)
    assert offsets[len(offsets) // 2] == pytest.approx(15.66 - 12.73, abs=1.0)  # within two samples


def test_the_rule_is_named() -> None:
    with pytest.raises(ValueError, match="rule"):
        match_videos(VideoFingerprint([], 0.0), VideoFingerprint([], 0.0), rule="other")
