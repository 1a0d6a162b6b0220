"""The tracker: gaps between detections bridged, earlier sightings put in front, small boxes grown."""

from __future__ import annotations

import numpy as np
import pytest

from amparo.media.redact import Box, Track
from amparo.media.redact.detect import within
from amparo.media.redact.track import Linker, continuation, grow_small, link, match, seen_again


def _rows(*boxes: tuple[float, float, float, float]) -> np.ndarray:
    return np.asarray([[*b, 0.9] for b in boxes], dtype=np.float32).reshape(-1, 5)


def test_a_face_missed_for_two_rounds_is_covered_in_between_and_a_stride_before_and_after() -> None:
    # Found at frames 15 and 60, missed at 30 and 45 (a hand in front), moving right 10 px a round.
    detections = {
        0: _rows(),
        15: _rows((100, 100, 40, 40)),
        30: _rows(),
        45: _rows(),
        60: _rows((130, 100, 40, 40)),
        75: _rows(),
    }
    tracks = link(detections, stride=15, frames=90, width=640, height=360)
    assert len(tracks) == 1
    track = tracks[0]
    assert track.first == 1 and track.last == 74  # one stride before the first sighting, one after the last
    middle = track.at(38)
    assert middle is not None and 100 < middle.x < 130  # interpolated across the gap
    for frame in range(1, 75):
        assert track.at(frame) is not None


def test_a_face_missed_for_three_rounds_starts_a_new_track() -> None:
    detections = {15 * k: _rows() for k in range(8)}
    detections[0] = _rows((100, 100, 40, 40))
    detections[60] = _rows((100, 100, 40, 40))
    tracks = link(detections, stride=15, frames=120, width=640, height=360)
    assert len(tracks) == 2 and tracks[0].at(30) is None


def test_an_earlier_sighting_is_put_in_front_of_a_new_track() -> None:
    linker = Linker()
    linker.add(0, _rows())
    assert linker.expected(15) == []
    linker.add(15, _rows((200, 80, 20, 20)))
    [first] = linker.born()
    # Looking back at frame 0 near the new face: one detection close by, one far away.
    earlier = continuation(first._replace(frame=0), _rows((190, 82, 21, 21), (500, 300, 20, 20)))
    assert earlier is not None and earlier.frame == 0 and earlier.x == 190
    assert continuation(first._replace(frame=0), _rows((500, 300, 20, 20))) is None
    linker.prepend(0, earlier)
    with pytest.raises(ValueError):
        linker.prepend(0, earlier._replace(frame=30))
    linker.add(30, _rows((210, 78, 20, 20)))
    [track] = linker.tracks(stride=15, frames=45, width=640, height=360)
    assert [b.frame for b in track.boxes] == [0, 15, 30, 44]
    expected = linker.expected(45)
    assert len(expected) == 1 and expected[0].x == pytest.approx(220)  # on along its velocity


def test_small_boxes_are_grown_about_their_centre_and_large_ones_are_not() -> None:
    small = Track(
        id="f1", label="face", boxes=[Box(0, 100, 100, 20, 20, 0.5), Box(10, 300, 100, 100, 100, 0.9)]
    )
    [grown] = grow_small([small], limit=80, extra=1.0)
    a, b = grown.boxes
    assert a.w == pytest.approx(20 * 1.75) and a.x + a.w / 2 == pytest.approx(110)  # 20 px: 3/4 of the way
    assert b == small.boxes[1]  # larger than the limit: as it was
    assert grown.id == "f1" and grown.label == "face"


def test_writing_is_followed_by_its_picture_and_not_where_it_is_not() -> None:
    """A patch of writing moved 23 px right and 5 px down is found there (ZNCC near 1), from a guess 10 px off;
    in a frame without it the best match is poor."""
    rng = np.random.default_rng(3)
    before = rng.uniform(0, 255, size=(200, 320)).astype(np.float32)
    patch = np.zeros((20, 60), dtype=np.float32)
    patch[4:16, 5:55:6] = 255.0  # letters' strokes
    before[50:70, 40:100] = patch
    now = rng.uniform(0, 255, size=(200, 320)).astype(np.float32)
    now[55:75, 63:123] = patch
    box = Box(0, 40, 50, 60, 20, 0.9)
    score, moved = match(before, box, now, box._replace(frame=15, x=53), reach=20, factor=1.0)
    assert score > 0.95 and moved.frame == 15
    assert (moved.x, moved.y, moved.w, moved.h) == pytest.approx((63, 55, 60, 20), abs=1)
    empty = rng.uniform(0, 255, size=(200, 320)).astype(np.float32)
    score, _moved = match(before, box, empty, box._replace(frame=15), reach=20, factor=1.0)
    assert score < 0.5


def test_a_small_face_found_again_near_where_it_was_expected_needs_no_closer_look() -> None:
    expected = Box(30, 100, 100, 30, 30, 0.9)
    assert seen_again(expected, _rows((104, 98, 30, 30)))  # overlapping
    assert seen_again(expected, _rows((121, 100, 30, 30)))  # hardly overlapping, but its centre is near
    assert not seen_again(expected, _rows((160, 100, 30, 30)))  # too far for its size
    assert not seen_again(expected, _rows((105, 100, 70, 70)))  # twice as large: another face
    assert not seen_again(expected, _rows())


def test_writing_inside_a_face_is_told_from_writing_beside_it() -> None:
    faces = _rows((100, 100, 60, 60))
    signs = _rows((110, 120, 30, 10), (150, 120, 30, 10), (300, 300, 40, 20))
    assert within(signs, faces, 0.9).tolist() == [True, False, False]
    assert within(signs, faces, 0.3).tolist() == [True, True, False]
