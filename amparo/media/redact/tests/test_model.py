"""Tracks and proposals: interpolation, padding, and the JSON form the app stores and people edit."""

from __future__ import annotations

import json

import pytest

from amparo.media.redact import Box, Proposal, Track
from amparo.media.redact.model import box_from_list


def test_track_interpolates_between_key_boxes_and_covers_only_its_stretch() -> None:
    track = Track(id="f1", label="face", boxes=[Box(10, 0, 0, 10, 10, 0.9), Box(20, 100, 50, 30, 10, 0.5)])
    middle = track.at(15)
    assert middle == Box(15, 50.0, 25.0, 20.0, 10.0, 0.5)
    assert track.at(10) == Box(10, 0, 0, 10, 10, 0.9)
    assert track.at(20) == Box(20, 100, 50, 30, 10, 0.5)
    assert track.at(9) is None and track.at(21) is None


def test_a_single_box_track_and_unsorted_key_boxes() -> None:
    track = Track(
        id="p", label="plate", boxes=[Box(7, 1, 2, 3, 4, 1.0), Box(3, 1, 2, 3, 4, 1.0)], source="person"
    )
    assert [b.frame for b in track.boxes] == [3, 7]
    assert track.at(5) == Box(5, 1, 2, 3, 4, 1.0)
    alone = Track(id="a", label="text", boxes=[Box(0, 5, 5, 5, 5, 0.3)])
    assert alone.at(0) == Box(0, 5, 5, 5, 5, 0.3)
    assert alone.at(1) is None


def test_padding_grows_by_the_larger_side_and_stays_in_the_picture() -> None:
    assert Box(0, 10, 10, 20, 40, 1).padded(0.25, 100, 100) == (0, 0, 40, 60)
    assert Box(0, 90, 90, 20, 20, 1).padded(0.0, 100, 100) == (90, 90, 100, 100)
    assert Box(0, 10.4, 10.6, 5.2, 5.2, 1).padded(0.0, 100, 100) == (10, 10, 16, 16)


def test_proposal_round_trips_through_json() -> None:
    proposal = Proposal(
        kind="video",
        width=1280,
        height=720,
        fps=30.0,
        frames=90,
        stride=10,
        has_audio=True,
        detectors={"face": {"threshold": 0.2}},
        tracks=[
            Track(
                id="f1", label="face", boxes=[Box(0, 1.5, 2.25, 30, 40, 0.87), Box(89, 100, 200, 32, 41, 0.6)]
            )
        ],
    )
    again = Proposal.from_dict(json.loads(json.dumps(proposal.to_dict())))
    assert again == proposal


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["tracks"][0].update(label="tattoo"), "label"),
        (lambda d: d["tracks"][0]["boxes"][0].__setitem__(0, 90), "past the last frame"),
        (lambda d: d["tracks"][0]["boxes"][0].__setitem__(1, 5000), "outside the picture"),
        (lambda d: d["tracks"][0]["boxes"][0].__setitem__(3, -4), "positive width"),
        (lambda d: d["tracks"][0]["boxes"][0].__setitem__(5, 1.5), "score"),
        (lambda d: d["tracks"][0]["boxes"][0].__setitem__(2, float("nan")), "finite"),
        (lambda d: d["tracks"].append(dict(d["tracks"][0])), "share an id"),
        (lambda d: d["tracks"][0]["boxes"].append(list(d["tracks"][0]["boxes"][0])), "one key box per frame"),
        (lambda d: d.update(version=99), "version"),
    ],
)
def test_bad_edits_are_refused_with_a_reason(change, message) -> None:  # type: ignore[no-untyped-def]
    data = Proposal(
        kind="video",
        width=100,
        height=100,
        fps=30.0,
        frames=90,
        tracks=[Track(id="f1", label="face", boxes=[Box(0, 1, 2, 30, 40, 0.9)])],
    ).to_dict()
    change(data)
    with pytest.raises(ValueError, match=message):
        Proposal.from_dict(data)


def test_box_from_list_refuses_booleans_and_short_lists() -> None:
    with pytest.raises(ValueError):
        box_from_list([True, 1, 1, 1, 1, 1])
    with pytest.raises(ValueError):
        box_from_list([0, 1, 1, 1])


def test_limits_refuse_nonsense() -> None:
    from amparo.media.redact import Limits

    with pytest.raises(ValueError, match="stride"):
        Limits(stride=0)
    with pytest.raises(ValueError, match="work_side"):
        Limits(work_side=50_000)
    assert Limits(stride=6, work_side=1280).work_side == 1280
    with pytest.raises(ValueError, match="text_seconds"):
        Limits(text_seconds=0.01)
    assert Limits().text_seconds == 4.0 and Limits(text_seconds=0).text_seconds == 0.0
    assert Limits(text_seconds=2.0).text_seconds == 2.0
